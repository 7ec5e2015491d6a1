export { REDIS_CLIENT, RedisConnectionFactory, RedisModule } from './redis.module';
export { type ConnectionBehaviour, createRedisConnection, type RedisConnection, standaloneOptions } from './redis-connections';
export {
  adminMfaTokenKey,
  adminWebAuthnChallengeKey,
  adminSignInFailureKeys,
  BULLMQ_PREFIX,
  emailTestSendsKey,
  pwnedRangeKey,
  resetChallengeCountKey,
  resetChallengeSpentKey,
  resetTokenGuessKey,
  RESET_TOKEN_GUESS_KEY_PREFIX,
  SETTINGS_CHANGED_CHANNEL,
  throttleCounterKey,
  THROTTLE_KEY_PREFIX,
  WORKER_HEARTBEAT_KEY,
} from './key-layout';
export { redisOptionsFromUrl } from './redis-options';
