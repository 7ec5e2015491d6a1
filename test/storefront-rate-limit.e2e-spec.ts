import { allOf, forgot, isResetMail, MESSAGES, registerCustomer, sentTo, uniqueEmail } from './support/helpers';
import { ApiResponse } from './support/http-client';
import { Stack, startStack } from './support/stack';

/** Throttling of POST /customers/password/forgot (docs/api.md, Settings: resetProtectionType and the caps). */
describe('forgot-password rate limit (e2e)', () => {
  const SUPPORT_EMAIL = 'rate-limit-help@shop.e2e.test';
  let stack: Stack;

  beforeAll(async () => {
    stack = await startStack({
      settings: {
        resetProtectionType: 'ip',
        maxResetRequestsPerHour: 3,
        minSecondsBetweenResetRequests: 0,
        supportEmail: SUPPORT_EMAIL,
      },
    });
  });

  afterAll(async () => {
    await stack?.stop();
  });

  function expectRateLimited(res: ApiResponse): void {
    expect(res.status).toBe(429);
    expect(res.body).toEqual({ statusCode: 429, code: 'RESET_RATE_LIMITED', message: MESSAGES.resetRateLimited(SUPPORT_EMAIL) });
    const retryAfter = res.headers['retry-after'];
    expect(retryAfter).toMatch(/^\d+$/);
    expect(Number(retryAfter)).toBeGreaterThan(0);
    expect(Number(retryAfter)).toBeLessThanOrEqual(3600);
  }

  it('answers the 4th request from one IP within the hour with 429, counting unknown emails too', async () => {
    const known = await registerCustomer(stack, { label: 'rl-known' });
    const blocked = await registerCustomer(stack, { label: 'rl-blocked' });
    const since = stack.sink.mark();

    // Three allowed requests, two of them for addresses that have no account.
    for (const email of [uniqueEmail('rl-unknown-1'), known.email, uniqueEmail('rl-unknown-2')]) {
      const res = await forgot(stack, email);
      expect({ email, status: res.status }).toEqual({ email, status: 202 });
      expect(res.body).toEqual({ message: MESSAGES.forgotAccepted(email) });
    }

    // The 4th, for another (existing) account: the cap is per IP with resetProtectionType "ip".
    const fourth = await forgot(stack, blocked.email);
    expectRateLimited(fourth);

    // An unknown email is refused the same way.
    expectRateLimited(await forgot(stack, uniqueEmail('rl-unknown-3')));

    // The allowed known request got its mail; the refused one got none.
    await stack.sink.waitFor(allOf(sentTo(known.email), isResetMail), { since });
    await stack.sink.expectNone(sentTo(blocked.email), 1500, since);
  });

  it('counts only a well-formed request: empty, mistyped and malformed bodies are refused first and use up nothing', async () => {
    const keys = await stack.redis.keys('*customer-access:throttle*');
    if (keys.length) await stack.redis.del(...keys);
    await stack.setSettings({ resetProtectionType: 'ip_and_email', maxResetRequestsPerHour: 1, minSecondsBetweenResetRequests: 60 });
    const email = uniqueEmail('rl-corrected');
    const invalid: unknown[] = [
      { email: '' },
      { email: email.replace('@', '') },
      { email: `${email}@` },
      {},
      { email: 42 },
      { email: [email] },
    ];
    for (const body of invalid) {
      const res = await stack.api('/api/v1/customers/password/forgot', { json: body });
      expect({ body, status: res.status, code: (res.body as { code?: string }).code }).toEqual({ body, status: 400, code: 'VALIDATION' });
    }
    // The corrected try goes through: none of the refused ones was counted (cap 1, and a 60 s gap).
    expect((await forgot(stack, email)).status).toBe(202);
    // The limit is live: the next well-formed request from this IP is over it.
    expectRateLimited(await forgot(stack, uniqueEmail('rl-corrected-2')));
  });

  it('applies a settings change live: "email" protection limits one address, not the IP', async () => {
    await stack.setSettings({ resetProtectionType: 'email', maxResetRequestsPerHour: 0, minSecondsBetweenResetRequests: 60 });
    const a = uniqueEmail('rl-email-a');
    const b = uniqueEmail('rl-email-b');

    expect((await forgot(stack, a)).status).toBe(202);
    expectRateLimited(await forgot(stack, a));
    // Spelled differently, still the same address.
    expectRateLimited(await forgot(stack, a.toUpperCase()));
    // Another address from the same IP is not limited (the IP counter of the first test no longer applies).
    expect((await forgot(stack, b)).status).toBe(202);
  });

  it('stops throttling when protection is switched off', async () => {
    await stack.setSettings({ resetProtectionType: 'none' });
    for (let i = 0; i < 5; i++) {
      const email = uniqueEmail(`rl-none-${i}`);
      const res = await forgot(stack, email);
      expect({ i, status: res.status }).toEqual({ i, status: 202 });
    }
  });
});
