import { RedisConnection } from '@customer-access/redis';
import { RedisThrottlerStorage, THROTTLE_KEY_PREFIX } from './redis-throttler.storage';

/** What the one script call of a request sends: every key under the one hash tag. */
describe('RedisThrottlerStorage key layout', () => {
  it("puts all of a request's counters (per IP and per email) under one hash tag, for one Cluster slot", async () => {
    const calls: unknown[][] = [];
    const redis = {
      defineCommand: () => undefined,
      throttleIncrementAll: async (...args: unknown[]) => {
        calls.push(args);
        return [1, 1000, 1, 1000];
      },
    } as unknown as RedisConnection;
    const storage = new RedisThrottlerStorage(redis);
    await storage.incrementAll([
      { key: 'ip-hash', ttl: 3_600_000, limit: 5, throttlerName: 'reset-ip-hour' },
      { key: 'email-hash', ttl: 3_600_000, limit: 5, throttlerName: 'reset-email-hour' },
    ]);
    const [count, ...rest] = calls[0] as [number, ...string[]];
    const keys = rest.slice(0, count);
    expect(keys).toEqual([`${THROTTLE_KEY_PREFIX}reset-ip-hour:ip-hash`, `${THROTTLE_KEY_PREFIX}reset-email-hour:email-hash`]);
    expect(keys.every((k) => k.startsWith('{customer-access:throttle}:'))).toBe(true);
  });
});
