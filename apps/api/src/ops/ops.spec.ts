import { CanActivate } from '@nestjs/common';
import Fastify, { FastifyInstance } from 'fastify';
import { DomainError, ErrorCode } from '@customer-access/common';
import { PinoLogger } from 'nestjs-pino';
import { storage } from 'nestjs-pino/storage';
import pino from 'pino';
import { ApiMetrics, LogContext, MetricsRegistry } from '@customer-access/observability';
import { toErrorAnswer } from '../http/error-mapping';
import { installHttpObservability, recordResponse } from './http-observability';
import { guardQueueDashboard, QUEUE_DASHBOARD_COOKIE, QUEUE_DASHBOARD_ROUTE } from './queue-dashboard';

const newMetrics = () => new ApiMetrics(new MetricsRegistry('api', { defaultMetrics: false }));

/** The value of the series `name` carrying all `labels` (in any order), or undefined. */
function sample(text: string, name: string, labels: Record<string, string>): number | undefined {
  const line = text
    .split('\n')
    .find((l) => l.startsWith(`${name}{`) && Object.entries(labels).every(([k, v]) => l.includes(`${k}="${v}"`)));
  return line === undefined ? undefined : Number(line.slice(line.lastIndexOf(' ') + 1));
}

describe('HTTP metrics', () => {
  it('records latency by route template and 429s', async () => {
    const metrics = newMetrics();
    recordResponse(metrics, 'POST', '/api/v1/customers/password/forgot', 202, 12);
    recordResponse(metrics, 'POST', '/api/v1/customers/password/forgot', 429, 3);
    recordResponse(metrics, 'POST', '/api/v1/admin/customers/:id/password-reset', 202, 40);
    recordResponse(metrics, 'POST', '/api/v1/admin/customers/:id/password-reset', 404, 5);
    recordResponse(metrics, 'GET', undefined, 404, 1);
    const text = await metrics.metrics.metrics();
    expect(
      sample(text, 'http_request_duration_seconds_count', {
        method: 'POST',
        route: '/api/v1/customers/password/forgot',
        status_code: '202',
      }),
    ).toBe(1);
    expect(sample(text, 'http_request_duration_seconds_count', { method: 'GET', route: 'unmatched', status_code: '404' })).toBe(1);
    expect(text).toContain('customer_access_rate_limit_rejections_total{route="/api/v1/customers/password/forgot",app="api"} 1');
    // Reset requests are counted by the use cases (StorefrontResetFlow, the admin route), not from routes.
    expect(text).toContain('customer_access_password_resets_requested_total{origin="storefront",app="api"} 0');
  });

  it('echoes the request id and observes every answered request', async () => {
    const metrics = newMetrics();
    const fastify = Fastify({ genReqId: () => 'generated-id' });
    installHttpObservability(fastify, metrics, pino({ level: 'silent' }));
    fastify.get('/things/:id', async () => ({ ok: true }));
    const res = await fastify.inject({ url: '/things/7' });
    expect(res.headers['x-request-id']).toBe('generated-id');
    expect(
      sample(await metrics.metrics.metrics(), 'http_request_duration_seconds_count', { route: '/things/:id', status_code: '200' }),
    ).toBe(1);
    await fastify.close();
  });

  it('gives each request a log scope: its lines and its access line carry its id and the fields assigned in it', async () => {
    const lines: Array<Record<string, unknown>> = [];
    const logger = pino({ level: 'info' }, { write: (line: string) => lines.push(JSON.parse(line) as Record<string, unknown>) });
    const logContext = new LogContext({ logger, assign: () => undefined } as unknown as PinoLogger);
    const fastify = Fastify({ genReqId: (req) => String(req.headers['x-request-id']) });
    installHttpObservability(fastify, newMetrics(), logger);
    fastify.post('/things', async (request) => {
      await new Promise((resolve) => setTimeout(resolve, 5)); // the scope survives awaits and timers
      logContext.assign({ customerId: `customer-of-${request.id}` });
      (storage.getStore()?.logger ?? logger).info('handling');
      return { ok: true };
    });
    await Promise.all(
      ['a', 'b'].map((id) => fastify.inject({ method: 'POST', url: '/things', headers: { 'x-request-id': id }, payload: { x: 1 } })),
    );
    for (const id of ['a', 'b']) {
      expect(lines).toContainEqual(expect.objectContaining({ msg: 'handling', requestId: id, customerId: `customer-of-${id}` }));
      expect(lines).toContainEqual(
        expect.objectContaining({ msg: 'POST /things 200', requestId: id, customerId: `customer-of-${id}`, res: { statusCode: 200 } }),
      );
    }
    await fastify.close();
  });
});

