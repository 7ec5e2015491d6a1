import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { buildSnapshots, staleSnapshots } from '@customer-access/database';

/**
 * One way to reach the database (docs/development.md, "Raw SQL"): raw SQL is written only with the
 * `sql` tag, only in `<table>.queries.ts` files, and run only through selectRows/runStatement; each
 * query file has a current generated `.queries.sql` beside it (db:check checks it too, and EXPLAINs).
 */
const ROOT = join(__dirname, '..', '..');

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (name === 'node_modules' || name === 'dist' || name === 'migrations') return [];
    if (statSync(path).isDirectory()) return sources(path);
    return name.endsWith('.ts') && !name.endsWith('.spec.ts') ? [relative(ROOT, path)] : [];
  });
}

/** The sql tag's own file, and the two that create databases with the bare driver. */
const SQL_HOME = new Set(['libs/database/src/sql.ts', 'libs/database/src/create-database.ts', 'libs/database/src/scratch-database.ts']);

const RAW_EXECUTE = /\b(em|tx|this\.em|getConnection\(\))\s*\.\s*execute\s*[<(]|\bgetKnex\(|\bcreateQueryBuilder\(/;
const SQL_TEXT = /(?<![\w:.])sql(<[^>]*>)?`|\brawSql\(/;

describe('one database style', () => {
  const files = ['apps', 'libs'].flatMap((dir) => sources(join(ROOT, dir)));

  it('scans a real source tree', () => {
    expect(files).toContain(join('libs', 'password-reset', 'src', 'password-reset-token.queries.ts'));
  });

  it('runs raw SQL only through selectRows/runStatement', () => {
    const offenders = files.filter((f) => !SQL_HOME.has(f) && RAW_EXECUTE.test(readFileSync(join(ROOT, f), 'utf8')));
    expect(offenders).toEqual([]);
  });

  it('writes SQL text only in <table>.queries.ts files', () => {
    const offenders = files.filter(
      (f) => !f.endsWith('.queries.ts') && !SQL_HOME.has(f) && SQL_TEXT.test(readFileSync(join(ROOT, f), 'utf8')),
    );
    expect(offenders).toEqual([]);
    expect(files.filter((f) => f.endsWith('.query.ts'))).toEqual([]);
  });

  it('the patterns catch what they are meant to', () => {
    for (const bad of ["await this.em.execute('select 1')", 'em.execute<Row[]>(text)', 'tx.execute(q)', 'em.getConnection().execute(x)']) {
      expect({ bad, caught: RAW_EXECUTE.test(bad) }).toEqual({ bad, caught: true });
    }
    expect(RAW_EXECUTE.test('this.completeReset.execute(input)')).toBe(false);
    for (const bad of ['sql`select 1`', 'sql<Row>`select 1`', "rawSql('x')"]) expect(SQL_TEXT.test(bad)).toBe(true);
  });

  describe('SQL snapshots', () => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const snapshots = buildSnapshots(ROOT, (source) => require(join(ROOT, source)));

    it('has one beside every query file, current (npm run db:sql writes them)', () => {
      expect(snapshots.map((s) => s.path)).toContain('libs/password-reset/src/password-reset-token.queries.sql');
      for (const { path } of snapshots) expect(existsSync(join(ROOT, path))).toBe(true);
      expect(staleSnapshots(ROOT, snapshots)).toEqual([]);
    });

    it('shows the whole reset statement, each table written by it, in one place', () => {
      const reset = snapshots.find((s) => s.path.endsWith('password-reset-token.queries.sql'))!;
      const statement = reset.statements.find((s) => s.name === 'PasswordResetTokenSql.completeReset')!.query.text;
      for (const write of ['update password_reset_token', 'update customer', 'update access_token', 'insert into outbox_message']) {
        expect(statement).toContain(write);
      }
    });

    it('reports a snapshot that no longer matches its code', () => {
      const changed = snapshots.map((s, i) => (i === 0 ? { ...s, text: `${s.text}-- changed\n` } : s));
      expect(staleSnapshots(ROOT, changed)).toEqual([snapshots[0].path]);
    });
  });
});
