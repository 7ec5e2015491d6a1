import { CustomerPasswordSettings, DEFAULT_SETTINGS } from '@customer-access/settings';
import { ResetRequestSubject, resetRequestCounters } from './reset-request-counters';

const settingsWith = (overrides: Partial<CustomerPasswordSettings>): CustomerPasswordSettings => ({ ...DEFAULT_SETTINGS, ...overrides });
const subject: ResetRequestSubject = { network: '203.0.113.9', email: 'jane@example.com', website: 'base' };
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

  it('key email counters by the email within the website (accountSharingScope = website), or by the email alone (global)', () => {
    const key = (website: string | null) =>
      resetRequestCounters(settingsWith({}), { network: '203.0.113.9', email: 'jane@example.com', website }).find(
        (c) => c.throttlerName === 'reset-email-hour',
      )!.key;
    expect(key('base')).not.toBe(key('eu'));
    expect(key(null)).not.toBe(key('base'));
    expect(key('eu')).toBe(key('eu'));
  });

  it('key email counters by the email alone, and IP counters by the client network alone', () => {
    const key = (name: string, email: string, network = '203.0.113.9') =>
      resetRequestCounters(settingsWith({}), { network, email, website: 'base' }).find((c) => c.throttlerName === name)!.key;
    expect(key('reset-email-hour', 'jane@example.com', '198.51.100.1')).toBe(key('reset-email-hour', 'jane@example.com'));
    expect(key('reset-email-hour', 'other@example.com')).not.toBe(key('reset-email-hour', 'jane@example.com'));
    expect(key('reset-ip-hour', 'other@example.com')).toBe(key('reset-ip-hour', 'jane@example.com'));
    expect(key('reset-ip-hour', 'jane@example.com', '198.51.100.1')).not.toBe(key('reset-ip-hour', 'jane@example.com'));
  });

  it('never put an email address into a Redis key', () => {
    for (const counter of resetRequestCounters(settingsWith({}), subject)) {
      expect(counter.key).toMatch(/^[0-9a-f]{64}$/);
    }
  });
});