describe('queue dashboard guard', () => {
  let fastify: FastifyInstance;
  const seen: string[] = [];

  /** Stand-ins for AdminJwtGuard and PermissionsGuard, driven by the Authorization header. */
  const authenticate: CanActivate = {
    canActivate: (context) => {
      const request = context.switchToHttp().getRequest<{ headers: Record<string, string>; admin?: unknown }>();
      seen.push(`${context.getClass().name}.${context.getHandler().name}`);
      if (!request.headers.authorization) throw new DomainError(ErrorCode.Unauthorized, 'A valid admin access token is required.');
      request.admin = { id: 'a1', role: request.headers.authorization };
      return true;
    },
  };
  const authorize: CanActivate = {
    canActivate: (context) => {
      const request = context.switchToHttp().getRequest<{ admin: { role: string } }>();
      if (request.admin.role !== 'administrator') throw new DomainError(ErrorCode.Forbidden, 'no queues.view');
      return true;
    },
  };

  beforeAll(async () => {
    fastify = Fastify();
    // request.cookies, as @fastify/cookie fills it in the app (its ESM import of `cookie` does not
    // load under Jest; the e2e tests run the real plugin).
    fastify.decorateRequest('cookies', null as never);
    fastify.addHook('onRequest', async (request) => {
      const pairs = (request.headers.cookie ?? '').split(/;\s*/).filter(Boolean);
      request.cookies = Object.fromEntries(pairs.map((pair) => [pair.slice(0, pair.indexOf('=')), pair.slice(pair.indexOf('=') + 1)]));
    });
    // Session cookies: "session-<role>" stands for an admin of that role, anything else is refused.
    const sessions = {
      authenticate: async (token: string) => {
        const role = /^session-(administrator|support)$/.exec(token)?.[1] as 'administrator' | 'support' | undefined;
        if (!role) throw new DomainError(ErrorCode.Unauthorized, 'A valid admin access token is required.');
        return { id: 'a2', email: `${role}@example.com`, role };
      },
    };
    guardQueueDashboard(fastify, { authenticate, authorize, sessions, toErrorResponse: toErrorAnswer });
    // Registered the way bull-board registers itself: a plugin under the dashboard's prefix.
    await fastify.register(
      async (board) => {
        board.get('/', async () => 'dashboard page');
        board.get('/api/queues', async () => ({ queues: [] }));
        board.put('/api/queues/:name/retry/:status', async () => ({ retried: true }));
        board.get('/static/*', async () => 'asset');
      },
      { prefix: QUEUE_DASHBOARD_ROUTE },
    );
    fastify.get('/admin/queuesque', async () => 'not the dashboard');
    fastify.get('/health/live', async () => ({ status: 'ok' }));
    await fastify.ready();
  });

  afterAll(async () => {
    await fastify.close();
  });

  it.each(['/admin/queues', '/admin/queues/api/queues', '/admin/queues/static/main.js'])(
    'refuses %s without an admin token (401)',
    async (url) => {
      for (const method of ['GET', 'HEAD'] as const) {
        const res = await fastify.inject({ method, url });
        expect({ method, status: res.statusCode }).toEqual({ method, status: 401 });
      }
      const res = await fastify.inject({ url });
      expect(res.json()).toEqual({ statusCode: 401, code: 'UNAUTHORIZED', message: 'A valid admin access token is required.' });
    },
  );

  it('refuses an admin without queues.view (403), also for actions', async () => {
    expect((await fastify.inject({ url: '/admin/queues', headers: { authorization: 'support' } })).statusCode).toBe(403);
    const put = await fastify.inject({
      method: 'PUT',
      url: '/admin/queues/api/queues/mail/retry/failed',
      headers: { authorization: 'support' },
    });
    expect(put.statusCode).toBe(403);
    expect(put.json()).toMatchObject({ code: 'FORBIDDEN' });
  });

  it('lets an administrator through, with the permission read from QueueDashboardRoutes.view', async () => {
    seen.length = 0;
    const res = await fastify.inject({ url: '/admin/queues/api/queues', headers: { authorization: 'administrator' } });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ queues: [] });
    expect(seen).toEqual(['QueueDashboardRoutes.view']);
  });

  it('accepts a session cookie in place of the bearer token, with the same permission check', async () => {
    const withCookie = (value: string) =>
      fastify.inject({ url: '/admin/queues/api/queues', headers: { cookie: `${QUEUE_DASHBOARD_COOKIE}=${value}` } });
    expect((await withCookie('session-administrator')).statusCode).toBe(200);
    expect((await withCookie('session-support')).statusCode).toBe(403);
    expect((await withCookie('forged')).statusCode).toBe(401);
    const otherCookie = await fastify.inject({ url: '/admin/queues', headers: { cookie: 'something_else=session-administrator' } });
    expect(otherCookie.statusCode).toBe(401);
  });

  it('leaves every other route alone', async () => {
    expect((await fastify.inject({ url: '/health/live' })).statusCode).toBe(200);
    expect((await fastify.inject({ url: '/admin/queuesque' })).statusCode).toBe(200);
  });
});
