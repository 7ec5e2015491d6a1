import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';

/**
 * The layering rules of docs/architecture.md, checked on every import of apps/ and libs/:
 * - apps depend on libs, never libs on apps, and no app reaches into another app;
 * - a lib is used through its public index, `@customer-access/<lib>`: no relative path into another
 *   lib's folder and no `@customer-access/<lib>/...` deep import, except a light entry declared as
 *   such in tsconfig.json's `paths` (`@customer-access/database/sql`: what customers:import loads
 *   without the lib's whole index).
 * The one exception: the admin console's browser bundle takes the catalogues, the settings'
 * field rules, the store view field rules and its own route table as files, since the libs' indexes pull in server code
 * (docs/architecture.md).
 */
const ROOT = join(__dirname, '..', '..');
const CONSOLE_MAY_IMPORT = [
  join('libs', 'i18n', 'locales') + sep,
  join('libs', 'settings', 'src', 'setting-fields'),
  join('libs', 'settings', 'src', 'stores', 'store-view-fields'),
  join('libs', 'admin', 'src', 'console', 'console-routes'),
];

/** The light entries: the `@customer-access/<lib>/<file>` names tsconfig.json declares. */
const LIGHT_ENTRIES = new Set(
  Object.keys(
    (JSON.parse(readFileSync(join(ROOT, 'tsconfig.json'), 'utf8')) as { compilerOptions: { paths: object } }).compilerOptions.paths,
  ).filter((name) => /^@customer-access\/[^/]+\/./.test(name)),
);

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (name === 'node_modules' || name === 'dist') return [];
    if (statSync(path).isDirectory()) return sources(path);
    return /\.(ts|tsx|mts)$/.test(name) && !name.endsWith('.d.ts') ? [path] : [];
  });
}

/** `apps/api`, `libs/customers`...: the unit a repository path belongs to. */
function unitOf(repoPath: string): string {
  return repoPath.split(sep).slice(0, 2).join('/');
}

