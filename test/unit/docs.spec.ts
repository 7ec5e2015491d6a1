import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';

/**
 * The documentation stands on its own (docs/development.md, Conventions):
 * - no file outside bench/ points at the folder beside the checkout that holds the bench's peer
 *   harness: a clone from a public host does not have it, so a link or a comment citing it is lost;
 * - nothing cites the design file kept beside the checkout or the old benchmarks page: code and
 *   comments cite the docs/ pages (docs/api.md, docs/performance.md...);
 * - README.md stays a front door (the rest lives in docs/);
 * - every relative link of README.md and docs/*.md leads to a file of the repository.
 */
const ROOT = join(__dirname, '..', '..');
const SKIPPED_DIRS = new Set(['node_modules', 'dist', '.git', 'bench', 'var', '.bench', 'coverage']);
const OUTSIDE_FOLDER = /\.\.[\\/]shared\b/;
const OUTSIDE_DOCS = new RegExp(`\\b(${['DESIGN', 'BENCHMARKS'].join('|')})\\.md\\b`);
const README_MAX_LINES = 220;

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (SKIPPED_DIRS.has(name) || name.startsWith('.dist')) return [];
    if (statSync(path).isDirectory()) return files(path);
    return /\.(png|jpe?g|gif|ico|woff2?)$/i.test(name) ? [] : [path];
  });
}

function markdownLinks(text: string): string[] {
  const links = [...text.matchAll(/\]\(([^)\s]+)\)/g), ...text.matchAll(/\bsrc="([^"]+)"/g)].map((m) => m[1]);
  return links.filter((link) => !/^(https?:|mailto:|#)/.test(link));
}

describe('documentation', () => {
  const tree = files(ROOT);

  it('scans the repository, outside bench/', () => {
    const names = tree.map((f) => relative(ROOT, f));
    expect(names).toContain('README.md');
    expect(names).toContain(join('docs', 'api.md'));
    expect(names).toContain(join('apps', 'api', 'src', 'main.ts'));
    expect(names.some((n) => n.startsWith(`bench${'/'}`))).toBe(false);
  });

  it('no file outside bench/ names the shared folder beside the checkout', () => {
    const offenders = tree.filter((f) => OUTSIDE_FOLDER.test(readFileSync(f, 'utf8'))).map((f) => relative(ROOT, f));
    expect(offenders).toEqual([]);
  });

  it('the pattern catches the forms a citation takes', () => {
    const parent = '..';
    for (const bad of [`${parent}/shared/bench-peers/run-peers.sh`, `(${parent}/shared)`, `${parent}\\shared\\bench-peers`]) {
      expect({ bad, caught: OUTSIDE_FOLDER.test(bad) }).toEqual({ bad, caught: true });
    }
    expect(OUTSIDE_FOLDER.test('libs/shared-things.ts')).toBe(false);
    const [design, benchmarks] = ['DESIGN', 'BENCHMARKS'];
    for (const bad of [`(${design}.md, Admin)`, `see ${benchmarks}.md, worker`]) expect(OUTSIDE_DOCS.test(bad)).toBe(true);
    expect(OUTSIDE_DOCS.test('docs/api.md')).toBe(false);
  });

  it('nothing cites the design file or the old benchmarks page instead of docs/', () => {
    const offenders = tree.filter((f) => OUTSIDE_DOCS.test(readFileSync(f, 'utf8'))).map((f) => relative(ROOT, f));
    expect(offenders).toEqual([]);
  });

  it(`README.md has at most ${README_MAX_LINES} lines`, () => {
    const lines = readFileSync(join(ROOT, 'README.md'), 'utf8').trimEnd().split('\n').length;
    expect(lines).toBeLessThanOrEqual(README_MAX_LINES);
  });

  it('every relative link of README.md and docs/*.md leads to a file', () => {
    const pages = [
      'README.md',
      ...readdirSync(join(ROOT, 'docs'))
        .filter((n) => n.endsWith('.md'))
        .map((n) => join('docs', n)),
    ];
    const broken = pages.flatMap((page) =>
      markdownLinks(readFileSync(join(ROOT, page), 'utf8'))
        .filter((link) => !existsSync(resolve(dirname(join(ROOT, page)), decodeURI(link.split('#')[0]))))
        .map((link) => `${page}: ${link}`),
    );
    expect(broken).toEqual([]);
  });
});
