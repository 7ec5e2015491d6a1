export { REDIS_CLIENT, RedisConnectionFactory, RedisModule } from './redis.module';
export { redisOptionsFromUrl } from './redis-options';
