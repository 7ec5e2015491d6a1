export { DatabaseModule } from './database.module';
export { createOrmOptions } from './orm-options';
export { ensureDatabaseExists } from './create-database';
export { migrateDatabase } from './migrate';
export { oldestRowAgeSeconds, purgeBatch, purgeBatchSql, PurgedBatch, PurgeTarget } from './batched-purge';
