export { REDIS_CLIENT, RedisConnectionFactory, RedisModule } from './redis.module';
export { ConnectionBehaviour, createRedisConnection, RedisConnection, standaloneOptions } from './redis-connections';
export { BULLMQ_PREFIX, resetTokenGuessKey, RESET_TOKEN_GUESS_KEY_PREFIX, throttleCounterKey, THROTTLE_KEY_PREFIX } from './key-layout';
export { redisOptionsFromUrl } from './redis-options';
