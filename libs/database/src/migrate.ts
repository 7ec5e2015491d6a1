import { MikroORM } from '@mikro-orm/postgresql';
import { ensureDatabaseExists } from './create-database';
import { createOrmOptions } from './orm-options';

/** Creates the database if needed and applies every pending migration. Returns their names. */
export async function migrateDatabase(databaseUrl: string): Promise<{ created: boolean; applied: string[] }> {
  const created = await ensureDatabaseExists(databaseUrl);
  const orm = await MikroORM.init({ ...createOrmOptions({ databaseUrl, poolMax: 2, statementTimeoutMs: 0 }), entities: [] });
  try {
    const applied = await orm.getMigrator().up();
    return { created, applied: applied.map((m) => m.name) };
  } finally {
    await orm.close(true);
  }
}
