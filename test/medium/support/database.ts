import { MikroORM } from '@mikro-orm/postgresql';
import { randomBytes } from 'node:crypto';
import { basename, resolve } from 'node:path';
import { Client, QueryResult, QueryResultRow } from 'pg';
import { createOrmOptions, migrateDatabase } from '@customer-access/database';
import { cloneTemplate, ensureTemplate, hashFiles, withAdmin } from '../../support/template-database';

const PG_BASE_URL = process.env.E2E_PG_URL ?? 'postgres://postgres@127.0.0.1:5432';
const KEEP_DB = process.env.E2E_KEEP_DB === '1';
const REPO_ROOT = resolve(__dirname, '..', '..', '..');

export interface MediumDatabase {
  name: string;
  url: string;
  orm: MikroORM;
  /** Plain SQL on a connection of its own, for arranging rows and reading them back. */
  sql<R extends QueryResultRow = any>(text: string, params?: unknown[]): Promise<QueryResult<R>>;
  client: Client;
  close(): Promise<void>;
}

/**
 * A fresh database migrated like production (`migrateDatabase`, what `migrate` runs), and MikroORM
 * connected to it: a copy of a template that `migrateDatabase` migrated once per version of the
 * migrations (named by their hash; test/support/template-database.ts).
 */
export async function createMediumDatabase(): Promise<MediumDatabase> {
  const file = basename(expect.getState().testPath ?? 'medium').replace(/\.medium-spec\.ts$/, '');
  const slug = file
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '_')
    .slice(0, 30);
  const name = `ca_medium_${slug}_${process.pid}_${randomBytes(3).toString('hex')}`;
  const url = `${PG_BASE_URL}/${name}`;
  const template = `ca_medium_template_${hashFiles(REPO_ROOT, [
    { dir: 'libs/database/src/migrations', ext: '.ts' },
    { file: 'libs/database/src/migrate.ts' },
    { file: 'libs/database/src/orm-options.ts' },
    { file: 'libs/database/src/create-database.ts' },
  ])}`;
  await ensureTemplate(template, (templateUrl) => migrateDatabase(templateUrl));
  await cloneTemplate(template, name);
  const orm = await MikroORM.init({ ...createOrmOptions({ databaseUrl: url, poolMax: 4 }), entities: [] });
  const client = new Client({ connectionString: url });
  await client.connect();
  return {
    name,
    url,
    orm,
    client,
    sql: (text, params) => client.query(text, params as unknown[]),
    async close() {
      await client.end();
      await orm.close(true);
      if (!KEEP_DB) await withAdmin((c) => c.query(`drop database if exists ${name} with (force)`));
    },
  };
}
