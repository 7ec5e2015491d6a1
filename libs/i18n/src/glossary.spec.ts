import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { cataloguesDir } from './catalogues';

const ROOT = join(__dirname, '../../..');

/** Every file a customer's or an admin's words can come from: the catalogues, page and email templates, the console. */
const SOURCES = [
  cataloguesDir(),
  ...['apps/api/pages/templates', 'libs/notification/src', 'apps/admin-console/src'].map((d) => join(ROOT, d)),
];

function filesUnder(path: string): string[] {
  return statSync(path).isFile() ? [path] : readdirSync(path).flatMap((name) => filesUnder(join(path, name)));
}

/** zh-CN terms (the store's documentation's words): one spelling for "account". */
describe('zh-CN glossary', () => {
  const files = SOURCES.flatMap(filesUnder).filter((f) => !/\.spec\.tsx?$/.test(f));

  it('looks at the catalogues and the templates', () => {
    expect(files.some((f) => f.endsWith('zh-CN.json'))).toBe(true);
    expect(files.some((f) => f.endsWith('.hbs'))).toBe(true);
  });

  it('writes 帐户, never 账户, in every catalogue and template', () => {
    const mixed = files.filter((f) => readFileSync(f, 'utf8').includes('账户')).map((f) => relative(ROOT, f));
    expect(mixed).toEqual([]);
    expect(readFileSync(join(cataloguesDir(), 'zh-CN.json'), 'utf8')).toContain('帐户');
  });
});
