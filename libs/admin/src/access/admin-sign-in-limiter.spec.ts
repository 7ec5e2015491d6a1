import { DomainError, ErrorCode } from '@customer-access/common';
import { RedisConnection } from '@customer-access/redis';
import { AdminSignInLimiter } from './admin-sign-in-limiter';

/** The few Redis calls the limiter makes, in memory (the counting script is an INCR). */
function fakeRedis(): RedisConnection {
  const values = new Map<string, number>();
  return {
    get: async (key: string) => (values.has(key) ? String(values.get(key)) : null),
    eval: async (_script: string, _n: number, key: string) => {
      values.set(key, (values.get(key) ?? 0) + 1);
      return values.get(key);
    },
    ttl: async () => 900,
    del: async (key: string) => (values.delete(key) ? 1 : 0),
  } as unknown as RedisConnection;
}

async function blocked(limiter: AdminSignInLimiter, email: string, ip: string): Promise<boolean> {
  try {
    await limiter.assertAllowed(email, ip);
    return false;
  } catch (error) {
    expect((error as DomainError).code).toBe(ErrorCode.TooManyRequests);
    return true;
  }
}

describe('AdminSignInLimiter', () => {
  it('counts an IPv6 client by its /64: rotating the interface id does not give fresh budgets across admin emails', async () => {
    const limiter = new AdminSignInLimiter(fakeRedis());
    // 50 failures per network in 15 minutes, each against a different email (under the per-email cap).
    for (let i = 0; i < 50; i++) await limiter.recordFailure(`admin${i}@example.com`, `2001:db8:1:2::${(i + 1).toString(16)}`);
    expect(await blocked(limiter, 'someone@example.com', '2001:db8:1:2:aaaa:bbbb:cccc:dddd')).toBe(true);
    expect(await blocked(limiter, 'someone@example.com', '2001:0db8:0001:0002::ffff')).toBe(true);
    // Another /64 is another client.
    expect(await blocked(limiter, 'someone@example.com', '2001:db8:1:3::1')).toBe(false);
  });

  it('counts an IPv4-mapped IPv6 address as the IPv4 address', async () => {
    const limiter = new AdminSignInLimiter(fakeRedis());
    for (let i = 0; i < 50; i++) await limiter.recordFailure(`admin${i}@example.com`, i % 2 ? '203.0.113.7' : '::ffff:203.0.113.7');
    expect(await blocked(limiter, 'someone@example.com', '203.0.113.7')).toBe(true);
    expect(await blocked(limiter, 'someone@example.com', '203.0.113.8')).toBe(false);
  });

  it('blocks an email after 10 failures from anywhere, and a successful sign-in clears it', async () => {
    const limiter = new AdminSignInLimiter(fakeRedis());
    for (let i = 0; i < 10; i++) await limiter.recordFailure('boss@example.com', `198.51.100.${i}`);
    expect(await blocked(limiter, 'boss@example.com', '192.0.2.1')).toBe(true);
    expect(await limiter.clear('boss@example.com')).toBe(true);
    expect(await blocked(limiter, 'boss@example.com', '192.0.2.1')).toBe(false);
  });
});
