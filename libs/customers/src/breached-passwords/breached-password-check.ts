import { Inject, Injectable, Logger, Optional } from '@nestjs/common';
import { passwordBreached } from '@customer-access/common';
import { APP_CONFIG, AppConfig } from '@customer-access/config';
import { ApiMetrics, BreachedCheckOutcome } from '@customer-access/observability';
import { pwnedRangeKey, REDIS_CLIENT, RedisConnection } from '@customer-access/redis';
import type { BreachedPasswordCheckMode } from '@customer-access/settings';
import { normalizePassword } from '../normalize-password';
import { breachedSuffixes, pwnedHashParts } from './pwned-range';

/** How long the range API may take before the password is allowed unchecked. */
export const PWNED_TIMEOUT_MS = 2000;
/** Failures in a row after which the check rests, and for how long. */
export const PWNED_FAILURES_TO_REST = 3;
export const PWNED_REST_MS = 60_000;
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
 * Is a new password in the Pwned Passwords list (docs/api.md, "Abuse protection")? k-anonymity: only
 * the first 5 hex characters of the password's SHA-1 leave, with `Add-Padding: true` so the answer's
 * size says nothing either; the suffix is looked up in the answer here. Range answers are cached in
 * Redis for a day, shared by every instance.
 *
 * The range API must never block a customer: no answer within 2 s, an error status, a redirect (never
 * followed: only PWNED_PASSWORDS_URL is ever asked) → the password is allowed and the failure counted.
 * After 3 failures in a row the check rests for 60 s (allowed, counted as `resting`) and then tries
 * again. The breaker is per process, not shared: each instance finds an outage by its own 3 requests,
 * and a shared one would cost a Redis round trip on every check for little gain (docs/configuration.md).
 */
@Injectable()
export class BreachedPasswordCheck {
  private readonly logger = new Logger(BreachedPasswordCheck.name);
  private readonly deps: BreachedPasswordCheckDeps;
  private failuresInRow = 0;
  private restingUntil = 0;

  constructor(
    @Optional() @Inject(APP_CONFIG) config?: AppConfig,
    @Optional() @Inject(REDIS_CLIENT) redis?: RedisConnection,
    @Optional() metrics?: ApiMetrics,
    @Optional() @Inject('BREACHED_PASSWORD_CHECK_DEPS') deps?: BreachedPasswordCheckDeps,
  ) {
    this.deps = deps ?? {
      baseUrl: config?.pwnedPasswordsUrl ?? 'https://api.pwnedpasswords.com',
      redis,
      count: metrics ? (outcome) => metrics.breachedPasswordChecks.labels(outcome).inc() : undefined,
    };
  }

  /** For the CLI, which has no Nest container: the range API without a shared cache. */
  static standalone(deps: BreachedPasswordCheckDeps): BreachedPasswordCheck {
    return new BreachedPasswordCheck(undefined, undefined, undefined, deps);
  }

  /** Throws PASSWORD_BREACHED when `mode` is `block` and the password is in the list. */
  async assertNotBreached(password: string, mode: BreachedPasswordCheckMode): Promise<void> {
    if (mode === 'off') return;
    if ((await this.check(password)) === 'breached') throw passwordBreached();
  }

  /** The outcome of checking one password (counted in the metric). */
  async check(password: string): Promise<BreachedCheckOutcome> {
    const outcome = await this.outcome(password);
    this.deps.count?.(outcome);
    return outcome;
  }

  private async outcome(password: string): Promise<BreachedCheckOutcome> {
    const { prefix, suffix } = pwnedHashParts(normalizePassword(password));
    let suffixes = await this.cached(prefix);
    if (suffixes === undefined) {
      if (Date.now() < this.restingUntil) return 'resting';
      suffixes = await this.fetchRange(prefix);
      if (suffixes === undefined) return 'unavailable';
      await this.deps.redis
        ?.set(pwnedRangeKey(prefix), suffixes.join('\n'), 'EX', PWNED_CACHE_SECONDS)
        .catch((e: unknown) => this.logger.warn(`Could not cache a Pwned Passwords range: ${e}`));
    }
    return suffixes.includes(suffix) ? 'breached' : 'clean';
  }

  private async cached(prefix: string): Promise<string[] | undefined> {
    if (!this.deps.redis) return undefined;
    try {
      const value = await this.deps.redis.get(pwnedRangeKey(prefix));
      return value === null ? undefined : value === '' ? [] : value.split('\n');
    } catch (e) {
      this.logger.warn(`Could not read the Pwned Passwords cache: ${e}`);
      return undefined;
    }
  }

  /** The breached suffixes of one range, or undefined when the range API did not answer well in time. */
  private async fetchRange(prefix: string): Promise<string[] | undefined> {
    try {
      const response = await fetch(`${this.deps.baseUrl}/range/${prefix}`, {
        headers: { 'Add-Padding': 'true', 'User-Agent': 'customer-access' },
        redirect: 'manual',
        signal: AbortSignal.timeout(PWNED_TIMEOUT_MS),
      });
      if (response.status !== 200) {
        await response.body?.cancel();
        throw new Error(`status ${response.status}`);
      }
      const suffixes = breachedSuffixes(await response.text());
      this.failuresInRow = 0;
      return suffixes;
    } catch (e) {
      this.failuresInRow += 1;
      const resting = this.failuresInRow >= PWNED_FAILURES_TO_REST;
      if (resting) {
        this.restingUntil = Date.now() + PWNED_REST_MS;
        this.failuresInRow = 0;
      }
      const why = e instanceof Error && e.name === 'TimeoutError' ? `no answer within ${PWNED_TIMEOUT_MS} ms` : String(e);
      this.logger.warn(
        `Pwned Passwords range API unavailable (${why}); the password is allowed` +
          (resting ? `; the check rests for ${PWNED_REST_MS / 1000} s after ${PWNED_FAILURES_TO_REST} failures in a row` : ''),
      );
      return undefined;
    }
  }
}
