import { randomBytes } from 'node:crypto';
import { Client } from 'pg';

/**
 * A throw-away database on the server of `databaseUrl`, for work that needs a real schema but must
 * not touch the real one (db:check, migration:create). `use` gets its URL; it is dropped after.
 */
export async function withScratchDatabase<T>(databaseUrl: string, prefix: string, use: (scratchUrl: string) => Promise<T>): Promise<T> {
  const name = `${prefix}_${process.pid}_${randomBytes(4).toString('hex')}`;
  const admin = new URL(databaseUrl);
  admin.pathname = '/postgres';
  const scratch = new URL(databaseUrl);
  scratch.pathname = `/${name}`;
  const run = async (sql: string) => {
    const client = new Client({ connectionString: admin.toString() });
    await client.connect();
    try {
      await client.query(sql);
    } finally {
      await client.end();
    }
  };
  await run(`create database "${name}"`);
  try {
    return await use(scratch.toString());
  } finally {
    await run(`drop database if exists "${name}" with (force)`);
  }
}