function importsOf(text: string): string[] {
  const specifiers = [...text.matchAll(/\b(?:from|import)\s*\(?\s*['"]([^'"]+)['"]/g)].map((m) => m[1]);
  return [...new Set(specifiers)];
}

export function layeringViolations(repoFile: string, text: string): string[] {
  const unit = unitOf(repoFile);
  return importsOf(text).flatMap((specifier) => {
    if (/^@customer-access\/[^/]+\/./.test(specifier) && !LIGHT_ENTRIES.has(specifier)) return [`${repoFile}: deep import ${specifier}`];
    if (!specifier.startsWith('.')) return [];
    const target = relative(ROOT, resolve(ROOT, dirname(repoFile), specifier));
    const targetUnit = unitOf(target);
    if (targetUnit === unit || !/^(apps|libs)\//.test(targetUnit)) return [];
    if (unit === 'apps/admin-console' && CONSOLE_MAY_IMPORT.some((allowed) => target.startsWith(allowed))) return [];
    return [`${repoFile}: ${specifier} reaches into ${targetUnit}`];
  });
}

describe('layering (docs/architecture.md)', () => {
  const files = ['apps', 'libs'].flatMap((dir) => sources(join(ROOT, dir))).map((f) => relative(ROOT, f));

  it('scans the apps and the libs', () => {
    expect(files).toContain(join('apps', 'api', 'src', 'main.ts'));
    expect(files).toContain(join('libs', 'customers', 'src', 'index.ts'));
  });

  it('no import reaches into another app or lib except through its public index', () => {
    const violations = files.flatMap((f) => layeringViolations(f, readFileSync(join(ROOT, f), 'utf8')));
    expect(violations).toEqual([]);
  });

  it('the store view field rules the console takes as a file import nothing (the server, the entities and the console share them)', () => {
    const text = readFileSync(join(ROOT, 'libs', 'settings', 'src', 'stores', 'store-view-fields.ts'), 'utf8');
    expect(importsOf(text)).toEqual([]);
    const consoleRules = readFileSync(join(ROOT, 'apps', 'admin-console', 'src', 'screens', 'store-rules.ts'), 'utf8');
    expect(importsOf(consoleRules)).toContain('../../../../libs/settings/src/stores/store-view-fields');
  });

  it('catches a lib importing an app, a relative path into another lib, and a deep import', () => {
    expect(layeringViolations(join('libs', 'customers', 'src', 'x.ts'), "import { A } from '../../../apps/api/src/a';")).toHaveLength(1);
    expect(
      layeringViolations(join('libs', 'oauth', 'src', 'x.ts'), "import { B } from '../../customers/src/customer.entity';"),
    ).toHaveLength(1);
    expect(
      layeringViolations(join('apps', 'api', 'src', 'x.ts'), "import { C } from '@customer-access/customers/src/customer.entity';"),
    ).toHaveLength(1);
    expect(layeringViolations(join('apps', 'worker', 'src', 'x.ts'), "import { D } from '../../api/src/main';")).toHaveLength(1);
    // A declared light entry is a public entry; any other path under a lib's name is not.
    expect(layeringViolations(join('libs', 'customers', 'src', 'x.ts'), "import { sql } from '@customer-access/database/sql';")).toEqual(
      [],
    );
    expect(
      layeringViolations(join('libs', 'customers', 'src', 'x.ts'), "import { G } from '@customer-access/database/migrate';"),
    ).toHaveLength(1);
    expect(
      layeringViolations(join('apps', 'api', 'src', 'x.ts'), "import { E } from '@customer-access/customers';\nimport { F } from './f';"),
    ).toEqual([]);
  });
});

/**
 * What a light entry loads, followed through its value imports (`import type` and type-only names
 * load nothing): the files of the repository and the packages.
 */
function lightEntryGraph(entry: string): { files: string[]; packages: string[] } {
  const paths = (JSON.parse(readFileSync(join(ROOT, 'tsconfig.json'), 'utf8')) as { compilerOptions: { paths: Record<string, string[]> } })
    .compilerOptions.paths;
  const resolveFile = (base: string): string => {
    for (const candidate of [`${base}.ts`, join(base, 'index.ts')]) if (existsSync(join(ROOT, candidate))) return candidate;
    throw new Error(`cannot resolve ${base}`);
  };
  const files = new Set<string>();
  const packages = new Set<string>();
  const visit = (file: string): void => {
    if (files.has(file)) return;
    files.add(file);
    const text = readFileSync(join(ROOT, file), 'utf8');
    // Value imports and re-exports only: `import type {...}` and `export type` load nothing at run time.
    for (const m of text.matchAll(/^(?:import|export)\s+(?!type\b)(?:[^'";]*?\sfrom\s+)?['"]([^'"]+)['"]/gm)) {
      const specifier = m[1];
      if (specifier.startsWith('.')) visit(resolveFile(relative(ROOT, resolve(ROOT, dirname(file), specifier))));
      else if (paths[specifier]) visit(resolveFile(paths[specifier][0]));
      else if (!specifier.startsWith('node:'))
        packages.add(specifier.startsWith('@') ? specifier.split('/').slice(0, 2).join('/') : specifier.split('/')[0]);
    }
  };
  visit(resolveFile(entry));
  return { files: [...files].sort(), packages: [...packages].sort() };
}

describe('light entries (docs/architecture.md)', () => {
  it('admin:create loads no Nest, ORM, Redis or mail code and no lib index but the common one', () => {
    const { files, packages } = lightEntryGraph('libs/admin/src/accounts/create-admin');
    expect(packages).toEqual(['argon2', 'class-transformer', 'class-validator', 'pg']);
    const indexes = files.filter((f) => /^libs\/[^/]+\/src\/index\.ts$/.test(f));
    expect(indexes).toEqual(['libs/common/src/index.ts']);
  });

  it('admin:set-password and admin:unlock load no Nest, ORM or mail code and no lib index but the common one', () => {
    const { files, packages } = lightEntryGraph('libs/admin/src/accounts/admin-recovery');
    expect(packages).toEqual(['argon2', 'class-transformer', 'class-validator', 'ioredis', 'pg']);
    const indexes = files.filter((f) => /^libs\/[^/]+\/src\/index\.ts$/.test(f));
    expect(indexes).toEqual(['libs/common/src/index.ts']);
  });

  it('follows value imports and skips type-only ones', () => {
    const { files } = lightEntryGraph('libs/customers/src/breached-passwords/pwned-passwords-check');
    expect(files).toContain('libs/customers/src/breached-passwords/pwned-range.ts');
    // Imported as a type only: the observability and settings indexes (Nest, prom-client) are not loaded.
    expect(files).not.toContain('libs/observability/src/index.ts');
    expect(lightEntryGraph('libs/customers/src/breached-passwords/breached-password-check').packages).toContain('@nestjs/common');
  });
});
