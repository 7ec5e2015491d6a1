import { Options } from '@mikro-orm/core';
import { Migrator } from '@mikro-orm/migrations';
import { PostgreSqlDriver } from '@mikro-orm/postgresql';
import { migrationsList } from './migrations';

export interface OrmOptionsInput {
  databaseUrl: string;
  poolMax?: number;
  debug?: boolean;
}

/** The single place where MikroORM is configured, shared by both apps and the CLI. */
export function createOrmOptions({ databaseUrl, poolMax = 10, debug = false }: OrmOptionsInput): Options<PostgreSqlDriver> {
  return {
    driver: PostgreSqlDriver,
    clientUrl: databaseUrl,
    pool: { min: 1, max: poolMax },
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
    discovery: { warnWhenNoEntities: false },
    forceUtcTimezone: true,
  };
}
