import { randomBytes } from 'node:crypto';
import { createAdmin, adminToken } from '../support/admin';
import {
  accessTokenFor,
  allOf,
  extractResetToken,
  isPasswordChangedMail,
  isResetMail,
  registerCustomer,
  sentTo,
  strongPassword,
  uniqueEmail,
} from '../support/helpers';
import { ApiRequest, ApiResponse } from '../support/http-client';
import { ExtraApi, ProcessGroup } from '../support/processes';
import { RedisTopologyUnderTest, startRedisCluster } from '../support/redis-servers';
import { logsFlushed, Stack, startStack } from '../support/stack';
import { BULLMQ_PREFIX } from '../../libs/redis/src/key-layout';

type Api = (path: string, init?: ApiRequest) => Promise<ApiResponse>;

const HOURLY_CAP = 4;

/**
 * The whole service on a real Redis Cluster of 3 primaries (redis-server --cluster-enabled yes on
 * 127.0.0.1, joined by redis-cli --cluster create), with 2 APIs and a worker configured by
 * REDIS_CLUSTER_NODES alone. What would break on a cluster: a multi-key script across slots
 * (CROSSSLOT), BullMQ without a hash tag, pub/sub, the heartbeat.
 */
describe('Redis Cluster, 3 primaries, 2 APIs (infra)', () => {
  let cluster: RedisTopologyUnderTest;
  let stack: Stack;
  let group: ProcessGroup;
  let second: ExtraApi;
  let apis: Api[];
  let adminJwt: string;

  beforeAll(async () => {
    cluster = await startRedisCluster(3);
    stack = await startStack({
      redis: cluster,
      // Settings reach the other API only through the pub/sub broadcast (no periodic reload in time).
      env: { TRUSTED_PROXIES: '127.0.0.1', SETTINGS_REFRESH_MS: '600000' },
      settings: { resetProtectionType: 'ip_and_email', maxResetRequestsPerHour: HOURLY_CAP, minSecondsBetweenResetRequests: 0 },
    });
    group = new ProcessGroup(stack);
    second = await group.api('api-2');
    apis = [stack.api, second.api];
    adminJwt = await adminToken(stack, await createAdmin(stack, 'administrator'));
  });

  afterAll(async () => {
    await group?.stopAll();
    await stack?.stop();
    await cluster?.stop();
  });

  const forgotFrom = (api: Api, email: string, ip: string) =>
    api('/api/v1/customers/password/forgot', { json: { email }, headers: { 'x-forwarded-for': ip } });

  it('runs the storefront reset flow across both APIs: forgot, real email, validate, reset, sign in, confirmation', async () => {
    const customer = await registerCustomer(stack, { label: 'cluster-flow' });
    const since = stack.sink.mark();
    expect((await forgotFrom(stack.api, customer.email, '198.51.100.1')).status).toBe(202);
    const mail = await stack.sink.waitFor(allOf(sentTo(customer.email), isResetMail), { since, timeoutMs: 15_000 });
    const token = extractResetToken(mail);

    expect((await second.api('/api/v1/customers/password/reset/validate', { json: { token } })).status).toBe(200);
    const password = strongPassword('Cluster');
    const reset = await second.api('/api/v1/customers/password/reset', { json: { token, password, passwordConfirmation: password } });
    expect(reset.status).toBe(200);
    await stack.sink.waitFor(allOf(sentTo(customer.email), isPasswordChangedMail), { since, timeoutMs: 15_000 });
    expect(await accessTokenFor(stack, customer.email, password)).toEqual(expect.any(String));
  });

  it('holds the hourly cap per IP in total across the 2 APIs', async () => {
    const ip = '198.51.100.20';
    const statuses: number[] = [];
    for (let i = 0; i < HOURLY_CAP + 3; i++) statuses.push((await forgotFrom(apis[i % 2], uniqueEmail(`cluster-ip-${i}`), ip)).status);
    expect(statuses).toEqual([...Array(HOURLY_CAP).fill(202), 429, 429, 429]);
  });

  it('holds the hourly cap per email in total across the 2 APIs and many IPs', async () => {
    const email = uniqueEmail('cluster-email-cap');
    const statuses: number[] = [];
    for (let i = 0; i < HOURLY_CAP + 3; i++) statuses.push((await forgotFrom(apis[i % 2], email, `198.51.100.${40 + i}`)).status);
    expect(statuses).toEqual([...Array(HOURLY_CAP).fill(202), 429, 429, 429]);
  });

  it('makes a Force Sign-In through one API hold on the other', async () => {
    const customer = await registerCustomer(stack, { label: 'cluster-force' });
    const token = await accessTokenFor(stack, customer.email, customer.password);
    expect((await second.api('/api/v1/customers/me', { bearer: token })).status).toBe(200);
    const res = await stack.api(`/api/v1/admin/customers/${customer.id}/force-sign-in`, { method: 'POST', bearer: adminJwt });
    expect(res.status).toBe(200);
    expect(res.body.revoked).toBe(1);
    expect((await second.api('/api/v1/customers/me', { bearer: token })).status).toBe(401);
  });

  it('broadcasts a settings change to the other API through pub/sub on the cluster', async () => {
    const route = '/api/v1/admin/config/customer-password';
    expect((await stack.api(route, { method: 'PUT', json: { minPasswordLength: 24 }, bearer: adminJwt })).status).toBe(200);
    const deadline = Date.now() + 5000;
    let seen: unknown;
    while (Date.now() < deadline) {
      seen = (await second.api(route, { bearer: adminJwt })).body?.minPasswordLength;
      if (seen === 24) break;
      await new Promise((r) => setTimeout(r, 50));
    }
    // SETTINGS_REFRESH_MS is 10 minutes here: only the broadcast can have brought it within 5 s.
    expect(seen).toBe(24);
    expect((await stack.api(route, { method: 'PUT', json: { minPasswordLength: 8 }, bearer: adminJwt })).status).toBe(200);
  });

  it('counts failed admin sign-ins and wrong reset tokens on the cluster, and serves the queue dashboard', async () => {
    const admin = await createAdmin(stack, 'administrator', 'cluster-limits');
    const wrong = await second.api('/api/v1/admin/auth/token', { json: { email: admin.email, password: 'not-the-password-1' } });
    expect(wrong.status).toBe(401);
    expect(Number(await stack.redis.get('customer-access:admin-sign-in:ip:127.0.0.1'))).toBeGreaterThanOrEqual(1);
    expect((await stack.api('/api/v1/admin/auth/token', { json: { email: admin.email, password: admin.password } })).status).toBe(200);

    const madeUp = randomBytes(32).toString('base64url');
    const guess = await second.api('/api/v1/customers/password/reset/validate', {
      json: { token: madeUp },
      headers: { 'x-forwarded-for': '198.51.100.90' },
    });
    expect({ status: guess.status, code: guess.body?.code }).toEqual({ status: 400, code: 'RESET_TOKEN_INVALID' });
    expect(Number(await stack.redis.get('customer-access:reset-token-guess:198.51.100.90'))).toBe(1);

    const dashboard = await stack.api('/admin/queues/api/queues', { bearer: adminJwt });
    expect(dashboard.status).toBe(200);
    expect(JSON.stringify(dashboard.body)).toContain('"mail"');
  });

  it('reports ready on both APIs: database, Redis, the mail queue and the worker heartbeat', async () => {
    for (const api of apis) {
      const res = await api('/health/ready');
      expect({ status: res.status, body: res.body }).toEqual({
        status: 200,
        body: expect.objectContaining({
          status: 'ok',
          info: expect.objectContaining({
            redis: expect.objectContaining({ status: 'up' }),
            mailQueue: expect.objectContaining({ status: 'up' }),
            worker: expect.objectContaining({ status: 'up', alive: 1 }),
          }),
        }),
      });
    }
  });

  it('keeps each multi-key group in one slot: the mail queue and the throttle counters', async () => {
    const slot = (key: string) => stack.redis.cluster('KEYSLOT', key) as Promise<number>;
    const queueSlots = new Set(await Promise.all(['wait', 'id', 'events', 'meta', '1'].map((k) => slot(`${BULLMQ_PREFIX}:mail:${k}`))));
    expect(queueSlots.size).toBe(1);
    // The keys really are where the hash tag says, and the queue holds the jobs of the tests above.
    expect(Number(await stack.redis.get(`${BULLMQ_PREFIX}:mail:id`))).toBeGreaterThan(0);
    await logsFlushed(stack);
    const output = stack.allOutput() + group.allOutput();
    expect(output).not.toMatch(/CROSSSLOT|MOVED|CLUSTERDOWN/);
  });
});
