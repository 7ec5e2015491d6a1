import { Global, Inject, Injectable, Module, OnApplicationShutdown } from '@nestjs/common';
import type { ConnectionOptions } from 'bullmq';
import { APP_CONFIG, AppConfig } from '@customer-access/config';
import { ConnectionRequest, createRedisConnection, RedisConnection, standaloneOptions } from './redis-connections';

/** The shared command connection (throttle counters, limiters, pub/sub publishing, heartbeat, health). */
export const REDIS_CLIENT = Symbol('REDIS_CLIENT');

/**
 * The one place where the configuration (REDIS_URL, REDIS_CLUSTER_NODES or REDIS_SENTINELS with
 * REDIS_SENTINEL_NAME) becomes ioredis connections, for every Redis user of the apps: BullMQ,
 * throttler storage, limiters, settings broadcast, heartbeat, health, bull-board.
 */
@Injectable()
export class RedisConnectionFactory implements OnApplicationShutdown {
  private readonly connections: RedisConnection[] = [];

  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {}

  /**
   * A connection that fails fast while Redis is unreachable (no offline queue, one retry), so that
   * a request depending on Redis answers 503 at once instead of hanging until Redis comes back.
   */
  create(name: string, options: Pick<ConnectionRequest, 'autoPipelining'> = {}): RedisConnection {
    return this.track(createRedisConnection(this.config.redis, { name, behaviour: 'fail-fast', ...options }));
  }

  /** A connection for SUBSCRIBE, which must keep a queue while reconnecting (and resubscribes). */
  createSubscriber(name: string): RedisConnection {
    return this.track(createRedisConnection(this.config.redis, { name, behaviour: 'patient' }));
  }

  /**
   * BullMQ's `connection` for an app. Producers fail fast (the forgot request gets a 503 at once,
   * never a 202 for a job that was not stored); the worker's connections wait and reconnect
   * forever. One Redis and Sentinel: options, from which BullMQ makes (and closes) its own
   * connections. Cluster: a Cluster instance (ioredis has no other way), which BullMQ duplicates
   * for its blocking connections and which this factory closes at shutdown.
   */
  bullmqConnection(role: 'producer' | 'worker'): ConnectionOptions {
    const request = {
      name: `bullmq-${role}`,
      behaviour: role === 'producer' ? ('fail-fast' as const) : ('patient' as const),
      bullmqBlocking: role === 'worker',
    };
    const topology = this.config.redis;
    if (topology.kind === 'cluster') return this.track(createRedisConnection(topology, request));
    return standaloneOptions(topology, request);
  }

  private track<C extends RedisConnection>(connection: C): C {
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
      useFactory: (factory: RedisConnectionFactory) => factory.create('commands', { autoPipelining: true }),
    },
  ],
  exports: [REDIS_CLIENT, RedisConnectionFactory],
})
export class RedisModule {}
