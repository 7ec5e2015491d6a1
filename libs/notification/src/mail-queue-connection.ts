import { BullModule } from '@nestjs/bullmq';
import { DynamicModule } from '@nestjs/common';
import { BULLMQ_PREFIX, RedisConnectionFactory } from '@customer-access/redis';

/**
 * BullMQ's root module for an app (import it once, next to NotificationModule), connected through
 * the one Redis connection factory (any of the three Redis forms). Producers fail fast while Redis
 * is down (the request gets a 503 at once); the worker's blocking connections must instead wait
 * and reconnect forever. The hash-tagged prefix keeps each queue in one Cluster slot (BULLMQ_PREFIX).
 */
export function mailQueueConnection(role: 'producer' | 'worker'): DynamicModule {
  return BullModule.forRootAsync({
    inject: [RedisConnectionFactory],
    useFactory: (redis: RedisConnectionFactory) => ({ connection: redis.bullmqConnection(role), prefix: BULLMQ_PREFIX }),
  });
}
