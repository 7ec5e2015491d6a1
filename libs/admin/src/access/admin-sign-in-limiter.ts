import { Inject, Injectable } from '@nestjs/common';
import { clientNetworkKey, DomainError, ErrorCode } from '@customer-access/common';
import { adminSignInFailureKeys, REDIS_CLIENT, RedisConnection } from '@customer-access/redis';
import { clearAdminSignInFailures } from './admin-sign-in-failures';

const WINDOW_SECONDS = 15 * 60;
/** Per admin email: stops guessing one admin's password, while a typo-prone human is never hit. */
const MAX_FAILURES_PER_EMAIL = 10;
/** Per client IP: stops one source from spraying guesses across many admin emails. */
const MAX_FAILURES_PER_IP = 50;

/** INCR and start the window on the first failure, atomically (no key ever left without a TTL). */
const COUNT_FAILURE = `
local n = redis.call('INCR', KEYS[1])
if n == 1 then redis.call('EXPIRE', KEYS[1], ARGV[1]) end
return n`;

/**
 * Failed admin sign-ins, counted in Redis so that every API instance shares the counts. Only
 * failures count: an admin who signs in often is never slowed down.
 */
@Injectable()
export class AdminSignInLimiter {
  constructor(@Inject(REDIS_CLIENT) private readonly redis: RedisConnection) {}

  async assertAllowed(email: string, ip: string): Promise<void> {
    const [emailKey, ipKey] = this.keys(email, ip);
    // Two GETs, not one MGET: the keys are in different Cluster slots (each is a single-key counter).
    const [emailFailures, ipFailures] = await Promise.all([this.redis.get(emailKey), this.redis.get(ipKey)]);
    const blockedKey =
      Number(emailFailures ?? 0) >= MAX_FAILURES_PER_EMAIL ? emailKey : Number(ipFailures ?? 0) >= MAX_FAILURES_PER_IP ? ipKey : null;
    if (!blockedKey) return;
    const ttl = await this.redis.ttl(blockedKey);
    throw new DomainError(ErrorCode.TooManyRequests, 'Too many failed sign-in attempts. Please wait and try again later.', {
      retryAfterSeconds: ttl > 0 ? ttl : WINDOW_SECONDS,
    });
  }

  async recordFailure(email: string, ip: string): Promise<void> {
    const [emailKey, ipKey] = this.keys(email, ip);
    await Promise.all([
      this.redis.eval(COUNT_FAILURE, 1, emailKey, WINDOW_SECONDS),
      this.redis.eval(COUNT_FAILURE, 1, ipKey, WINDOW_SECONDS),
    ]);
  }

  /** Forgets the email's failures (a successful sign-in, or admin:unlock). True when there were some. */
  clear(email: string): Promise<boolean> {
    return clearAdminSignInFailures(this.redis, email);
  }

  /**
   * The email as given (callers pass the normalized or stored address) and the client's network:
   * an IPv6 client holds a whole /64, so the full address would give it 2^64 fresh budgets.
   */
  private keys(email: string, ip: string): [string, string] {
    return adminSignInFailureKeys(email, clientNetworkKey(ip));
  }
}
