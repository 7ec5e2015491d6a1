import { Injectable } from '@nestjs/common';
import { resetRateLimited } from '@customer-access/common';
import { SettingsService } from '@customer-access/settings';
import { RedisThrottlerStorage, ThrottleCounter } from './redis-throttler.storage';
import { ResetRequestSubject, resetRequestCounters } from './reset-request-throttlers';

/**
 * The one throttle check of "Forgot Your Password?", shared by the REST route's guard and the
 * hosted page, so that both doors count against the same counters under the same rules.
 *
 * Performance (BENCHMARKS.md): every counter of a request is counted in one Redis script call,
 * in order, stopping at the first counter over its limit (later ones are not counted).
 */
@Injectable()
export class ResetRequestThrottle {
  constructor(
    private readonly storage: RedisThrottlerStorage,
    private readonly settings: SettingsService,
  ) {}

  /** Counts one request; throws DESIGN.md's 429 RESET_RATE_LIMITED (with Retry-After) when over a limit. */
  async count(subject: ResetRequestSubject): Promise<void> {
    await this.enforce(resetRequestCounters(this.settings.current(), subject));
  }

  /** Counts `counters` (in order, one script call) and throws the 429 at the first over its limit. */
  async enforce(counters: ThrottleCounter[]): Promise<void> {
    if (counters.length === 0) return;
    const blocked = (await this.storage.incrementAll(counters)).find((record) => record.isBlocked);
    if (blocked) throw resetRateLimited(this.settings.current().supportEmail, Math.max(1, blocked.timeToBlockExpire));
  }
}
