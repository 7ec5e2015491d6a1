import {
  AdminAccount,
  adminToken,
  createAdmin,
  ExtraApi,
  findSecrets,
  RecordedResponse,
  recordingApi,
  startExtraApi,
} from './support/admin';
import { accessTokenFor, registerCustomer, sleep, uniqueEmail } from './support/helpers';
import { Stack, startStack } from './support/stack';

/** docs/api.md, Settings: the defaults, as GET shows them on a fresh install. */
const DOCUMENTED_DEFAULTS = {
  resetLinkExpirationHours: 24,
  invitationLinkExpirationHours: 72,
  resetProtectionType: 'ip_and_email',
  maxResetRequestsPerHour: 5,
  minSecondsBetweenResetRequests: 600,
  minPasswordLength: 6,
  requiredCharacterClasses: 1,
  revokeTokensOnReset: true,
  lockoutFailures: 10,
  lockoutMinutes: 10,
  supportEmail: 'support@example.com',
  defaultLocale: 'en',
  storeName: 'My Store',
  timezone: 'UTC',
  breachedPasswordCheck: 'block',
  resetChallenge: 'off',
  resetChallengeThreshold: 3,
  resetChallengeMaxNumber: 50_000,
  accountSharingScope: 'website',
};

const ROUTE = '/api/v1/admin/config/customer-password';

