import { randomBytes } from 'node:crypto';
import { createAdmin, adminToken } from './support/admin';
import {
  accessTokenFor,
  isPasswordChangedMail,
  isResetMail,
  NO_RESET_THROTTLING,
  registerCustomer,
  RegisteredCustomer,
  extractResetToken,
  sleep,
  strongPassword,
} from './support/helpers';
import { ApiRequest, ApiResponse } from './support/http-client';
import { eventually } from './support/faults';
import { ExtraApi, ProcessGroup } from './support/processes';
import { Stack, startStack } from './support/stack';

/**
 * Two of everything (docs/operations.md, "Running several instances"): two API processes and two worker processes on one PostgreSQL and one
 * Redis. Rate limits hold in total, each accepted request yields exactly one email, and a change
 * made through one API is in force on the other at once.
 *
 * SETTINGS_REFRESH_MS is set to its maximum (10 minutes), so that only the Redis broadcast can carry
 * a settings change to the other instance within the test's one-second window.
 */
describe('scale: two APIs and two workers on one database and Redis (e2e)', () => {
  let stack: Stack;
  let group: ProcessGroup;
  let api2: ExtraApi;
  let admin: string;
  type Call = (path: string, init?: ApiRequest) => Promise<ApiResponse>;
  let apis: Call[];

  beforeAll(async () => {
    stack = await startStack({
      settings: NO_RESET_THROTTLING,
      env: { SETTINGS_REFRESH_MS: '600000', WORKER_METRICS_PORT: '0' },
    });
    group = new ProcessGroup(stack);
    [api2] = await Promise.all([group.api('api-2'), group.worker('worker-2')]);
    apis = [stack.api, api2.api];
    const account = await createAdmin(stack, 'administrator', 'scale-admin');
    admin = await adminToken(stack, account);
  });

  afterAll(async () => {
    await group?.stopAll();
    await stack?.stop();
  });

  const FORGOT = '/api/v1/customers/password/forgot';
  const CONFIG = '/api/v1/admin/config/customer-password';
  const hex = (n: number) => randomBytes(n).toString('hex');

  /** Changes settings through `via` and waits (≤ 1 s) until `other` reports them too; returns ms. */
  async function changeSettings(via: Call, other: Call, patch: Record<string, unknown>): Promise<number> {
    const put = await via(CONFIG, { method: 'PUT', bearer: admin, json: patch });
    expect({ status: put.status, body: put.body }).toEqual({ status: 200, body: expect.objectContaining(patch) });
    const started = Date.now();
    await eventually(
      'the other API reports the new settings',
      async () => {
        const got = await other(CONFIG, { bearer: admin });
        return Object.entries(patch).every(([k, v]) => got.body?.[k] === v);
      },
      1000,
      20,
    );
    return Date.now() - started;
  }

  describe('the hourly cap holds in total across both APIs', () => {
    afterAll(async () => {
      await changeSettings(apis[0], apis[1], NO_RESET_THROTTLING);
    });

    it('per IP: of 12 concurrent requests from one IP, spread over both APIs, exactly the cap (4) are accepted', async () => {
      await changeSettings(apis[1], apis[0], { resetProtectionType: 'ip', maxResetRequestsPerHour: 4, minSecondsBetweenResetRequests: 0 });
      const answers = await Promise.all(
        Array.from({ length: 12 }, (_, i) => apis[i % 2](FORGOT, { json: { email: `cap-ip-${hex(4)}@example.com` } })),
      );
      const statuses = answers.map((a) => a.status).sort();
      expect(statuses).toEqual([...Array(4).fill(202), ...Array(8).fill(429)]);
    });

    it('per email: of 10 concurrent requests for one address (any spelling), spread over both APIs, exactly the cap (3) are accepted', async () => {
      await changeSettings(apis[0], apis[1], { resetProtectionType: 'email', maxResetRequestsPerHour: 3 });
      const email = `cap-email-${hex(4)}@example.com`;
      const spellings = [email, email.toUpperCase(), ` ${email}`.trim(), email.replace('cap', 'CAP')];
      const answers = await Promise.all(
        Array.from({ length: 10 }, (_, i) => apis[i % 2](FORGOT, { json: { email: spellings[i % spellings.length] } })),
      );
      expect(answers.map((a) => a.status).sort()).toEqual([...Array(3).fill(202), ...Array(7).fill(429)]);
      // Another address is not affected.
      expect((await apis[1](FORGOT, { json: { email: `cap-other-${hex(4)}@example.com` } })).status).toBe(202);
    });
  });

  describe('every accepted request yields exactly one email', () => {
    it('20 forgot requests over both APIs: 20 reset emails, one per customer, none duplicated', async () => {
      const customers: RegisteredCustomer[] = [];
      for (let i = 0; i < 20; i++) customers.push(await registerCustomer(stack, { label: `one-mail-${i}` }));
      const since = stack.sink.mark();
      const answers = await Promise.all(customers.map((c, i) => apis[i % 2](FORGOT, { json: { email: c.email } })));
      expect(answers.map((a) => a.status)).toEqual(Array(20).fill(202));

      await eventually('20 reset emails', () => stack.sink.find(isResetMail, since).length >= 20, 30_000, 100);
      await sleep(2000); // a duplicate would show up here
      const mails = stack.sink.find(isResetMail, since);
      const perCustomer = customers.map((c) => mails.filter((m) => m.envelopeTo.includes(c.email)).length);
      expect(perCustomer).toEqual(Array(20).fill(1));
      expect(mails).toHaveLength(20);
      const byWorker = [
        stack.logs.worker.join(''),
        group
          .processes()
          .find((p) => p.name === 'worker-2')!
          .output.join(''),
      ].map((text) => (text.match(/Email password-reset sent to customer/g) ?? []).length);

      console.log(`reset emails sent by worker 1 / worker 2: ${byWorker.join(' / ')}`);
    });

    it('10 resets over both APIs: 10 confirmation emails (outbox rows relayed by the sweeps of both workers), none duplicated', async () => {
      const customers: RegisteredCustomer[] = [];
      for (let i = 0; i < 10; i++) customers.push(await registerCustomer(stack, { label: `one-confirm-${i}` }));
      const sinceReset = stack.sink.mark();
      await Promise.all(customers.map((c, i) => apis[i % 2](FORGOT, { json: { email: c.email } })));
      await eventually('10 reset emails', () => stack.sink.find(isResetMail, sinceReset).length >= 10, 30_000, 100);
      const tokens = customers.map((c) =>
        extractResetToken(stack.sink.find((m) => isResetMail(m) && m.envelopeTo.includes(c.email), sinceReset)[0]),
      );

      const since = stack.sink.mark();
      const answers = await Promise.all(
        customers.map((c, i) => {
          const password = strongPassword(`Two${i}`);
          return apis[i % 2]('/api/v1/customers/password/reset', { json: { token: tokens[i], password, passwordConfirmation: password } });
        }),
      );
      expect(answers.map((a) => a.status)).toEqual(Array(10).fill(200));
      await eventually('10 confirmation emails', () => stack.sink.find(isPasswordChangedMail, since).length >= 10, 30_000, 100);
      await sleep(4500); // two outbox sweeps (every 2 s) by each worker: still no duplicate
      const perCustomer = customers.map(
        (c) => stack.sink.find((m) => isPasswordChangedMail(m) && m.envelopeTo.includes(c.email), since).length,
      );
      expect(perCustomer).toEqual(Array(10).fill(1));
    });
  });

  describe('a change made through one API applies at once on the other', () => {
    it('force sign-in through API 1: the customer’s token answers 401 on API 2 on the very next request', async () => {
      const customer = await registerCustomer(stack, { label: 'force-two' });
      const bearer = await accessTokenFor(stack, customer.email, customer.password);
      expect((await apis[1]('/api/v1/customers/me', { bearer })).status).toBe(200);
      const forced = await apis[0](`/api/v1/admin/customers/${customer.id}/force-sign-in`, { method: 'POST', bearer: admin });
      expect({ status: forced.status, revoked: forced.body?.revoked }).toEqual({ status: 200, revoked: 1 });
      expect((await apis[1]('/api/v1/customers/me', { bearer })).status).toBe(401);
      expect((await apis[0]('/api/v1/customers/me', { bearer })).status).toBe(401);
    });

    it('a settings change through API 2 is in force on API 1 within a second (broadcast, not the 10-minute re-read)', async () => {
      const ms = await changeSettings(apis[1], apis[0], { minPasswordLength: 12 });
      const res = await apis[0]('/api/v1/customers', {
        json: { email: `short-${hex(4)}@example.com`, password: 'Abc-1234x', firstName: 'S', lastName: 'P' },
      });
      expect({ status: res.status, code: res.body?.code }).toEqual({ status: 400, code: 'PASSWORD_POLICY' });

      console.log(`settings change visible on the other API after ${ms} ms`);
      await changeSettings(apis[0], apis[1], { minPasswordLength: 6 });
      const ok = await apis[1]('/api/v1/customers', {
        json: { email: `short-ok-${hex(4)}@example.com`, password: 'Abc-1234x', firstName: 'S', lastName: 'P' },
      });
      expect(ok.status).toBe(201);
    });
  });
});
