import { Client } from 'pg';

/** PostgreSQL's undefined_table. */
const UNDEFINED_TABLE = '42P01';

/**
 * One pg connection for a light admin command (create-admin.ts, admin-recovery.ts): opened, given to
 * `work`, always closed; a database not yet migrated is reported as what to do, not as SQL.
 */
export async function withAdminTables<T>(databaseUrl: string, work: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: databaseUrl });
  try {
    await client.connect();
    return await work(client);
  } catch (error) {
    if ((error as { code?: unknown }).code === UNDEFINED_TABLE) {
      throw new Error('The admin tables do not exist yet: run `npm run migrate` first.', { cause: error });
    }
    throw error;
  } finally {
    await client.end().catch(() => undefined);
  }
}
