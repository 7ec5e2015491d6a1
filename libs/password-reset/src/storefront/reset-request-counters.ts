import { hash } from 'node:crypto';
import { CustomerPasswordSettings } from '@customer-access/settings';
import { ThrottleCounter } from './redis-throttler.storage';

const HOUR_MS = 3_600_000;

/** What one well-formed "Forgot Your Password?" request is counted by, whichever door it came through. */
export interface ResetRequestSubject {
  /** The client's rate-limit key: its IPv4 address or IPv6 /64 (clientNetworkKey). */
  network: string;
  /** The normalized email the request names. */
  email: string;
  /** The request's website when accounts are per website (the per-email counters count within it); null: global. */
  website: string | null;
}

/**
 * Counter keys are hashed, so that Redis never holds an email address in clear. crypto.hash, the
 * one-shot digest: the same SHA-256 hex as createHash().update().digest() without a Hash object per
 * key (a forgot request hashes two to four keys; docs/performance.md, Round 3).
 */
const keyOf = (name: string, tracker: string): string => hash('sha256', `${name}:${tracker}`, 'hex');

interface CounterDefinition {
  name: string;
  applies(settings: CustomerPasswordSettings): boolean;
  ttl(settings: CustomerPasswordSettings): number;
  limit(settings: CustomerPasswordSettings): number;
  tracker(subject: ResetRequestSubject): string;
}

const byIp = (s: CustomerPasswordSettings) => s.resetProtectionType === 'ip_and_email' || s.resetProtectionType === 'ip';
const byEmail = (s: CustomerPasswordSettings) => s.resetProtectionType === 'ip_and_email' || s.resetProtectionType === 'email';
const cap = (s: CustomerPasswordSettings) => s.maxResetRequestsPerHour;
const gapMs = (s: CustomerPasswordSettings) => Math.max(1000, s.minSecondsBetweenResetRequests * 1000);
const ipTracker = ({ network }: ResetRequestSubject): string => network;
const emailTracker = ({ email, website }: ResetRequestSubject): string =>
  website === null ? `email:${email}` : `email:${website}:${email}`;

/**
 * The counters of "Forgot Your Password?", in the order they are counted:
 * - an hourly cap (maxResetRequestsPerHour, 0 = none) and
 * - a minimum gap between requests (minSecondsBetweenResetRequests, 0 = none),
 * each kept per client network and/or per email as resetProtectionType says. Unknown emails count
 * the same as known ones, so the limiter reveals nothing about which accounts exist. The IP
 * counters come first: a client over its own cap does not use up the email counters.
 */
const RESET_REQUEST_COUNTERS: readonly CounterDefinition[] = [
  { name: 'reset-ip-hour', applies: (s) => byIp(s) && cap(s) > 0, ttl: () => HOUR_MS, limit: cap, tracker: ipTracker },
  { name: 'reset-email-hour', applies: (s) => byEmail(s) && cap(s) > 0, ttl: () => HOUR_MS, limit: cap, tracker: emailTracker },
  { name: 'reset-ip-gap', applies: (s) => byIp(s) && s.minSecondsBetweenResetRequests > 0, ttl: gapMs, limit: () => 1, tracker: ipTracker },
  {
    name: 'reset-email-gap',
    applies: (s) => byEmail(s) && s.minSecondsBetweenResetRequests > 0,
    ttl: gapMs,
    limit: () => 1,
    tracker: emailTracker,
  },
];

/** The counters one forgot request is counted against under the live settings, in order. */
export function resetRequestCounters(settings: CustomerPasswordSettings, subject: ResetRequestSubject): ThrottleCounter[] {
  const counters: ThrottleCounter[] = [];
  for (const c of RESET_REQUEST_COUNTERS) {
    if (!c.applies(settings)) continue;
    counters.push({ throttlerName: c.name, key: keyOf(c.name, c.tracker(subject)), ttl: c.ttl(settings), limit: c.limit(settings) });
  }
  return counters;
}
