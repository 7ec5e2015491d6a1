export { DatabaseModule } from './database.module';
export { createOrmOptions } from './orm-options';
export { ensureDatabaseExists } from './create-database';
export { migrateDatabase } from './migrate';
export { withScratchDatabase } from './scratch-database';
export { type BrokenStatement, checkDatabase, createMigrationFromEntities, MIGRATIONS_DIR, schemaDrift } from './schema-drift';
export { buildSnapshots, type SnapshotStatement, type SqlSnapshot, staleSnapshots } from './sql-snapshots';
export {
  columns,
  defineQueries,
  explain,
  joinSql,
  queryExamples,
  rawSql,
  type Row,
  pooledRows,
  statementRows,
  preparedRows,
  usePreparedStatements,
  preparingStatements,
  runStatement,
  selectRows,
  clientRows,
  type SqlClient,
  Sql,
  sql,
  type SqlExamples,
} from './sql';
export { oldestRowAgeSeconds, purgeBatch, purgeBatchSql, purgeParents } from './batched-purge';
export { type PurgedBatch, PurgeSql, type PurgeTarget } from './purge.queries';
export { GroupCommit, type GroupCommitLinger, type GroupCommitOptions } from './group-commit';
