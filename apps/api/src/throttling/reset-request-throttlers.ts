import { createHash } from 'node:crypto';
import { normalizeEmail } from '@customer-access/customers';
import { ExecutionContext } from '@nestjs/common';
import { ThrottlerOptions } from '@nestjs/throttler';
import { CustomerPasswordSettings, SettingsService } from '@customer-access/settings';
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

interface CounterDefinition {
  name: string;
  applies(settings: CustomerPasswordSettings): boolean;
  ttl(settings: CustomerPasswordSettings): number;
  limit(settings: CustomerPasswordSettings): number;
  tracker(subject: ResetRequestSubject): string;
}

const byIp = (s: CustomerPasswordSettings) => ['ip_and_email', 'ip'].includes(s.resetProtectionType);
const byEmail = (s: CustomerPasswordSettings) => ['ip_and_email', 'email'].includes(s.resetProtectionType);
const cap = (s: CustomerPasswordSettings) => s.maxResetRequestsPerHour;
const gapMs = (s: CustomerPasswordSettings) => Math.max(1000, s.minSecondsBetweenResetRequests * 1000);

/**
 * The counters of "Forgot Your Password?", in the order they are counted, under the live settings:
 * - an hourly cap (maxResetRequestsPerHour, 0 = none) and
 * - a minimum gap between requests (minSecondsBetweenResetRequests, 0 = none),
 * each kept per client IP and/or per email as resetProtectionType says. Unknown emails count the
 * same as known ones, so the limiter reveals nothing about which accounts exist.
 * The one definition behind both doors: the REST route's @nestjs/throttler guard
 * ({@link resetRequestThrottlers}) and the hosted page ({@link resetRequestCounters}).
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

/** The counters one forgot request is counted against, in order (the hosted page's door). */
export function resetRequestCounters(settings: CustomerPasswordSettings, subject: ResetRequestSubject): ThrottleCounter[] {
  return RESET_REQUEST_COUNTERS.filter((c) => c.applies(settings)).map((c) => ({
    throttlerName: c.name,
    key: keyOf(c.name, c.tracker(subject)),
    ttl: c.ttl(settings),
    limit: c.limit(settings),
  }));
}

/** What a request to the REST route is counted by: its peer IP (or trusted X-Forwarded-For) and body's email. */
const subjectOf = (req: { ip: string; body?: unknown }): ResetRequestSubject => ({
  ip: req.ip,
  email: (req.body as { email?: unknown } | undefined)?.email,
});

/**
 * The same counters as @nestjs/throttler throttlers (the REST route's door), read from the live
 * settings on every request, so a settings change applies at once without a restart.
 */
export function resetRequestThrottlers(settings: SettingsService): ThrottlerOptions[] {
  return RESET_REQUEST_COUNTERS.map((c) => ({
    name: c.name,
    ttl: () => c.ttl(settings.current()),
    limit: () => c.limit(settings.current()),
    skipIf: () => !c.applies(settings.current()),
    getTracker: (req: Record<string, any>) => c.tracker(subjectOf(req as { ip: string; body?: unknown })),
    generateKey: (_context: ExecutionContext, tracker: string) => keyOf(c.name, tracker),
  }));
}
