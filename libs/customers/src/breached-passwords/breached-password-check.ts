import { Inject, Injectable, Logger, Optional } from '@nestjs/common';
import { APP_CONFIG, AppConfig } from '@customer-access/config';
import { ApiMetrics, BreachedCheckOutcome } from '@customer-access/observability';
import { pwnedRangeKey, REDIS_CLIENT, RedisConnection } from '@customer-access/redis';
import { PwnedPasswordsCheck, PwnedRangeCache } from './pwned-passwords-check';

export { PWNED_FAILURES_TO_REST, PWNED_REST_MS, PWNED_TIMEOUT_MS } from './pwned-passwords-check';
/** Range answers are cached this long in Redis (every instance shares them). */
export const PWNED_CACHE_SECONDS = 86_400;

/** The parts the check needs; Nest injects them in the API, the CLI passes its own. */
export interface BreachedPasswordCheckDeps {
  baseUrl: string;
  /** The shared range cache; without one (the CLI) every check asks the range API. */
  redis?: Pick<RedisConnection, 'get' | 'set'>;
  count?: (outcome: BreachedCheckOutcome) => void;
}

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
    @Optional() @Inject('BREACHED_PASSWORD_CHECK_DEPS') deps?: BreachedPasswordCheckDeps,
  ) {
    const logger = new Logger(BreachedPasswordCheck.name);
    const given: BreachedPasswordCheckDeps = deps ?? {
      baseUrl: config?.pwnedPasswordsUrl ?? 'https://api.pwnedpasswords.com',
      redis,
      count: metrics ? (outcome) => metrics.breachedPasswordChecks.labels(outcome).inc() : undefined,
    };
    super({
      baseUrl: given.baseUrl,
      warn: (message) => logger.warn(message),
      cache: given.redis && redisRangeCache(given.redis, logger),
      count: given.count,
    });
  }

  /** For the CLI, which has no Nest container: the range API without a shared cache. */
  static standalone(deps: BreachedPasswordCheckDeps): BreachedPasswordCheck {
    return new BreachedPasswordCheck(undefined, undefined, undefined, deps);
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
