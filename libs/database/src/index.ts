export { DatabaseModule } from './database.module';
export { createOrmOptions } from './orm-options';
export { ensureDatabaseExists } from './create-database';
export { migrateDatabase } from './migrate';
export { withScratchDatabase } from './scratch-database';
export { BrokenStatement, checkDatabase, createMigrationFromEntities, MIGRATIONS_DIR, schemaDrift } from './schema-drift';
export { buildSnapshots, SnapshotStatement, SqlSnapshot, staleSnapshots } from './sql-snapshots';
export {
  columns,
  defineQueries,
  explain,
  joinSql,
  queryExamples,
  rawSql,
  Row,
  pooledRows,
  statementRows,
  preparedRows,
  usePreparedStatements,
  preparingStatements,
  runStatement,
  selectRows,
  clientRows,
  SqlClient,
  Sql,
  sql,
  SqlExamples,
} from './sql';
export { oldestRowAgeSeconds, purgeBatch, purgeBatchSql, purgeParents } from './batched-purge';
export { PurgedBatch, PurgeSql, PurgeTarget } from './purge.queries';
export { GroupCommit, GroupCommitLinger, GroupCommitOptions } from './group-commit';
