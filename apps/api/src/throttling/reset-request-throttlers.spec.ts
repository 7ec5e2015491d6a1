import { ExecutionContext } from '@nestjs/common';
import { CustomerPasswordSettings, DEFAULT_SETTINGS, SettingsService } from '@customer-access/settings';
import { resetRequestThrottlers } from './reset-request-throttlers';

function settingsWith(overrides: Partial<CustomerPasswordSettings>): SettingsService {
  return { current: () => ({ ...DEFAULT_SETTINGS, ...overrides }) } as SettingsService;
}

const context = {} as ExecutionContext;
const active = (settings: SettingsService) =>
  resetRequestThrottlers(settings)
    .filter((t) => !t.skipIf?.(context))
    .map((t) => t.name);

describe('reset request throttlers', () => {
  it('by default cap per IP and per email, hourly and with a minimum gap', () => {
    expect(active(settingsWith({}))).toEqual(['reset-ip-hour', 'reset-email-hour', 'reset-ip-gap', 'reset-email-gap']);
  });

  it.each([
    ['ip', ['reset-ip-hour', 'reset-ip-gap']],
    ['email', ['reset-email-hour', 'reset-email-gap']],
    ['none', []],
  ] as const)('protection type %s keeps only its keys', (type, expected) => {
    expect(active(settingsWith({ resetProtectionType: type }))).toEqual(expected);
  });

  it('a cap of 0 and a gap of 0 switch those throttlers off', () => {
    expect(active(settingsWith({ maxResetRequestsPerHour: 0 }))).toEqual(['reset-ip-gap', 'reset-email-gap']);
    expect(active(settingsWith({ minSecondsBetweenResetRequests: 0 }))).toEqual(['reset-ip-hour', 'reset-email-hour']);
  });

  it('read limits and gaps from the live settings', async () => {
    let settings: Partial<CustomerPasswordSettings> = { maxResetRequestsPerHour: 7, minSecondsBetweenResetRequests: 30 };
    const throttlers = resetRequestThrottlers({ current: () => ({ ...DEFAULT_SETTINGS, ...settings }) } as SettingsService);
    const hourly = throttlers.find((t) => t.name === 'reset-ip-hour')!;
    const gap = throttlers.find((t) => t.name === 'reset-email-gap')!;
    expect((hourly.limit as (c: ExecutionContext) => number)(context)).toBe(7);
    expect((gap.ttl as (c: ExecutionContext) => number)(context)).toBe(30_000);
    settings = { maxResetRequestsPerHour: 2 };
    expect((hourly.limit as (c: ExecutionContext) => number)(context)).toBe(2);
  });

  it('key email throttles by the normalized email, so spellings of one address share a counter', async () => {
    const email = resetRequestThrottlers(settingsWith({})).find((t) => t.name === 'reset-email-hour')!;
    const tracker = (body: unknown) => email.getTracker!({ body, ip: '203.0.113.9' }, context);
    expect(await tracker({ email: ' Jane@Example.com' })).toBe(await tracker({ email: 'jane@example.com' }));
    expect(await tracker({ email: 'ｊａｎｅ@example.com' })).toBe(await tracker({ email: 'jane@example.com' }));
    expect(await tracker({ email: 'other@example.com' })).not.toBe(await tracker({ email: 'jane@example.com' }));
    expect(await tracker({ email: ['a@b.c'] })).toBe('invalid-body:203.0.113.9');
  });
});