/** GET/PUT /admin/config/customer-password: validation, audit, and propagation to another instance. */
describe('admin settings (e2e)', () => {
  const log: RecordedResponse[] = [];
  const secrets: string[] = [];
  let stack: Stack;
  let second: ExtraApi | undefined;
  let api: ReturnType<typeof recordingApi>;
  let administrator: AdminAccount;
  let adminJwt: string;

  const put = (body: unknown, via = api) => via(ROUTE, { method: 'PUT', json: body, bearer: adminJwt });
  const get = (via = api) => via(ROUTE, { bearer: adminJwt });

  beforeAll(async () => {
    stack = await startStack({ worker: false });
    api = recordingApi(stack.api, log);
    administrator = await createAdmin(stack, 'administrator');
    adminJwt = await adminToken(stack, administrator);
  });

  afterAll(async () => {
    await second?.stop();
    await stack?.stop();
  });

  it('shows the documented defaults (docs/api.md) on a fresh install', async () => {
    const res = await get();
    expect(res.status).toBe(200);
    expect(res.body).toEqual(DOCUMENTED_DEFAULTS);
  });

  it('applies a partial update, keeps the other settings, and records the change in the audit log', async () => {
    const res = await put({ resetLinkExpirationHours: 2, supportEmail: 'help@shop.example.com' });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ ...DOCUMENTED_DEFAULTS, resetLinkExpirationHours: 2, supportEmail: 'help@shop.example.com' });
    expect((await get()).body).toEqual(res.body);

    const audit = await api('/api/v1/admin/audit-events', { bearer: adminJwt });
    expect(audit.body.items[0]).toMatchObject({
      action: 'config.customer_password_changed',
      adminId: administrator.id,
      adminEmail: administrator.email,
      customerId: null,
      clientIp: '127.0.0.1',
      details: {
        changes: expect.arrayContaining([
          { setting: 'resetLinkExpirationHours', from: 24, to: 2 },
          { setting: 'supportEmail', from: 'support@example.com', to: 'help@shop.example.com' },
        ]),
      },
    });
    expect(audit.body.items[0].details.changes).toHaveLength(2);

    // Sending the values in force again changes nothing, and records nothing.
    expect((await put({ resetLinkExpirationHours: 2 })).status).toBe(200);
    expect((await api('/api/v1/admin/audit-events', { bearer: adminJwt })).body.total).toBe(audit.body.total);
  });

  it('accepts every boundary value of docs/api.md', async () => {
    for (const body of [
      { resetLinkExpirationHours: 1 },
      { resetLinkExpirationHours: 24 },
      { maxResetRequestsPerHour: 0, minSecondsBetweenResetRequests: 0 },
      { minPasswordLength: 256 },
      { minPasswordLength: 6 },
      { requiredCharacterClasses: 4 },
      { requiredCharacterClasses: 1 },
      { resetProtectionType: 'ip' },
      { resetProtectionType: 'email' },
      { resetProtectionType: 'none' },
      { resetProtectionType: 'ip_and_email' },
      { revokeTokensOnReset: false },
      { revokeTokensOnReset: true },
      { defaultLocale: 'zh-CN' },
      { defaultLocale: 'en' },
      { storeName: '小雨的店 & Co.' },
      { storeName: 'x'.repeat(100) },
      { storeName: 'My Store' },
      { timezone: 'Asia/Shanghai' },
      { timezone: 'America/Argentina/Buenos_Aires' },
      { timezone: 'UTC' },
    ]) {
      const res = await put(body);
      expect({ body, status: res.status }).toEqual({ body, status: 200 });
      expect(res.body).toMatchObject(body);
    }
  });

  it('refuses wrong types and out-of-range values with 400 VALIDATION, changing nothing', async () => {
    const before = (await get()).body;
    const cases: Array<[unknown, RegExp]> = [
      [{ resetLinkExpirationHours: 0 }, /resetLinkExpirationHours/],
      [{ resetLinkExpirationHours: 25 }, /resetLinkExpirationHours/],
      [{ resetLinkExpirationHours: 2.5 }, /resetLinkExpirationHours/],
      [{ resetLinkExpirationHours: '12' }, /resetLinkExpirationHours must be a number/],
      [{ maxResetRequestsPerHour: -1 }, /maxResetRequestsPerHour/],
      [{ minSecondsBetweenResetRequests: -5 }, /minSecondsBetweenResetRequests/],
      [{ minPasswordLength: 5 }, /minPasswordLength/],
      [{ minPasswordLength: 257 }, /minPasswordLength/],
      [{ minPasswordLength: null }, /minPasswordLength must be a number/],
      [{ requiredCharacterClasses: 0 }, /requiredCharacterClasses/],
      [{ requiredCharacterClasses: 5 }, /requiredCharacterClasses/],
      [{ resetProtectionType: 'captcha' }, /resetProtectionType/],
      [{ resetProtectionType: ['ip'] }, /resetProtectionType must be a string/],
      [{ revokeTokensOnReset: 'yes' }, /revokeTokensOnReset must be a boolean/],
      [{ supportEmail: 'not an email' }, /supportEmail/],
      [{ supportEmail: 'help@shop.example.com', unknownSetting: 1 }, /unknownSetting/],
      [{ minPasswordLength: 8, requiredCharacterClasses: 9 }, /requiredCharacterClasses/],
      [{ defaultLocale: 'fr' }, /defaultLocale must be one of: en, zh-CN/],
      [{ defaultLocale: 'zh_CN' }, /defaultLocale must be one of: en, zh-CN/],
      [{ defaultLocale: 1 }, /defaultLocale must be a string/],
      [{ storeName: '' }, /storeName/],
      [{ storeName: '   ' }, /storeName must be one line of text/],
      [{ storeName: 'Two\nlines' }, /storeName must be one line of text/],
      [{ storeName: 'x'.repeat(101) }, /storeName/],
      [{ timezone: 'Mars/Olympus' }, /timezone must be an IANA time zone name/],
      [{ timezone: '+08:00' }, /timezone must be an IANA time zone name/],
      [{ timezone: 8 }, /timezone must be a string/],
      [[{ minPasswordLength: 8 }], /JSON object/],
    ];
    for (const [body, message] of cases) {
      const res = await put(body);
      expect({ body, status: res.status, code: res.body.code }).toEqual({ body, status: 400, code: 'VALIDATION' });
      expect(res.body.message).toMatch(message);
    }
    expect((await get()).body).toEqual(before);
  });

  it('takes effect on the instance that made the change', async () => {
    expect((await put({ minPasswordLength: 20 })).status).toBe(200);
    const res = await stack.api('/api/v1/customers', {
      json: { email: uniqueEmail('settings-short'), password: 'Short-pass-12', firstName: 'A', lastName: 'B' },
    });
    expect(res.status).toBe(400);
    expect(res.body.code).toBe('PASSWORD_POLICY');
    expect((await put({ minPasswordLength: 6 })).status).toBe(200);
  });

  it('applies a change made through one API instance on another within seconds, both ways', async () => {
    // The second instance's periodic reload is 10 minutes away: only the change broadcast can
    // reach it in time, as it must in production.
    // It also sits behind a (pretend) reverse proxy on 127.0.0.1, which the audit's client IP shows.
    second = await startExtraApi(stack, { SETTINGS_REFRESH_MS: '600000', TRUSTED_PROXIES: '127.0.0.1' });
    const onSecond = recordingApi(second.api, log);
    expect((await get(onSecond)).body).toEqual((await get()).body);

    const waitFor = async (via: typeof api, expected: Record<string, unknown>): Promise<number> => {
      const started = Date.now();
      for (;;) {
        const body = (await get(via)).body;
        if (Object.entries(expected).every(([k, v]) => body[k] === v)) return Date.now() - started;
        if (Date.now() - started > 5000) throw new Error(`not applied within 5 s: ${JSON.stringify(body)}`);
        await sleep(50);
      }
    };

    expect((await put({ minPasswordLength: 24, supportEmail: 'second@shop.example.com' })).status).toBe(200);
    expect(await waitFor(onSecond, { minPasswordLength: 24, supportEmail: 'second@shop.example.com' })).toBeLessThan(3000);
    // In force there, not only shown: the second instance now refuses a 20-character password.
    const refused = await second.api('/api/v1/customers', {
      json: { email: uniqueEmail('settings-second'), password: 'Twenty-chars-pass-20', firstName: 'A', lastName: 'B' },
    });
    expect(refused.status).toBe(400);
    expect(refused.body.code).toBe('PASSWORD_POLICY');

    const viaProxy = await onSecond(ROUTE, {
      method: 'PUT',
      json: { minPasswordLength: 8 },
      bearer: adminJwt,
      headers: { 'x-forwarded-for': '203.0.113.9' },
    });
    expect(viaProxy.status).toBe(200);
    expect(await waitFor(api, { minPasswordLength: 8 })).toBeLessThan(3000);

    const audit = await api('/api/v1/admin/audit-events?pageSize=1', { bearer: adminJwt });
    expect(audit.body.items[0]).toMatchObject({
      action: 'config.customer_password_changed',
      clientIp: '203.0.113.9',
      details: { changes: [{ setting: 'minPasswordLength', from: 24, to: 8 }] },
    });
  });

  it('makes a Force Sign-In through one instance hold on the other at once', async () => {
    expect(second).toBeDefined();
    const customer = await registerCustomer(stack, { label: 'two-instances' });
    const token = await accessTokenFor(stack, customer.email, customer.password);
    secrets.push(customer.password, token);
    expect((await second!.api('/api/v1/customers/me', { bearer: token })).status).toBe(200);
    const res = await api(`/api/v1/admin/customers/${customer.id}/force-sign-in`, { method: 'POST', bearer: adminJwt });
    expect(res.status).toBe(200);
    expect((await second!.api('/api/v1/customers/me', { bearer: token })).status).toBe(401);
  });

  it('never returned a password, hash or token in any admin answer', () => {
    expect(log.length).toBeGreaterThan(20);
    expect(findSecrets(log, [administrator.password, ...secrets])).toEqual([]);
  });
});
