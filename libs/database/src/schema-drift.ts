import { EntityClass } from '@mikro-orm/core';
import { MikroORM } from '@mikro-orm/postgresql';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { projectRoot } from '@customer-access/common';
import { createOrmOptions } from './orm-options';
import { withScratchDatabase } from './scratch-database';
import { explain } from './sql';
import { SnapshotStatement } from './sql-snapshots';

/** Where generated migrations are written (and listed, in index.ts). */
export const MIGRATIONS_DIR = join(projectRoot(), 'libs/database/src/migrations');

async function withMigratedScratch<T>(
  databaseUrl: string,
  entities: EntityClass<unknown>[],
  use: (orm: MikroORM) => Promise<T>,
): Promise<T> {
  return withScratchDatabase(databaseUrl, 'customer_access_schema', async (scratchUrl) => {
    const options = createOrmOptions({ databaseUrl: scratchUrl, poolMax: 2, statementTimeoutMs: 0 });
    const orm = await MikroORM.init({
      ...options,
      entities,
      migrations: { ...options.migrations, path: MIGRATIONS_DIR, emit: 'ts', snapshot: false, silent: true },
    });
    try {
      await orm.getMigrator().up();
      return await use(orm);
    } finally {
      await orm.close(true);
    }
  });
}

/**
 * The SQL that would bring a database migrated with every committed migration in line with the
 * entities; empty when the two agree. Entities are the one source of the schema: any difference is
 * a migration missing (or an entity that does not describe what a migration created).
 *
 * Runs against a scratch database rather than a snapshot file, so that concurrent branches that
 * each add a migration never conflict over a generated snapshot.
 */
export async function schemaDrift(databaseUrl: string, entities: EntityClass<unknown>[]): Promise<string> {
  return withMigratedScratch(databaseUrl, entities, (orm) => driftOf(orm));
}

const driftOf = async (orm: MikroORM): Promise<string> =>
  (await orm.getSchemaGenerator().getUpdateSchemaSQL({ wrap: false, safe: false, dropTables: true })).trim();

/** A statement PostgreSQL refused to plan, and why. */
export interface BrokenStatement {
  name: string;
  error: string;
}

/**
 * db:check on one scratch database migrated with every committed migration: the schema drift (see
 * schemaDrift) and each raw statement's EXPLAIN, so that a statement naming a column or a table
 * that does not exist, or not parsing, fails CI rather than a request. EXPLAIN executes nothing.
 */
export async function checkDatabase(
  databaseUrl: string,
  entities: EntityClass<unknown>[],
  statements: SnapshotStatement[],
): Promise<{ drift: string; broken: BrokenStatement[] }> {
  return withMigratedScratch(databaseUrl, entities, async (orm) => {
    const broken: BrokenStatement[] = [];
    for (const { name, query } of statements) {
      await explain(orm.em.fork(), query).catch((error: Error) => broken.push({ name, error: error.message }));
    }
    return { drift: await driftOf(orm), broken };
  });
}

/**
 * Writes a new migration with the SQL that brings the committed migrations up to the entities, and
 * appends it to migrations/index.ts. Returns its file name, or null when there is nothing to do.
 * The generated SQL is a draft: review it (names, data backfills) before committing.
 */
export async function createMigrationFromEntities(
  databaseUrl: string,
  entities: EntityClass<unknown>[],
  name?: string,
): Promise<string | null> {
  const fileName = await withMigratedScratch(databaseUrl, entities, async (orm) => {
    const result = await orm.getMigrator().createMigration(MIGRATIONS_DIR, false, false, name);
    return result.fileName || null;
  });
  if (fileName) listMigration(fileName.replace(/\.ts$/, ''));
  return fileName;
}

/** Appends a migration to the explicit list in migrations/index.ts (its class is named like its file). */
function listMigration(className: string): void {
  const indexPath = join(MIGRATIONS_DIR, 'index.ts');
  const source = readFileSync(indexPath, 'utf8')
    .replace(/(\nimport [^\n]+\n)(\n)/, `$1import { ${className} } from './${className}';\n$2`)
    .replace(/\n\];\s*$/, `\n  { name: '${className}', class: ${className} },\n];\n`);
  writeFileSync(indexPath, source);
}
