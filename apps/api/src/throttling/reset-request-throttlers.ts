import { createHash } from 'node:crypto';
import { normalizeEmail } from '@customer-access/customers';
import { CustomerPasswordSettings } from '@customer-access/settings';
import { ThrottleCounter } from './redis-throttler.storage';

const HOUR_MS = 3_600_000;

/** What one "Forgot Your Password?" request is counted by, whichever door it came through. */
export interface ResetRequestSubject {
  /** The client IP (Fastify's request.ip: the peer, or X-Forwarded-For from a trusted proxy). */
  ip: string;
  /** The email the request names, as sent: anything that is not a string counts under the IP. */
  email: unknown;
}

/** The email a forgot request names, normalized, as a rate-limit key. */
function emailTracker({ ip, email }: ResetRequestSubject): string {
  // A malformed body is rejected by validation after the count; it still counts, under its IP.
  return typeof email === 'string' ? `email:${normalizeEmail(email)}` : `invalid-body:${ip}`;
}

const ipTracker = ({ ip }: ResetRequestSubject): string => ip;

/**
 * Counter keys are hashed, so that Redis never holds an email address in clear (the same key for
 * the REST route and the hosted page: they share every counter).
 */
const keyOf = (name: string, tracker: string): string => createHash('sha256').update(`${name}:${tracker}`).digest('hex');

/**
 * The counters one forgot request is counted against, in order, under the live settings:
 * - an hourly cap (maxResetRequestsPerHour, 0 = none) and
 * - a minimum gap between requests (minSecondsBetweenResetRequests, 0 = none),
 * each kept per client IP and/or per email as resetProtectionType says. Unknown emails count the
 * same as known ones, so the limiter reveals nothing about which accounts exist.
 */
export function resetRequestCounters(settings: CustomerPasswordSettings, subject: ResetRequestSubject): ThrottleCounter[] {
  const byIp = ['ip_and_email', 'ip'].includes(settings.resetProtectionType);
  const byEmail = ['ip_and_email', 'email'].includes(settings.resetProtectionType);
  const cap = settings.maxResetRequestsPerHour;
  const gapMs = Math.max(1000, settings.minSecondsBetweenResetRequests * 1000);
  const candidates = [
    { name: 'reset-ip-hour', on: byIp && cap > 0, ttl: HOUR_MS, limit: cap, tracker: ipTracker },
    { name: 'reset-email-hour', on: byEmail && cap > 0, ttl: HOUR_MS, limit: cap, tracker: emailTracker },
    { name: 'reset-ip-gap', on: byIp && settings.minSecondsBetweenResetRequests > 0, ttl: gapMs, limit: 1, tracker: ipTracker },
    { name: 'reset-email-gap', on: byEmail && settings.minSecondsBetweenResetRequests > 0, ttl: gapMs, limit: 1, tracker: emailTracker },
  ];
  return candidates
    .filter((c) => c.on)
    .map((c) => ({ throttlerName: c.name, key: keyOf(c.name, c.tracker(subject)), ttl: c.ttl, limit: c.limit }));
}
