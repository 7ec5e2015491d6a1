import { Options } from '@mikro-orm/core';
import { Migrator } from '@mikro-orm/migrations';
import { PostgreSqlDriver } from '@mikro-orm/postgresql';
import { migrationsList } from './migrations';

export interface OrmOptionsInput {
  databaseUrl: string;
  poolMax?: number;
  debug?: boolean;
  /** 0 = none (migrations may legitimately run long). */
  statementTimeoutMs?: number;
}

/** The single place where MikroORM is configured, shared by both apps and the CLI. */
export function createOrmOptions({
  databaseUrl,
  poolMax = 10,
  debug = false,
  statementTimeoutMs = 10_000,
}: OrmOptionsInput): Options<PostgreSqlDriver> {
  return {
    driver: PostgreSqlDriver,
    clientUrl: databaseUrl,
    // A database that accepts connections but never answers must not hang requests: waiting for a
    // pooled connection, connecting and each statement are all bounded, and surface as 503s.
    pool: { min: 1, max: poolMax, acquireTimeoutMillis: 5_000 },
    driverOptions: {
      connection: {
        connectionTimeoutMillis: 3_000,
        ...(statementTimeoutMs > 0 ? { statement_timeout: statementTimeoutMs, query_timeout: statementTimeoutMs + 2_000 } : {}),
      },
    },
    debug,
    extensions: [Migrator],
    migrations: {
      migrationsList,
      transactional: true,
      allOrNothing: true,
      tableName: 'mikro_orm_migrations',
    },
    // Queries run against a forked EntityManager per request/job; a stray global use is a bug.
    allowGlobalContext: false,
    // Column defaults come from the entities' explicit `default`/`defaultRaw` only, not from property initializers.
    discovery: { warnWhenNoEntities: false, inferDefaultValues: false },
    forceUtcTimezone: true,
    // MikroORM would otherwise create a missing database on connect: only `migrate` creates one
    // (docs/operations.md), so that a mistyped DATABASE_URL is reported, not quietly made.
    ensureDatabase: false,
  };
}
