import { createHash } from 'node:crypto';
import { runCli, adminPassword } from './support/admin';
import { registerCustomer, requestResetToken, strongPassword, uniqueEmail } from './support/helpers';
import { browserLike, CookieJar, CREATE_PASSWORD_PAGE, textOf } from './support/hosted-pages';
import { metricValue, scrape } from './support/ops';
import { BREACHED_FIXTURE_PASSWORDS, PwnedRangeServer } from './support/pwned-range-server';
import { apiLogsFlushed, Stack, startStack } from './support/stack';

/**
 * The breached-password check (docs/api.md, "Abuse protection") against a Pwned Passwords range API
 * on loopback that serves ranges computed from real passwords (test/support/pwned-range-server.ts):
 * every door that sets a new password refuses a breached one, only 5 hex characters leave, answers
 * are cached, and an unreachable range API never blocks a customer.
 */
describe('breached-password check (e2e)', () => {
  const BREACHED_MESSAGE = 'This password has appeared in a data breach. Choose a different password.';
  const BREACHED_MESSAGE_ZH = '此密码曾出现在数据泄露事件中。请选择其他密码。';
  // Breached passwords the policy lets through, each used once so that its range is not yet cached.
  const [BREACHED, BREACHED_2, BREACHED_3, BREACHED_4, BREACHED_5] = BREACHED_FIXTURE_PASSWORDS.filter((p) => p.length < 15);
  const ADMIN_BREACHED = 'correcthorsebatterystaple'; // 25 characters: passes the admin rules, but breached
  const sha1 = (s: string) => createHash('sha1').update(s, 'utf8').digest('hex').toUpperCase();

  let stack: Stack;

  beforeAll(async () => {
    stack = await startStack({ settings: { resetProtectionType: 'none' } });
  });

  afterAll(async () => {
    await stack?.stop();
  });

  async function metric(outcome: string): Promise<number> {
    return metricValue(await scrape(stack.baseUrl), 'customer_access_breached_password_checks_total', { outcome }) ?? 0;
  }

  const register = (password: string, headers: Record<string, string> = {}) =>
    stack.api('/api/v1/customers', {
      json: { email: uniqueEmail('breached'), password, firstName: 'Ada', lastName: 'Lovelace' },
      headers,
    });

  describe('each door refuses a breached password and takes a safe one', () => {
    it('registration: 400 PASSWORD_BREACHED (in English and in Chinese); a safe password → 201', async () => {
      const refused = await register(BREACHED);
      expect({ status: refused.status, body: refused.body }).toEqual({
        status: 400,
        body: { statusCode: 400, code: 'PASSWORD_BREACHED', message: BREACHED_MESSAGE },
      });
      const zh = await register(BREACHED_2, { 'accept-language': 'zh-CN' });
      expect({ status: zh.status, code: zh.body.code, message: zh.body.message }).toEqual({
        status: 400,
        code: 'PASSWORD_BREACHED',
        message: BREACHED_MESSAGE_ZH,
      });
      expect((await register(strongPassword('Safe'))).status).toBe(201);
    });

    it('the reset route: 400 PASSWORD_BREACHED and the token still works; a safe password → 200', async () => {
      const customer = await registerCustomer(stack, { label: 'breached-reset' });
      const { token } = await requestResetToken(stack, customer.email);
      const refused = await stack.api('/api/v1/customers/password/reset', {
        json: { token, password: BREACHED_3, passwordConfirmation: BREACHED_3 },
      });
      expect({ status: refused.status, code: refused.body.code, message: refused.body.message }).toEqual({
        status: 400,
        code: 'PASSWORD_BREACHED',
        message: BREACHED_MESSAGE,
      });
      const safe = strongPassword('SafeReset');
      const ok = await stack.api('/api/v1/customers/password/reset', { json: { token, password: safe, passwordConfirmation: safe } });
      expect(ok.status).toBe(200);
    });

    it('the hosted Set a New Password page: the message on the password field; a safe password → done', async () => {
      const customer = await registerCustomer(stack, { label: 'breached-page' });
      const { token } = await requestResetToken(stack, customer.email);
      const b = browserLike(stack.api, new CookieJar());
      await b.get(`${CREATE_PASSWORD_PAGE}?token=${token}`);
      const form = await b.get(CREATE_PASSWORD_PAGE);
      const refused = await b.post(CREATE_PASSWORD_PAGE, { password: BREACHED_4, password_confirmation: BREACHED_4 }, form);
      expect(refused.status).toBe(400);
      expect(refused.text).toContain(`<p class="field-error" id="password-error" role="alert">${BREACHED_MESSAGE}</p>`);
      const safe = strongPassword('SafePage');
      const done = await b.post(CREATE_PASSWORD_PAGE, { password: safe, password_confirmation: safe }, refused);
      expect(done.status).toBe(200);
      expect(textOf(done.text)).toContain('You updated your password.');
    });

    it('admin:create and admin:set-password refuse a breached password (exit 1, nothing written); a safe one works', async () => {
      const email = uniqueEmail('breached-admin');
      const created = await runCli(stack, ['admin:create', '--email', email, '--role', 'support'], {}, `${ADMIN_BREACHED}\n`);
      expect({ code: created.code, stderr: created.stderr.trim() }).toEqual({ code: 1, stderr: expect.stringContaining(BREACHED_MESSAGE) });
      expect((await stack.db.query('SELECT 1 FROM admin_user WHERE email = $1', [email])).rowCount).toBe(0);

      const ok = await runCli(stack, ['admin:create', '--email', email, '--role', 'support'], {}, `${adminPassword()}\n`);
      expect(ok.code).toBe(0);
      const before = await stack.db.query('SELECT password_hash FROM admin_user WHERE email = $1', [email]);
      const set = await runCli(stack, ['admin:set-password', '--email', email], {}, `${ADMIN_BREACHED}\n`);
      expect({ code: set.code, stderr: set.stderr.trim() }).toEqual({ code: 1, stderr: expect.stringContaining(BREACHED_MESSAGE) });
      const after = await stack.db.query('SELECT password_hash FROM admin_user WHERE email = $1', [email]);
      expect(after.rows[0].password_hash).toBe(before.rows[0].password_hash);
      expect((await runCli(stack, ['admin:set-password', '--email', email], {}, `${adminPassword()}\n`)).code).toBe(0);
    });

    it('with breachedPasswordCheck off, a breached password is taken and the range API is not asked', async () => {
      await stack.setSettings({ breachedPasswordCheck: 'off' });
      try {
        const asked = stack.pwned.requests.length;
        expect((await register(BREACHED_FIXTURE_PASSWORDS[0])).status).toBe(201);
        expect(stack.pwned.requests.length).toBe(asked);
      } finally {
        await stack.setSettings({ breachedPasswordCheck: 'block' });
      }
    });
  });

  it('only the first 5 hex characters of the SHA-1 leave, always with Add-Padding: true; padded lines (count 0) are not breaches', async () => {
    const probe = strongPassword('Padded');
    stack.pwned.padWith(probe); // its suffix is in the padded answer, with a count of 0
    expect((await register(probe)).status).toBe(201);
    expect(stack.pwned.requestsFor(probe)).toHaveLength(1);

    expect(stack.pwned.requests.length).toBeGreaterThan(0);
    for (const request of stack.pwned.requests) {
      expect(request.path).toMatch(/^\/range\/[0-9A-F]{5}$/);
      expect(request.addPadding).toBe('true');
    }
    // Nothing more of any password went out: no full hash, no suffix.
    const sent = JSON.stringify(stack.pwned.requests);
    for (const password of [BREACHED, BREACHED_2, BREACHED_3, BREACHED_4, probe]) {
      expect(sent).not.toContain(sha1(password).slice(5, 12));
      expect(sent).not.toContain(password);
    }
  });

  it('a range is cached in Redis for a day, shared: the same prefix is not asked for twice', async () => {
    const password = strongPassword('Cached');
    expect((await register(password)).status).toBe(201);
    expect((await register(password)).status).toBe(201);
    expect(stack.pwned.requestsFor(password)).toHaveLength(1);
    const ttl = await stack.redis.ttl(`customer-access:pwned-range:${sha1(password).slice(0, 5)}`);
    expect(ttl).toBeGreaterThan(86_000);
    expect(ttl).toBeLessThanOrEqual(86_400);
    // A breached password's range comes from the cache too, and is still refused.
    const asked = stack.pwned.requestsFor(BREACHED).length;
    expect((await register(BREACHED)).body.code).toBe('PASSWORD_BREACHED');
    expect(stack.pwned.requestsFor(BREACHED)).toHaveLength(asked);
  });

  describe('when the range API fails', () => {
    afterEach(async () => {
      stack.pwned.mode = 'normal';
      // A success in between, so each case starts with no failures in a row.
      expect((await register(strongPassword('Between'))).status).toBe(201);
    });

    it('no answer within 2 s: the password is allowed, and counted as unavailable', async () => {
      stack.pwned.mode = 'slow';
      const before = await metric('unavailable');
      const started = Date.now();
      expect((await register(strongPassword('Slow'))).status).toBe(201);
      const took = Date.now() - started;
      expect(took).toBeGreaterThanOrEqual(1900);
      expect(took).toBeLessThan(4500);
      expect(await metric('unavailable')).toBe(before + 1);
      await apiLogsFlushed(stack);
      expect(stack.logs.api.join('')).toContain(
        'Pwned Passwords range API unavailable (no answer within 2000 ms); the password is allowed',
      );
    });

    it('a redirect is never followed: a server at 127.0.0.2, which no setting names, is never asked', async () => {
      const elsewhere = await PwnedRangeServer.start('127.0.0.2');
      try {
        stack.pwned.mode = 'redirect';
        stack.pwned.redirectTo = elsewhere.url;
        const before = await metric('unavailable');
        // A breached password: had the redirect been followed, the other server would have refused it.
        expect((await register(BREACHED_5)).status).toBe(201);
        expect(await metric('unavailable')).toBe(before + 1);
        expect(elsewhere.requests).toEqual([]);
      } finally {
        await elsewhere.stop();
      }
    });

    // Last: the check then rests for 60 s in this API process.
    it('after 3 failures in a row the check rests: the 4th password is allowed without asking', async () => {
      stack.pwned.mode = 'error';
      const before = { unavailable: await metric('unavailable'), resting: await metric('resting') };
      const asked = stack.pwned.requests.length;
      for (let i = 0; i < 3; i++) expect((await register(strongPassword(`Fail${i}`))).status).toBe(201);
      expect(stack.pwned.requests.length).toBe(asked + 3);
      expect((await register(strongPassword('Resting'))).status).toBe(201);
      expect(stack.pwned.requests.length).toBe(asked + 3);
      expect(await metric('unavailable')).toBe(before.unavailable + 3);
      expect(await metric('resting')).toBe(before.resting + 1);
      await apiLogsFlushed(stack);
      expect(stack.logs.api.join('')).toContain('the check rests for 60 s after 3 failures in a row');
      stack.pwned.mode = 'normal';
    });
  });

  it('counts checks by outcome on /metrics', async () => {
    expect(await metric('breached')).toBeGreaterThanOrEqual(4);
    expect(await metric('clean')).toBeGreaterThanOrEqual(4);
  });
});
