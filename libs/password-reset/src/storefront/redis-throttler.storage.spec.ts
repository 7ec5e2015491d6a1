import { RedisConnection } from '@customer-access/redis';
import { RedisThrottlerStorage } from './redis-throttler.storage';

/** What the one script call of a request sends: every key under the one hash tag. */
describe('RedisThrottlerStorage', () => {
  function setup(reply: number[]) {
    const calls: unknown[][] = [];
    const redis = {
      defineCommand: () => undefined,
      throttleIncrement: async (...args: unknown[]) => {
        calls.push(args);
        return reply;
      },
    } as unknown as RedisConnection;
    return { storage: new RedisThrottlerStorage(redis), calls };
  }

  it("puts all of a request's counters (per IP and per email) under one hash tag, for one Cluster slot, in one call", async () => {
    const { storage, calls } = setup([1, 1000, 1, 1000]);
    await storage.incrementInOrder([
      { key: 'ip-hash', ttl: 3_600_000, limit: 5, throttlerName: 'reset-ip-hour' },
      { key: 'email-hash', ttl: 3_600_000, limit: 5, throttlerName: 'reset-email-hour' },
    ]);
    expect(calls).toHaveLength(1);
    const [count, ...rest] = calls[0] as [number, ...string[]];
    const keys = rest.slice(0, count);
    expect(keys).toEqual(['{customer-access:throttle}:reset-ip-hour:ip-hash', '{customer-access:throttle}:reset-email-hour:email-hash']);
    expect(rest.slice(count)).toEqual([3_600_000, 5, 3_600_000, 5]);
  });

  it('answers, as ThrottlerStorage.increment, with the same script for one counter', async () => {
    const { storage, calls } = setup([6, 1500]);
    await expect(storage.increment('ip-hash', 60_000, 5, 60_000, 'reset-ip-hour')).resolves.toEqual({
      totalHits: 6,
      timeToExpire: 2,
      isBlocked: true,
      timeToBlockExpire: 2,
    });
    expect(calls).toEqual([[1, '{customer-access:throttle}:reset-ip-hour:ip-hash', 60_000, 5]]);
  });
});
