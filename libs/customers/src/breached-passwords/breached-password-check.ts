import { Inject, Injectable, Logger, Optional } from '@nestjs/common';
import { APP_CONFIG, AppConfig } from '@customer-access/config';
import { ApiMetrics } from '@customer-access/observability';
import { pwnedRangeKey, REDIS_CLIENT, RedisConnection } from '@customer-access/redis';
import { PwnedPasswordsCheck, PwnedRangeCache } from './pwned-passwords-check';

export { PWNED_FAILURES_TO_REST, PWNED_REST_MS, PWNED_TIMEOUT_MS } from './pwned-passwords-check';
/** Range answers are cached this long in Redis (every instance shares them). */
export const PWNED_CACHE_SECONDS = 86_400;

/**
 * The breached-password check (PwnedPasswordsCheck) as the apps inject it: range answers cached in
 * Redis for a day, shared by every instance; outcomes counted in the metric; warnings through Nest's Logger.
 */
@Injectable()
export class BreachedPasswordCheck extends PwnedPasswordsCheck {
  constructor(
    @Optional() @Inject(APP_CONFIG) config?: AppConfig,
    @Optional() @Inject(REDIS_CLIENT) redis?: RedisConnection,
    @Optional() metrics?: ApiMetrics,
  ) {
    const logger = new Logger(BreachedPasswordCheck.name);
    super({
      baseUrl: config?.pwnedPasswordsUrl ?? 'https://api.pwnedpasswords.com',
      warn: (message) => logger.warn(message),
      cache: redis && redisRangeCache(redis, logger),
      count: metrics ? (outcome) => metrics.breachedPasswordChecks.labels(outcome).inc() : undefined,
    });
  }
}

/** A failing Redis only costs the cache: a read error asks the range API, a write error is logged. */
function redisRangeCache(redis: Pick<RedisConnection, 'get' | 'set'>, logger: Logger): PwnedRangeCache {
  return {
    async get(prefix) {
      try {
        const value = await redis.get(pwnedRangeKey(prefix));
        return value === null ? undefined : value === '' ? [] : value.split('\n');
      } catch (e) {
        logger.warn(`Could not read the Pwned Passwords cache: ${e}`);
        return undefined;
      }
    },
    async set(prefix, suffixes) {
      await redis
        .set(pwnedRangeKey(prefix), suffixes.join('\n'), 'EX', PWNED_CACHE_SECONDS)
        .catch((e: unknown) => logger.warn(`Could not cache a Pwned Passwords range: ${e}`));
    },
  };
}
