import { DomainError, ErrorCode } from '@customer-access/common';
import { MailJob, MailProducer } from '@customer-access/notification';
import { ApiMetrics, LogContext, MetricsRegistry } from '@customer-access/observability';
import { CustomerPasswordSettings, DEFAULT_SETTINGS, SettingsService } from '@customer-access/settings';
import { CompletePasswordReset } from '../complete-password-reset';
import { PasswordResetService } from '../password-reset.service';
import { RedisThrottlerStorage, ThrottleCounter, ThrottlerStorageRecord } from './redis-throttler.storage';
import { ResetChallenge } from './reset-challenge';
import { ResetTokenGuessLimiter } from './reset-token-guess-limiter';
import { StorefrontResetFlow } from './storefront-reset-flow';

/** The one storefront reset flow behind the REST routes and the hosted pages. */
describe('StorefrontResetFlow', () => {
  function setup(
    overrides: Partial<CustomerPasswordSettings> = {},
    reply: (c: readonly ThrottleCounter[]) => ThrottlerStorageRecord[] = (counters) =>
      counters.map(() => ({ totalHits: 1, timeToExpire: 60, isBlocked: false, timeToBlockExpire: 0 })),
    execute: () => Promise<{ customerId: string }> = async () => ({ customerId: 'c-1' }),
  ) {
    const settings = { current: () => ({ ...DEFAULT_SETTINGS, ...overrides }) } as SettingsService;
    const incrementInOrder = jest.fn(async (counters: readonly ThrottleCounter[]) => reply(counters));
    const storage = { incrementInOrder } as unknown as RedisThrottlerStorage;
    const enqueue = jest.fn(async () => undefined);
    const guessLimiter = { run: <T>(_ip: string, lookup: () => Promise<T>) => lookup() } as ResetTokenGuessLimiter;
    const metrics = new ApiMetrics(new MetricsRegistry('api', { defaultMetrics: false }));
    const admit = jest.fn(async () => undefined);
    const flow = new StorefrontResetFlow(
      settings,
      storage,
      { enqueue } as unknown as MailProducer,
      guessLimiter,
      { admit } as unknown as ResetChallenge,
      {} as PasswordResetService,
      { execute } as unknown as CompletePasswordReset,
      metrics,
      { assign: () => undefined } as unknown as LogContext,
    );
    return { flow, incrementInOrder, enqueue, metrics, admit };
  }
  const storeView = { code: 'default', websiteCode: 'base', supportEmail: 'help@shop.example' };
  const request = { ip: '203.0.113.9', email: ' Jane@Example.com', storeView };

  it('counts every applicable counter of a request in one storage call, then enqueues the normalized email', async () => {
    const { flow, incrementInOrder, enqueue, metrics } = setup({ minSecondsBetweenResetRequests: 30 });
    await expect(flow.request(request)).resolves.toBeUndefined();
    expect(incrementInOrder).toHaveBeenCalledTimes(1);
    expect(incrementInOrder.mock.calls[0][0].map((c) => c.throttlerName)).toEqual([
      'reset-ip-hour',
      'reset-email-hour',
      'reset-ip-gap',
      'reset-email-gap',
    ]);
    expect(enqueue).toHaveBeenCalledWith(MailJob.PasswordResetRequested, { email: 'jane@example.com', storeView: 'default' });
    expect(await metrics.metrics.metrics()).toContain('customer_access_password_resets_requested_total{origin="storefront",app="api"} 1');
  });

  it('keys one address however it is spelled, and one IPv6 /64 however the client rotates within it', async () => {
    const { flow, incrementInOrder } = setup({ resetProtectionType: 'ip_and_email', minSecondsBetweenResetRequests: 0 });
    await flow.request({ ip: '2001:db8:1:2::1', email: 'jane@example.com', storeView });
    await flow.request({ ip: '2001:db8:1:2:abcd::9', email: 'JANE@example.com', storeView });
    await flow.request({ ip: '2001:db8:1:3::1', email: 'other@example.com', storeView });
    const [first, second, third] = incrementInOrder.mock.calls.map(([counters]) => counters.map((c) => c.key));
    expect(second).toEqual(first);
    expect(third[0]).not.toBe(first[0]);
    expect(third[1]).not.toBe(first[1]);
  });

  it('asks the proof of work first when resetChallenge is on; a refusal counts nothing and enqueues nothing', async () => {
    const off = setup();
    await off.flow.request({ ...request, altcha: 'ignored' });
    expect(off.admit).not.toHaveBeenCalled();

    const on = setup({ resetChallenge: 'always' });
    await on.flow.request({ ...request, altcha: 'payload' });
    expect(on.admit).toHaveBeenCalledWith(request.ip, 'payload', expect.objectContaining({ resetChallenge: 'always' }));
    expect(on.admit.mock.invocationCallOrder[0]).toBeLessThan(on.incrementInOrder.mock.invocationCallOrder[0]);

    const refused = setup({ resetChallenge: 'adaptive' });
    refused.admit.mockRejectedValueOnce(new DomainError(ErrorCode.ChallengeRequired, 'solve it'));
    await expect(refused.flow.request(request)).rejects.toMatchObject({ code: ErrorCode.ChallengeRequired });
    expect(refused.incrementInOrder).not.toHaveBeenCalled();
    expect(refused.enqueue).not.toHaveBeenCalled();
  });

  it('makes no storage call when no counter applies', async () => {
    const { flow, incrementInOrder, enqueue } = setup({ resetProtectionType: 'none' });
    await flow.request(request);
    expect(incrementInOrder).not.toHaveBeenCalled();
    expect(enqueue).toHaveBeenCalledTimes(1);
  });

  it('refuses with RESET_RATE_LIMITED, the supportEmail and the seconds to wait when a counter is over its limit, and enqueues nothing', async () => {
    const { flow, enqueue, metrics } = setup({ supportEmail: 'help@shop.example' }, (counters) =>
      [
        { totalHits: 1, timeToExpire: 3600, isBlocked: false, timeToBlockExpire: 0 },
        { totalHits: 6, timeToExpire: 1200, isBlocked: true, timeToBlockExpire: 1200 },
      ].slice(0, counters.length),
    );
    const error = await flow.request(request).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DomainError);
    expect(error).toMatchObject({
      code: ErrorCode.ResetRateLimited,
      retryAfterSeconds: 1200,
      params: { supportEmail: 'help@shop.example' },
    });
    expect((error as DomainError).message).toContain('help@shop.example');
    expect(enqueue).not.toHaveBeenCalled();
    expect(await metrics.metrics.metrics()).toContain('customer_access_password_resets_requested_total{origin="storefront",app="api"} 0');
  });

  it('counts a completed reset, and a failed one under its error code', async () => {
    const failures = [
      new DomainError(ErrorCode.ResetTokenExpired, 'x'),
      new DomainError(ErrorCode.ResetTokenExpired, 'x'),
      new Error('boom'),
    ];
    let call = 0;
    const { flow, metrics } = setup({}, undefined, async () => {
      if (call++ === 0) return { customerId: 'c-1' };
      throw failures[call - 2];
    });
    await expect(flow.complete('203.0.113.9', { token: 't', password: 'p', passwordConfirmation: 'p' })).resolves.toEqual({
      customerId: 'c-1',
    });
    for (const error of failures) {
      await expect(flow.complete('203.0.113.9', { token: 't', password: 'p', passwordConfirmation: 'p' })).rejects.toBe(error);
    }
    const text = await metrics.metrics.metrics();
    expect(text).toContain('customer_access_password_resets_completed_total{app="api"} 1');
    expect(text).toContain('customer_access_password_resets_failed_total{reason="RESET_TOKEN_EXPIRED",app="api"} 2');
    expect(text).toContain('customer_access_password_resets_failed_total{reason="INTERNAL",app="api"} 1');
  });
});
