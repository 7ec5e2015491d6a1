export { REDIS_CLIENT, RedisConnectionFactory, RedisModule } from './redis.module';
export { ConnectionBehaviour, createRedisConnection, RedisConnection, standaloneOptions } from './redis-connections';
export { BULLMQ_PREFIX } from './key-layout';
export { redisOptionsFromUrl } from './redis-options';
