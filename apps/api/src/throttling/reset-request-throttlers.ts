import { ThrottlerOptions } from '@nestjs/throttler';
import { normalizeEmail } from '@customer-access/customers';
import { SettingsService } from '@customer-access/settings';

const HOUR_MS = 3_600_000;

/** The email a forgot request names, normalized, as a rate-limit key. */
function emailTracker(req: Record<string, any>): string {
  const email = req.body?.email;
  // A malformed body is rejected by validation after the guard; it still counts, under its IP.
  return typeof email === 'string' ? `email:${normalizeEmail(email)}` : `invalid-body:${req.ip}`;
}

/**
 * The throttlers of "Forgot Your Password?", driven by the live settings:
 * - an hourly cap (maxResetRequestsPerHour, 0 = none) and
 * - a minimum gap between requests (minSecondsBetweenResetRequests, 0 = none),
 * each kept per client IP and/or per email as resetProtectionType says. Unknown emails count the
 * same as known ones, so the limiter reveals nothing about which accounts exist.
 */
export function resetRequestThrottlers(settings: SettingsService): ThrottlerOptions[] {
  const s = () => settings.current();
  const byIp = () => ['ip_and_email', 'ip'].includes(s().resetProtectionType);
  const byEmail = () => ['ip_and_email', 'email'].includes(s().resetProtectionType);
  const noCap = () => s().maxResetRequestsPerHour === 0;
  const noGap = () => s().minSecondsBetweenResetRequests === 0;
  const gapMs = () => Math.max(1000, s().minSecondsBetweenResetRequests * 1000);

  return [
    { name: 'reset-ip-hour', ttl: HOUR_MS, limit: () => s().maxResetRequestsPerHour, skipIf: () => !byIp() || noCap() },
    {
      name: 'reset-email-hour',
      ttl: HOUR_MS,
      limit: () => s().maxResetRequestsPerHour,
      skipIf: () => !byEmail() || noCap(),
      getTracker: emailTracker,
    },
    { name: 'reset-ip-gap', ttl: gapMs, limit: 1, skipIf: () => !byIp() || noGap() },
    { name: 'reset-email-gap', ttl: gapMs, limit: 1, skipIf: () => !byEmail() || noGap(), getTracker: emailTracker },
  ];
}
