import { Inject, Injectable } from '@nestjs/common';
import { clientNetworkKey, DomainError, ErrorCode, resetRateLimited } from '@customer-access/common';
import { APP_CONFIG, AppConfig } from '@customer-access/config';
import { REDIS_CLIENT, RedisConnection, resetTokenGuessKey } from '@customer-access/redis';
import { SettingsService } from '@customer-access/settings';

/**
 * Reserves one token lookup for a client IP, atomically: refused (with the window's remaining
 * milliseconds) once the IP has used up its budget, otherwise counted before the lookup runs.
 * Counting first means that concurrent requests cannot all slip past the check together.
 */
const RESERVE_SCRIPT = `
local used = tonumber(redis.call('GET', KEYS[1]) or '0')
if used >= tonumber(ARGV[1]) then
  local ttl = redis.call('PTTL', KEYS[1])
  if ttl < 0 then redis.call('PEXPIRE', KEYS[1], ARGV[2]); ttl = tonumber(ARGV[2]) end
  return {0, ttl}
end
local n = redis.call('INCR', KEYS[1])
if n == 1 or redis.call('PTTL', KEYS[1]) < 0 then redis.call('PEXPIRE', KEYS[1], ARGV[2]) end
return {1, redis.call('PTTL', KEYS[1])}
`;

/** Gives a reservation back (the lookup found a real token, or never ran); never below zero. */
const RELEASE_SCRIPT = `
local used = tonumber(redis.call('GET', KEYS[1]) or '0')
if used > 0 then redis.call('DECR', KEYS[1]) end
return 0
`;

type GuessRedis = RedisConnection & {
  resetTokenGuessReserve(key: string, limit: number, windowMs: number): Promise<[number, number]>;
  resetTokenGuessRelease(key: string): Promise<number>;
};

/**
 * Per-IP limit on wrong reset tokens, shared by checking and completing a reset (StorefrontResetFlow),
 * whichever door (and by every API instance, through Redis).
 *
 * A token has 256 bits, so guessing one is hopeless; this limiter stops the attempt anyway, so that
 * nobody can hammer the token lookup. Each request reserves one unit of the IP's budget
 * (RESET_TOKEN_FAILURES_PER_IP per RESET_TOKEN_FAILURE_WINDOW_SECONDS, fixed window) before the
 * lookup; the unit is kept only when the answer is RESET_TOKEN_INVALID for a token that was never
 * issued, and given back otherwise (valid, expired, used or superseded token, the loser of a
 * concurrent reset with the same link, policy or confirmation errors). Once the budget is spent, both routes
 * answer 429 before looking anything up, even for a good token, until the window ends.
 *
 * The answer is the 429 RESET_RATE_LIMITED of docs/api.md with its fixed message and a Retry-After: the
 * storefront already shows it on the reset pages, and its text ("too many requests for password
 * resets, wait or contact support") is right for this case too, so clients need nothing new.
 *
 * Redis unreachable: the routes answer 503 (fail closed) rather than run without the limit.
 * The IP is Fastify's `request.ip`: the peer address, or the X-Forwarded-For client behind a
 * proxy listed in TRUSTED_PROXIES; an IPv6 client is counted by its /64 (clientNetworkKey).
 */
@Injectable()
export class ResetTokenGuessLimiter {
  private readonly redis: GuessRedis;

  constructor(
    @Inject(REDIS_CLIENT) redis: RedisConnection,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly settings: SettingsService,
  ) {
    redis.defineCommand('resetTokenGuessReserve', { numberOfKeys: 1, lua: RESERVE_SCRIPT });
    redis.defineCommand('resetTokenGuessRelease', { numberOfKeys: 1, lua: RELEASE_SCRIPT });
    this.redis = redis as GuessRedis;
  }

  /** Runs `lookup` within the IP's budget of wrong tokens; rethrows whatever `lookup` throws. */
  async run<T>(ip: string, lookup: () => Promise<T>): Promise<T> {
    const key = resetTokenGuessKey(clientNetworkKey(ip));
    const windowMs = this.config.resetTokenFailureWindowSeconds * 1000;
    const [allowed, ttlMs] = await this.redis.resetTokenGuessReserve(key, this.config.resetTokenFailuresPerIp, windowMs);
    if (allowed !== 1) {
      throw resetRateLimited(this.settings.current().supportEmail, Math.max(1, Math.ceil(Number(ttlMs) / 1000)));
    }
    let wrongToken = false;
    try {
      return await lookup();
    } catch (error) {
      wrongToken = error instanceof DomainError && error.code === ErrorCode.ResetTokenInvalid && error.reason !== 'spent';
      throw error;
    } finally {
      // Best effort: if Redis fails here, the IP is charged one unit it did not owe.
      if (!wrongToken) await this.redis.resetTokenGuessRelease(key).catch(() => undefined);
    }
  }
}
