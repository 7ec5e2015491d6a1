import { Global, Inject, Injectable, Module, OnApplicationShutdown } from '@nestjs/common';
import Redis from 'ioredis';
import { APP_CONFIG, AppConfig } from '@customer-access/config';
import { redisOptionsFromUrl } from './redis-options';

/** The shared command connection (throttle counters, pub/sub publishing, health). */
export const REDIS_CLIENT = Symbol('REDIS_CLIENT');

/** Builds the command connections this service uses. */
@Injectable()
export class RedisConnectionFactory implements OnApplicationShutdown {
  private readonly connections: Redis[] = [];

  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {}

  /**
   * A connection that fails fast while Redis is unreachable (no offline queue, one retry), so that
   * a request depending on Redis answers 503 at once instead of hanging until Redis comes back.
   */
  create(name: string): Redis {
    const connection = new Redis({
      ...redisOptionsFromUrl(this.config.redisUrl),
      connectionName: `customer-access:${name}`,
      enableOfflineQueue: false,
      maxRetriesPerRequest: 1,
      connectTimeout: 2000,
      commandTimeout: 2000,
      lazyConnect: false,
      retryStrategy: (attempt) => Math.min(attempt * 200, 2000),
    });
    // Errors surface on the commands; without a listener ioredis would print every reconnect attempt.
    connection.on('error', () => undefined);
    this.connections.push(connection);
    return connection;
  }

  /** A connection for SUBSCRIBE, which must keep a queue while reconnecting. */
  createSubscriber(name: string): Redis {
    const connection = new Redis({
      ...redisOptionsFromUrl(this.config.redisUrl),
      connectionName: `customer-access:${name}`,
      retryStrategy: (attempt) => Math.min(attempt * 200, 2000),
    });
    connection.on('error', () => undefined);
    this.connections.push(connection);
    return connection;
  }

  async onApplicationShutdown(): Promise<void> {
    await Promise.all(this.connections.map((c) => c.quit().catch(() => c.disconnect())));
  }
}

@Global()
@Module({
  providers: [
    RedisConnectionFactory,
    {
      provide: REDIS_CLIENT,
      inject: [RedisConnectionFactory],
      useFactory: (factory: RedisConnectionFactory) => factory.create('commands'),
    },
  ],
  exports: [REDIS_CLIENT, RedisConnectionFactory],
})
export class RedisModule {}
