import { randomBytes } from 'node:crypto';
import {
  accessTokenFor,
  allOf,
  forgot,
  isResetMail,
  NO_RESET_THROTTLING,
  registerCustomer,
  requestResetToken,
  sentTo,
  strongPassword,
} from './support/helpers';
import { ApiRequest } from './support/http-client';
import { eventually, TcpProxy, timed } from './support/faults';
import { Stack, startStack } from './support/stack';

/**
 * Redis or PostgreSQL unreachable (docs/architecture.md, "Reliability"): the routes that need the missing service
 * answer 503 SERVICE_UNAVAILABLE quickly with a clear message and a Retry-After (not a 500, not a
 * hang); the others keep working; and everything recovers by itself once the service is back, with
 * no accepted request lost. The API and the worker reach both services through TCP proxies that the
 * test takes down ("connection refused", open connections reset) and brings back; the shared
 * PostgreSQL and Redis themselves are never touched.
 */
describe('reliability: Redis and PostgreSQL outages (e2e)', () => {
  /** What "quickly" means here, on a slow shared machine; a hang would be 10+ s. */
  const FAST_MS = 3000;
  const PG_BASE = process.env.E2E_PG_URL ?? 'postgres://postgres@127.0.0.1:5432';
  const REDIS_BASE = process.env.E2E_REDIS_URL ?? 'redis://127.0.0.1:6379';
  const UNAVAILABLE = {
    statusCode: 503,
    code: 'SERVICE_UNAVAILABLE',
    message: 'The service is temporarily unavailable. Please try again shortly.',
  };

  let stack: Stack;
  let pg: TcpProxy;
  let redis: TcpProxy;

  beforeAll(async () => {
    pg = await TcpProxy.forUrl(PG_BASE, 5432);
    redis = await TcpProxy.forUrl(REDIS_BASE, 6379);
    stack = await startStack({
      settings: NO_RESET_THROTTLING,
      env: { MAIL_RETRY_DELAY_MS: '200', WORKER_METRICS_PORT: '0', DATABASE_STATEMENT_TIMEOUT_MS: '1000' },
      processEnv: (_which, env) => ({ ...env, DATABASE_URL: pg.rewrite(env.DATABASE_URL), REDIS_URL: redis.rewrite(env.REDIS_URL) }),
    });
  });

  afterAll(async () => {
    await stack?.stop();
    await pg?.close();
    await redis?.close();
  });

  afterEach(async () => {
    await pg.up();
    await redis.up();
  });

  const call = (path: string, init: ApiRequest = {}) => timed(stack.baseUrl, path, { timeoutMs: 20_000, ...init });

  function expectUnavailable(label: string, res: { status: number; body: unknown; headers: Record<string, unknown>; ms: number }): void {
    expect({ label, status: res.status, body: res.body }).toEqual({ label, status: 503, body: UNAVAILABLE });
    expect({ label, retryAfter: res.headers['retry-after'] }).toEqual({ label, retryAfter: expect.stringMatching(/^\d+$/) });
    expect({ label, fast: res.ms < FAST_MS, ms: Math.round(res.ms) }).toEqual({ label, fast: true, ms: expect.any(Number) });
  }

  const FORGOT = '/api/v1/customers/password/forgot';
  const VALIDATE = '/api/v1/customers/password/reset/validate';
  const RESET = '/api/v1/customers/password/reset';
  const madeUpToken = () => randomBytes(32).toString('base64url');

  it('Redis down: forgot, validate, reset and readiness answer 503 quickly; the rest keeps working; all recovers', async () => {
    const customer = await registerCustomer(stack, { label: 'redis-down' });
    const bearer = await accessTokenFor(stack, customer.email, customer.password);
    const { token } = await requestResetToken(stack, customer.email);

    await redis.down();
    // Twice each: the first call meets the reset connection, the second a refused reconnect.
    for (let round = 1; round <= 2; round++) {
      expectUnavailable(`forgot #${round}`, await call(FORGOT, { json: { email: customer.email } }));
      expectUnavailable(`validate #${round}`, await call(VALIDATE, { json: { token } }));
      const password = strongPassword('RedisDown');
      expectUnavailable(`reset #${round}`, await call(RESET, { json: { token, password, passwordConfirmation: password } }));
      const ready = await call('/health/ready');
      expect({ status: ready.status, fast: ready.ms < FAST_MS }).toEqual({ status: 503, fast: true });
    }
    // Routes that need only PostgreSQL are unaffected.
    expect((await call('/api/v1/customers/me', { bearer })).status).toBe(200);
    expect(
      (
        await call('/api/v1/customers', {
          json: {
            email: `redis-down-${randomBytes(3).toString('hex')}@example.com`,
            password: strongPassword(),
            firstName: 'R',
            lastName: 'D',
          },
        })
      ).status,
    ).toBe(201);
    expect(
      (await call('/api/v1/oauth/token', { json: { grant_type: 'password', username: customer.email, password: customer.password } }))
        .status,
    ).toBe(200);
    expect((await call('/health/live')).status).toBe(200);

    await redis.up();
    const recoveredIn = await eventually(
      'forgot answers 202 again',
      async () => (await call(FORGOT, { json: { email: `nobody-${randomBytes(3).toString('hex')}@example.com` } })).status === 202,
      20_000,
      250,
    );
    await eventually('ready again', async () => (await call('/health/ready')).status === 200, 20_000);
    // The token survived (no 503 spent it), and the worker consumes the queue again.
    expect((await call(VALIDATE, { json: { token } })).status).toBe(200);
    const since = stack.sink.mark();
    expect((await forgot(stack, customer.email)).status).toBe(202);
    await stack.sink.waitFor(allOf(sentTo(customer.email), isResetMail), { since, timeoutMs: 20_000 });

    console.log(`Redis outage: forgot answered 202 again ${recoveredIn} ms after Redis returned`);
  });

  it('PostgreSQL down: routes that need it answer 503 quickly; forgot is still accepted and its email goes out after recovery', async () => {
    const customer = await registerCustomer(stack, { label: 'pg-down' });
    const bearer = await accessTokenFor(stack, customer.email, customer.password);
    const { token } = await requestResetToken(stack, customer.email);

    await pg.down();
    for (let round = 1; round <= 2; round++) {
      expectUnavailable(`validate #${round}`, await call(VALIDATE, { json: { token: madeUpToken() } }));
      const password = strongPassword('PgDown');
      expectUnavailable(`reset #${round}`, await call(RESET, { json: { token, password, passwordConfirmation: password } }));
      expectUnavailable(
        `register #${round}`,
        await call('/api/v1/customers', {
          json: {
            email: `pg-down-${randomBytes(3).toString('hex')}@example.com`,
            password: strongPassword(),
            firstName: 'P',
            lastName: 'D',
          },
        }),
      );
      expectUnavailable(`me #${round}`, await call('/api/v1/customers/me', { bearer }));
      const grant = await call('/api/v1/oauth/token', {
        json: { grant_type: 'password', username: customer.email, password: customer.password },
      });
      expect({ status: grant.status, fast: grant.ms < FAST_MS }).toEqual({ status: 503, fast: true });
      const ready = await call('/health/ready');
      expect({ status: ready.status, fast: ready.ms < FAST_MS }).toEqual({ status: 503, fast: true });
    }
    // forgot does no database work: it is accepted, and the worker retries its job until PG is back.
    const since = stack.sink.mark();
    const accepted = await call(FORGOT, { json: { email: customer.email } });
    expect({ status: accepted.status, fast: accepted.ms < FAST_MS }).toEqual({ status: 202, fast: true });
    await new Promise((r) => setTimeout(r, 2000));
    expect(stack.sink.find(sentTo(customer.email), since)).toEqual([]);

    await pg.up();
    const recoveredIn = await eventually(
      'validate answers again',
      async () => (await call(VALIDATE, { json: { token: madeUpToken() } })).status === 400,
      20_000,
      250,
    );
    await eventually('ready again', async () => (await call('/health/ready')).status === 200, 20_000);
    // The mail of the request accepted during the outage arrives: nothing was lost.
    await stack.sink.waitFor(allOf(sentTo(customer.email), isResetMail), { since, timeoutMs: 30_000 });
    expect((await call('/api/v1/customers/me', { bearer })).status).toBe(200);

    console.log(`PostgreSQL outage: validate answered again ${recoveredIn} ms after PostgreSQL returned`);
  });

  it('Redis or PostgreSQL hung (connections accepted, nothing answered): 503 within the configured bounds, then recovery', async () => {
    const customer = await registerCustomer(stack, { label: 'hung' });
    const bearer = await accessTokenFor(stack, customer.email, customer.password);
    // Bounds: ioredis commandTimeout 2 s; DATABASE_STATEMENT_TIMEOUT_MS (1 s here) + 2 s client-side.
    const HUNG_MS = 7000;

    redis.hold();
    const forgotHung = await call(FORGOT, { json: { email: customer.email } });
    expect({ status: forgotHung.status, code: (forgotHung.body as { code?: string }).code, bounded: forgotHung.ms < HUNG_MS }).toEqual({
      status: 503,
      code: 'SERVICE_UNAVAILABLE',
      bounded: true,
    });
    redis.release();
    await eventually(
      'forgot answers 202 after Redis answers again',
      async () => (await call(FORGOT, { json: { email: `hung-${randomBytes(3).toString('hex')}@example.com` } })).status === 202,
      20_000,
      250,
    );

    pg.hold();
    const meHung = await call('/api/v1/customers/me', { bearer });
    expect({ status: meHung.status, code: (meHung.body as { code?: string }).code, bounded: meHung.ms < HUNG_MS }).toEqual({
      status: 503,
      code: 'SERVICE_UNAVAILABLE',
      bounded: true,
    });
    pg.release();
    await eventually(
      'me answers 200 after PostgreSQL answers again',
      async () => (await call('/api/v1/customers/me', { bearer })).status === 200,
      20_000,
      250,
    );
  });
});
