import { CustomerPasswordSettings, DEFAULT_SETTINGS } from '@customer-access/settings';
import { ExecutionContext } from '@nestjs/common';
import { SettingsService } from '@customer-access/settings';
import { ResetRequestSubject, resetRequestCounters, resetRequestThrottlers } from './reset-request-throttlers';

const settingsWith = (overrides: Partial<CustomerPasswordSettings>): CustomerPasswordSettings => ({ ...DEFAULT_SETTINGS, ...overrides });
const subject: ResetRequestSubject = { ip: '203.0.113.9', email: 'jane@example.com' };
const names = (overrides: Partial<CustomerPasswordSettings>) =>
  resetRequestCounters(settingsWith(overrides), subject).map((c) => c.throttlerName);

describe('reset request counters', () => {
  it('by default cap per IP and per email, hourly and with a minimum gap, in that order', () => {
    const counters = resetRequestCounters(settingsWith({ maxResetRequestsPerHour: 5, minSecondsBetweenResetRequests: 30 }), subject);
    expect(counters.map((c) => [c.throttlerName, c.limit, c.ttl])).toEqual([
      ['reset-ip-hour', 5, 3_600_000],
      ['reset-email-hour', 5, 3_600_000],
      ['reset-ip-gap', 1, 30_000],
      ['reset-email-gap', 1, 30_000],
    ]);
    expect(new Set(counters.map((c) => c.key)).size).toBe(4);
  });

  it.each([
    ['ip', ['reset-ip-hour', 'reset-ip-gap']],
    ['email', ['reset-email-hour', 'reset-email-gap']],
    ['none', []],
  ] as const)('protection type %s keeps only its keys', (type, expected) => {
    expect(names({ resetProtectionType: type })).toEqual(expected);
  });

  it('a cap of 0 and a gap of 0 switch those counters off', () => {
    expect(names({ maxResetRequestsPerHour: 0 })).toEqual(['reset-ip-gap', 'reset-email-gap']);
    expect(names({ minSecondsBetweenResetRequests: 0 })).toEqual(['reset-ip-hour', 'reset-email-hour']);
  });

  it('key email counters by the normalized email, so spellings of one address share a counter', () => {
    const key = (email: unknown, ip = '203.0.113.9') =>
      resetRequestCounters(settingsWith({ resetProtectionType: 'email', minSecondsBetweenResetRequests: 0 }), { ip, email })[0].key;
    expect(key(' Jane@Example.com')).toBe(key('jane@example.com'));
    expect(key('ｊａｎｅ@example.com')).toBe(key('jane@example.com'));
    expect(key('jane@example.com', '198.51.100.1')).toBe(key('jane@example.com'));
    expect(key('other@example.com')).not.toBe(key('jane@example.com'));
    // A malformed email counts under its IP, apart from every real address.
    expect(key(['a@b.c'])).toBe(key(42));
    expect(key(['a@b.c'])).not.toBe(key(['a@b.c'], '198.51.100.1'));
  });

  it('never put an email address into a Redis key', () => {
    for (const counter of resetRequestCounters(settingsWith({}), subject)) {
      expect(counter.key).toMatch(/^[0-9a-f]{64}$/);
    }
  });

  it.each([
    ['defaults', {}],
    ['ip only, no gap', { resetProtectionType: 'ip', minSecondsBetweenResetRequests: 0 }],
    ['email only, no cap', { resetProtectionType: 'email', maxResetRequestsPerHour: 0 }],
    ['none', { resetProtectionType: 'none' }],
  ] as const)('resolve, as @nestjs/throttler throttlers (the REST door), to exactly the page door counters: %s', async (_, overrides) => {
    const settings = { current: () => settingsWith(overrides) } as SettingsService;
    const context = {} as ExecutionContext;
    const req = { ip: subject.ip, body: { email: subject.email } };
    const resolved = [];
    for (const t of resetRequestThrottlers(settings)) {
      if (t.skipIf?.(context)) continue;
      const name = t.name!;
      const tracker = await t.getTracker!(req, context);
      resolved.push({
        throttlerName: name,
        key: t.generateKey!(context, tracker, name),
        ttl: (t.ttl as (c: ExecutionContext) => number)(context),
        limit: (t.limit as (c: ExecutionContext) => number)(context),
      });
    }
    expect(resolved).toEqual(resetRequestCounters(settingsWith(overrides), subject));
  });
});
