import { ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { ThrottlerStorageRecord } from '@nestjs/throttler/dist/throttler-storage-record.interface';
import { DomainError, ErrorCode } from '@customer-access/common';
import { CustomerPasswordSettings, DEFAULT_SETTINGS, SettingsService } from '@customer-access/settings';
import { RedisThrottlerStorage, ThrottleCounter } from './redis-throttler.storage';
import { ResetRequestThrottlerGuard } from './reset-request-throttler.guard';
import { resetRequestThrottlers } from './reset-request-throttlers';

/** The guard counts all of a request's throttlers in one storage call (one Redis round trip). */
describe('ResetRequestThrottlerGuard', () => {
  function setup(overrides: Partial<CustomerPasswordSettings>, reply: (c: ThrottleCounter[]) => ThrottlerStorageRecord[]) {
    const settings = { current: () => ({ ...DEFAULT_SETTINGS, ...overrides }) } as SettingsService;
    const incrementAll = jest.fn(async (counters: ThrottleCounter[]) => reply(counters));
    const storage = Object.assign(Object.create(RedisThrottlerStorage.prototype), { incrementAll }) as RedisThrottlerStorage;
    const guard = new ResetRequestThrottlerGuard(
      { throttlers: resetRequestThrottlers(settings), setHeaders: false },
      storage,
      new Reflector(),
      settings,
    );
    const req = { ip: '203.0.113.9', body: { email: 'Jane@Example.com' }, headers: {} };
    class Controller {
      forgot() {}
    }
    const context = {
      getHandler: () => Controller.prototype.forgot,
      getClass: () => Controller,
      switchToHttp: () => ({ getRequest: () => req, getResponse: () => ({ header: jest.fn() }) }),
    } as unknown as ExecutionContext;
    return { guard, incrementAll, context };
  }
  const free = (counters: ThrottleCounter[]) =>
    counters.map(() => ({ totalHits: 1, timeToExpire: 60, isBlocked: false, timeToBlockExpire: 0 }));

  it('counts every applicable throttler of a request in one call, in order, with its limit and ttl', async () => {
    const { guard, incrementAll, context } = setup({ maxResetRequestsPerHour: 5, minSecondsBetweenResetRequests: 30 }, free);
    await guard.onModuleInit();
    await expect(guard.canActivate(context)).resolves.toBe(true);
    expect(incrementAll).toHaveBeenCalledTimes(1);
    const counters = incrementAll.mock.calls[0][0];
    expect(counters.map((c) => [c.throttlerName, c.limit, c.ttl])).toEqual([
      ['reset-ip-hour', 5, 3_600_000],
      ['reset-email-hour', 5, 3_600_000],
      ['reset-ip-gap', 1, 30_000],
      ['reset-email-gap', 1, 30_000],
    ]);
    expect(new Set(counters.map((c) => c.key)).size).toBe(4);
  });

  it('skips the throttlers that the settings switch off', async () => {
    const { guard, incrementAll, context } = setup({ resetProtectionType: 'email', minSecondsBetweenResetRequests: 0 }, free);
    await guard.onModuleInit();
    await guard.canActivate(context);
    expect(incrementAll.mock.calls[0][0].map((c) => c.throttlerName)).toEqual(['reset-email-hour']);
  });

  it('makes no storage call when no throttler applies', async () => {
    const { guard, incrementAll, context } = setup({ resetProtectionType: 'none' }, free);
    await guard.onModuleInit();
    await expect(guard.canActivate(context)).resolves.toBe(true);
    expect(incrementAll).not.toHaveBeenCalled();
  });

  it('answers 429 RESET_RATE_LIMITED with Retry-After when a counter is over its limit', async () => {
    const { guard, context } = setup({}, (counters) =>
      [
        { totalHits: 1, timeToExpire: 3600, isBlocked: false, timeToBlockExpire: 0 },
        { totalHits: 6, timeToExpire: 1200, isBlocked: true, timeToBlockExpire: 1200 },
      ].slice(0, counters.length),
    );
    await guard.onModuleInit();
    const error = await guard.canActivate(context).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DomainError);
    expect((error as DomainError).code).toBe(ErrorCode.ResetRateLimited);
    expect((error as DomainError).retryAfterSeconds).toBe(1200);
  });
});
