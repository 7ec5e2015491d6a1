import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Client } from 'pg';

/**
 * Fresh migrated databases for the e2e and medium tests, cloned from a migrated template.
 *
 * Running every migration costs each test file a few seconds (a process boot, MikroORM, the DDL):
 * instead, the first file that needs a database migrates a template once, exactly as before (the
 * real `cli migrate` for e2e, `migrateDatabase()` for medium), and every file then gets its own copy
 * with `CREATE DATABASE … TEMPLATE …` (a file copy inside PostgreSQL, under a second). Each file
 * still owns a private database and drops it at the end; nothing else changes for the tests.
 *
 * The template's name carries a hash of the code that shapes the schema (the migrations, and the
 * migrate code itself), so a changed or added migration makes a new template instead of reusing a
 * stale one. Concurrent jest workers (and concurrent runs from other checkouts) serialise the build
 * on a PostgreSQL advisory lock; the template is built under a temporary name and renamed when
 * complete, so an existing template is always a finished one (a crashed build leaves only the
 * temporary name, dropped by the next build).
 */

const PG_BASE_URL = process.env.E2E_PG_URL ?? 'postgres://postgres@127.0.0.1:5432';

/** Hash of the named files and of every file in the named folders (sorted, content and name). */
export function hashFiles(root: string, entries: Array<{ file: string } | { dir: string; ext: string }>): string {
  const hash = createHash('sha256');
  for (const entry of entries) {
    const files =
      'file' in entry
        ? [entry.file]
        : readdirSync(join(root, entry.dir))
            .filter((name) => name.endsWith(entry.ext))
            .sort()
            .map((name) => join(entry.dir, name));
    for (const file of files) {
      hash
        .update(file)
        .update('\0')
        .update(readFileSync(join(root, file)))
        .update('\0');
    }
  }
  return hash.digest('hex').slice(0, 16);
}

/** `fn` on a connection of its own to the server's `postgres` database (creating and dropping databases). */
export async function withAdmin<T>(fn: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: `${PG_BASE_URL}/postgres` });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

async function databaseExists(client: Client, name: string): Promise<boolean> {
  return ((await client.query('select 1 from pg_database where datname = $1', [name])).rowCount ?? 0) > 0;
}

/**
 * Makes sure the template `name` exists: when missing, `build(url)` migrates a new database at
 * `url` (it must create it, like `migrate` does), which then becomes the template.
 * Returns what `build` returned when this call built it, undefined when the template was there.
 */
export async function ensureTemplate<T>(name: string, build: (url: string) => Promise<T>): Promise<T | undefined> {
  return withAdmin(async (admin) => {
    if (await databaseExists(admin, name)) return undefined;
    // One builder at a time per template name, across jest workers and runs.
    await admin.query('select pg_advisory_lock(hashtext($1))', [`customer-access:test-template:${name}`]);
    try {
      if (await databaseExists(admin, name)) return undefined;
      const building = `${name}_building`;
      await admin.query(`drop database if exists "${building}" with (force)`);
      const result = await build(`${PG_BASE_URL}/${building}`);
      // Renamed only when complete; no session may remain on it (build's processes have exited).
      await admin.query(`alter database "${building}" rename to "${name}"`);
      return result;
    } finally {
      await admin.query('select pg_advisory_unlock(hashtext($1))', [`customer-access:test-template:${name}`]);
    }
  });
}

/** Creates the database `name` as a copy of the template `template` (which must exist). */
export async function cloneTemplate(template: string, name: string): Promise<void> {
  await withAdmin((admin) => admin.query(`create database "${name}" template "${template}"`));
}
