import { join } from 'node:path';
import { buildSnapshots, checkDatabase, sql } from '@customer-access/database';
import { SCHEMA_ENTITIES } from '../../apps/cli/src/schema-entities';

/** db:check's EXPLAIN of every raw statement (libs/database) on a database migrated from scratch. */
describe('db:check EXPLAIN (medium)', () => {
  // checkDatabase makes and drops its own scratch database on this server.
  const serverUrl = `${process.env.E2E_PG_URL ?? 'postgres://postgres@127.0.0.1:5432'}/postgres`;

  it('plans every statement of every snapshot, and names a statement PostgreSQL refuses', async () => {
    const root = join(__dirname, '..', '..');
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const statements = buildSnapshots(root, (source) => require(join(root, source))).flatMap((s) => s.statements);
    expect(statements.length).toBeGreaterThan(20);
    const broken = { name: 'broken', query: sql`select no_such_column from customer where id = ${'x'}` };
    const result = await checkDatabase(serverUrl, SCHEMA_ENTITIES, [...statements, broken]);
    expect(result.drift).toBe('');
    expect(result.broken).toEqual([{ name: 'broken', error: expect.stringMatching(/no_such_column/) }]);
  });
});
