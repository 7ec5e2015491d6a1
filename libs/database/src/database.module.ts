import { MikroOrmModule } from '@mikro-orm/nestjs';
import { Logger, Module } from '@nestjs/common';
import { PostgreSqlDriver } from '@mikro-orm/postgresql';
import { APP_CONFIG, AppConfig } from '@customer-access/config';
import { createOrmOptions } from './orm-options';
import { usePreparedStatements } from './sql';

/**
 * Connects MikroORM for an app. Domain libs register their own entities with
 * `MikroOrmModule.forFeature`, picked up here through autoLoadEntities.
 */
@Module({
  imports: [
    MikroOrmModule.forRootAsync({
      driver: PostgreSqlDriver,
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig) => {
        usePreparedStatements(config.databasePreparedStatements, (message) => new Logger('Database').warn(message));
        return {
          ...createOrmOptions({ databaseUrl: config.databaseUrl, statementTimeoutMs: config.databaseStatementTimeoutMs }),
          autoLoadEntities: true,
          // Repositories fork or use explicit transactions; no per-request context middleware needed.
          registerRequestContext: false,
        };
      },
    }),
  ],
})
export class DatabaseModule {}
