export { DatabaseModule } from './database.module';
export { createOrmOptions } from './orm-options';
export { ensureDatabaseExists } from './create-database';
export { migrateDatabase } from './migrate';
export { withScratchDatabase } from './scratch-database';
export { createMigrationFromEntities, MIGRATIONS_DIR, schemaDrift } from './schema-drift';
export { Sql, rawSql, sql } from './sql';
export { oldestRowAgeSeconds, purgeBatch, purgeBatchSql, PurgedBatch, PurgeTarget } from './batched-purge';
export { GroupCommit } from './group-commit';
