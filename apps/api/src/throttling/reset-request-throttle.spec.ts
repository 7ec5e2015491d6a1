import { DomainError, ErrorCode } from '@customer-access/common';
import { CustomerPasswordSettings, DEFAULT_SETTINGS, SettingsService } from '@customer-access/settings';
import { RedisThrottlerStorage, ThrottleCounter } from './redis-throttler.storage';
import { ResetRequestThrottle } from './reset-request-throttle';

type StorageRecord = Awaited<ReturnType<RedisThrottlerStorage['incrementAll']>>[number];

/** The shared forgot check counts all of a request's counters in one storage call (one Redis round trip). */
describe('ResetRequestThrottle', () => {
  function setup(overrides: Partial<CustomerPasswordSettings>, reply: (c: ThrottleCounter[]) => StorageRecord[]) {
    const settings = { current: () => ({ ...DEFAULT_SETTINGS, ...overrides }) } as SettingsService;
    const incrementAll = jest.fn(async (counters: ThrottleCounter[]) => reply(counters));
    const storage = Object.assign(Object.create(RedisThrottlerStorage.prototype), { incrementAll }) as RedisThrottlerStorage;
    return { throttle: new ResetRequestThrottle(storage, settings), incrementAll };
  }
  const free = (counters: ThrottleCounter[]) =>
    counters.map(() => ({ totalHits: 1, timeToExpire: 60, isBlocked: false, timeToBlockExpire: 0 }));
  const subject = { ip: '203.0.113.9', email: 'Jane@Example.com' };

  it('counts every applicable counter of a request in one call', async () => {
    const { throttle, incrementAll } = setup({ minSecondsBetweenResetRequests: 30 }, free);
    await expect(throttle.count(subject)).resolves.toBeUndefined();
    expect(incrementAll).toHaveBeenCalledTimes(1);
    expect(incrementAll.mock.calls[0][0]).toHaveLength(4);
  });

  it('makes no storage call when no counter applies', async () => {
    const { throttle, incrementAll } = setup({ resetProtectionType: 'none' }, free);
    await throttle.count(subject);
    expect(incrementAll).not.toHaveBeenCalled();
  });

  it('refuses with RESET_RATE_LIMITED (429), the supportEmail and the seconds to wait when a counter is over its limit', async () => {
    const { throttle } = setup({ supportEmail: 'help@shop.example' }, (counters) =>
      [
        { totalHits: 1, timeToExpire: 3600, isBlocked: false, timeToBlockExpire: 0 },
        { totalHits: 6, timeToExpire: 1200, isBlocked: true, timeToBlockExpire: 1200 },
      ].slice(0, counters.length),
    );
    const error = await throttle.count(subject).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DomainError);
    expect(error).toMatchObject({
      code: ErrorCode.ResetRateLimited,
      retryAfterSeconds: 1200,
      params: { supportEmail: 'help@shop.example' },
    });
    expect((error as DomainError).message).toContain('help@shop.example');
  });
});
