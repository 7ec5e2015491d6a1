import { passwordBreached } from '@customer-access/common';
import type { BreachedCheckOutcome } from '@customer-access/observability';
import type { BreachedPasswordCheckMode } from '@customer-access/settings';
import { normalizePassword } from '../normalize-password';
import { breachedSuffixes, pwnedHashParts } from './pwned-range';

/** How long the range API may take before the password is allowed unchecked. */
export const PWNED_TIMEOUT_MS = 2000;
/** Failures in a row after which the check rests, and for how long. */
export const PWNED_FAILURES_TO_REST = 3;
export const PWNED_REST_MS = 60_000;

/** A shared cache of range answers (the API's is in Redis): the breached suffixes of a prefix. */
export interface PwnedRangeCache {
  get(prefix: string): Promise<string[] | undefined>;
  set(prefix: string, suffixes: string[]): Promise<void>;
}

export interface PwnedPasswordsCheckDeps {
  baseUrl: string;
  /** Where warnings go (the range API failing): Nest's Logger in the apps. */
  warn: (message: string) => void | Promise<void>;
  cache?: PwnedRangeCache;
  count?: (outcome: BreachedCheckOutcome) => void;
}

/**
 * Is a new password in the Pwned Passwords list (docs/api.md, "Abuse protection")? k-anonymity: only
 * the first 5 hex characters of the password's SHA-1 leave, with `Add-Padding: true` so the answer's
 * size says nothing either; the suffix is looked up in the answer here.
 *
 * The range API must never block a customer: no answer within 2 s, an error status, a redirect (never
 * followed: only PWNED_PASSWORDS_URL is ever asked) → the password is allowed and the failure counted.
 * After 3 failures in a row the check rests for 60 s (allowed, counted as `resting`) and then tries
 * again. The breaker is per process, not shared: each instance finds an outage by its own 3 requests,
 * and a shared one would cost a Redis round trip on every check for little gain (docs/configuration.md).
 *
 * No Nest here: the CLI's light admin:create uses it as it is; BreachedPasswordCheck gives it the
 * Redis cache, the metric and Nest's Logger in the apps.
 */
export class PwnedPasswordsCheck {
  private failuresInRow = 0;
  private restingUntil = 0;

  constructor(private readonly deps: PwnedPasswordsCheckDeps) {}

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
    let suffixes = await this.deps.cache?.get(prefix);
    if (suffixes === undefined) {
      if (Date.now() < this.restingUntil) return 'resting';
      suffixes = await this.fetchRange(prefix);
      if (suffixes === undefined) return 'unavailable';
      await this.deps.cache?.set(prefix, suffixes);
    }
    return suffixes.includes(suffix) ? 'breached' : 'clean';
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
      await this.deps.warn(
        `Pwned Passwords range API unavailable (${why}); the password is allowed` +
          (resting ? `; the check rests for ${PWNED_REST_MS / 1000} s after ${PWNED_FAILURES_TO_REST} failures in a row` : ''),
      );
      return undefined;
    }
  }
}
