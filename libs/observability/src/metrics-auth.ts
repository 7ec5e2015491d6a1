import { createHash, timingSafeEqual } from 'node:crypto';

/**
 * With METRICS_TOKEN set, a scrape must send `Authorization: Bearer <METRICS_TOKEN>`; without it
 * /metrics is open (keep it off the public network at the proxy).
 */
export function metricsScrapeAllowed(expectedToken: string | undefined, authorization: unknown): boolean {
  if (!expectedToken) return true;
  if (typeof authorization !== 'string') return false;
  const match = /^Bearer\s+(\S+)$/i.exec(authorization.trim());
  if (!match) return false;
  // Compare digests: equal length, constant time, whatever the caller sent.
  const digest = (s: string) => createHash('sha256').update(s, 'utf8').digest();
  return timingSafeEqual(digest(match[1]), digest(expectedToken));
}
