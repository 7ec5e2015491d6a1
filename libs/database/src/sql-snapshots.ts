import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { queryExamples, Sql } from './sql';

/** One statement of a snapshot: `CustomerSql.contact #1` and what it builds from its sample. */
export interface SnapshotStatement {
  name: string;
  query: Sql;
}

/** The generated `<table>.queries.sql` of one `<table>.queries.ts` (paths relative to the project root). */
export interface SqlSnapshot {
  source: string;
  path: string;
  statements: SnapshotStatement[];
  text: string;
}

const QUERY_FILE = /\.queries\.ts$/;

/** Every `*.queries.ts` under apps/ and libs/, relative to `root`, sorted. */
export function findQueryFiles(root: string): string[] {
  const walk = (dir: string): string[] =>
    readdirSync(dir).flatMap((name) => {
      const path = join(dir, name);
      if (name === 'node_modules' || name === 'dist') return [];
      if (statSync(path).isDirectory()) return walk(path);
      return QUERY_FILE.test(name) ? [relative(root, path).split(sep).join('/')] : [];
    });
  return ['apps', 'libs'].flatMap((dir) => (existsSync(join(root, dir)) ? walk(join(root, dir)) : [])).sort();
}

/** Every committed `*.queries.sql` under apps/ and libs/ (to find one whose source is gone). */
export function findSnapshotFiles(root: string): string[] {
  const walk = (dir: string): string[] =>
    readdirSync(dir).flatMap((name) => {
      const path = join(dir, name);
      if (name === 'node_modules' || name === 'dist') return [];
      if (statSync(path).isDirectory()) return walk(path);
      return name.endsWith('.queries.sql') ? [relative(root, path).split(sep).join('/')] : [];
    });
  return ['apps', 'libs'].flatMap((dir) => (existsSync(join(root, dir)) ? walk(join(root, dir)) : [])).sort();
}

/**
 * The snapshot of each query file: every query of every `defineQueries` object it exports, built
 * from each of its samples. `load` gives a file's module (the built JavaScript for the CLI, the
 * TypeScript itself under jest).
 */
export function buildSnapshots(root: string, load: (source: string) => Record<string, unknown>): SqlSnapshot[] {
  // sql-formatter is a development tool: loaded only by the commands that write or check snapshots.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { format } = require('sql-formatter') as typeof import('sql-formatter');
  return findQueryFiles(root).map((source) => {
    const statements: SnapshotStatement[] = [];
    const exported = Object.entries(load(source));
    for (const [exportName, value] of exported) {
      const examples = queryExamples(value);
      if (!examples) continue;
      const queries = value as Record<string, (...args: unknown[]) => Sql>;
      for (const [key, samples] of Object.entries(examples)) {
        samples.forEach((args, i) => {
          const name = `${exportName}.${key}${samples.length > 1 ? ` #${i + 1}` : ''}`;
          statements.push({ name, query: queries[key](...args) });
        });
      }
    }
    if (statements.length === 0) {
      throw new Error(`${source} exports no queries declared with defineQueries (so it has no snapshot)`);
    }
    const body = statements.map(({ name, query }) => {
      const params = query.params.map((p, i) => `--   $${i + 1} = ${JSON.stringify(p)}`);
      const text = format(query.text, {
        language: 'postgresql',
        keywordCase: 'lower',
        paramTypes: { numbered: ['$'] },
        expressionWidth: 80,
      });
      return [`-- ${name}`, ...params, `${text};`].join('\n');
    });
    const file = source.split('/').pop();
    const header = `-- Generated from ${file} by \`npm run db:sql\` (a sample of each statement); \`npm run db:check\` fails when it is stale.`;
    return { source, path: source.replace(/\.ts$/, '.sql'), statements, text: `${header}\n\n${body.join('\n\n')}\n` };
  });
}

/** What is out of date: snapshots whose committed file differs or is missing, and orphan files. */
export function staleSnapshots(root: string, snapshots: SqlSnapshot[]): string[] {
  const stale = snapshots
    .filter(({ path, text }) => !existsSync(join(root, path)) || readFileSync(join(root, path), 'utf8') !== text)
    .map(({ path }) => path);
  const expected = new Set(snapshots.map((s) => s.path));
  return [...stale, ...findSnapshotFiles(root).filter((path) => !expected.has(path))];
}
