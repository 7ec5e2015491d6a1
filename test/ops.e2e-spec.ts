import { adminToken, createAdmin, runCli } from './support/admin';
import {
  allOf,
  extractResetLink,
  forgot,
  isPasswordChangedMail,
  isResetMail,
  NO_RESET_THROTTLING,
  registerCustomer,
  requestResetToken,
  resetPassword,
  sentTo,
  strongPassword,
  uniqueEmail,
} from './support/helpers';
import { request } from './support/http-client';
import { jsonLines, metricValue, scrape, until } from './support/ops';
import { freePort, logsFlushed, Stack, startStack, stopProcess } from './support/stack';

/**
 * Operability (docs/operations.md) against the built apps: JSON logs without secrets, request and job ids,
 * Prometheus metrics of both processes, readiness, the queue dashboard, OpenAPI, demo:seed.
 */
describe('operability (e2e)', () => {
  let stack: Stack;
  let workerMetricsUrl: string;
  /** Every secret this file handles; none may appear in any process's output. */
  const secrets: Record<string, string> = {};

  beforeAll(async () => {
    const workerMetricsPort = await freePort();
    workerMetricsUrl = `http://127.0.0.1:${workerMetricsPort}`;
    stack = await startStack({
      settings: NO_RESET_THROTTLING,
      env: { WORKER_METRICS_PORT: String(workerMetricsPort), MAIL_RETRY_DELAY_MS: '100' },
    });
  });

  afterAll(async () => {
    await stack?.stop();
  });

  const apiLines = () => jsonLines(stack.logs.api).lines;
  const workerLines = () => jsonLines(stack.logs.worker).lines;

  describe('a full reset, as the logs and metrics tell it', () => {
    let customerId: string;
    let token: string;
    const requestId = `ops-e2e-${Date.now()}`;

    it('runs the flow with a caller-chosen request id, echoed back', async () => {
      const customer = await registerCustomer(stack, { label: 'ops-flow' });
      customerId = customer.id;
      secrets.customerPassword = customer.password;

      const since = stack.sink.mark();
      const res = await stack.api('/api/v1/customers/password/forgot', {
        json: { email: customer.email },
        headers: { 'x-request-id': requestId, cookie: 'session=ops-cookie-secret-123', authorization: 'Bearer ops-bearer-secret-456' },
      });
      expect(res.status).toBe(202);
      expect(res.headers['x-request-id']).toBe(requestId);
      secrets.cookie = 'ops-cookie-secret-123';
      secrets.bearer = 'ops-bearer-secret-456';

      const mail = await stack.sink.waitFor(allOf(sentTo(customer.email), isResetMail), { since });
      const link = extractResetLink(mail);
      token = new URL(link).searchParams.get('token')!;
      secrets.resetToken = token;
      secrets.resetLink = link;

      const newPassword = strongPassword('OpsNew');
      secrets.newPassword = newPassword;
      const sinceReset = stack.sink.mark();
      expect((await resetPassword(stack, token, newPassword)).status).toBe(200);
      await stack.sink.waitFor(allOf(sentTo(customer.email), isPasswordChangedMail), { since: sinceReset });
      expect((await resetPassword(stack, token, newPassword)).status).toBe(400);

      // A malformed id is replaced, not trusted.
      const odd = await stack.api('/health/live', { headers: { 'x-request-id': 'bad id {"x":1}' } });
      expect(odd.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
    });

    it('writes JSON lines only, each with a level, a time and the app', async () => {
      await until('the reset request logged', () => apiLines().some((l) => l.req?.url === '/api/v1/customers/password/reset'));
      for (const [app, output] of [
        ['api', stack.logs.api],
        ['worker', stack.logs.worker],
      ] as const) {
        const { lines, notJson } = jsonLines(output);
        expect({ app, notJson }).toEqual({ app, notJson: [] });
        for (const line of lines) expect(line).toMatchObject({ level: expect.any(String), time: expect.any(String), app });
      }
      // The phrases other tools wait for are still there.
      expect(apiLines().some((l) => /^API listening on port \d+$/.test(l.msg))).toBe(true);
      expect(workerLines().some((l) => String(l.msg).startsWith('Worker ready'))).toBe(true);
    });

    it('tags the request line with its request id, and the reset with the customer id', async () => {
      const forgotLine = apiLines().find((l) => l.requestId === requestId);
      expect(forgotLine).toMatchObject({
        msg: 'POST /api/v1/customers/password/forgot 202',
        res: { statusCode: 202 },
        durationMs: expect.any(Number),
      });
      const resetLines = () => apiLines().filter((l) => l.req?.url === '/api/v1/customers/password/reset' && l.res);
      const resets = await until('both reset requests logged', () => resetLines().length >= 2 && resetLines());
      expect(resets.map((l) => l.res.statusCode)).toEqual([200, 400]);
      expect(resets[0]).toMatchObject({ customerId, requestId: expect.any(String) });
      expect(resets[0].requestId).not.toBe(resets[1].requestId);
    });

    it('tags the worker lines with the job id and name', async () => {
      const jobLines = () => workerLines().filter((l) => l.jobId !== undefined);
      await until('the reset job logged as done', () =>
        jobLines().some((l) => l.jobName === 'password-reset-requested' && /done in \d+ ms: email sent/.test(l.msg)),
      );
      await until('the confirmation job logged as done', () =>
        jobLines().some((l) => l.jobName === 'password-changed' && l.customerId === customerId && /email sent/.test(l.msg)),
      );
      for (const line of jobLines()) {
        // The retention purge's lines (queue "retention") are tagged the same way.
        expect(line).toMatchObject({
          jobId: expect.any(String),
          jobName: expect.any(String),
          queue: expect.stringMatching(/^(mail|retention)$/),
        });
      }
    });

    it('counts it on /metrics: latency, resets requested, completed and failed', async () => {
      const text = await scrape(stack.baseUrl);
      expect(
        metricValue(text, 'http_request_duration_seconds_count', {
          route: '/api/v1/customers/password/forgot',
          status_code: '202',
          method: 'POST',
        }),
      ).toBeGreaterThanOrEqual(1);
      expect(
        metricValue(text, 'http_request_duration_seconds_bucket', {
          route: '/api/v1/customers/password/reset',
          status_code: '200',
          le: '+Inf',
        }),
      ).toBe(1);
      expect(metricValue(text, 'customer_access_password_resets_requested_total', { origin: 'storefront' })).toBeGreaterThanOrEqual(1);
      expect(metricValue(text, 'customer_access_password_resets_completed_total')).toBe(1);
      expect(metricValue(text, 'customer_access_password_resets_failed_total', { reason: 'RESET_TOKEN_INVALID' })).toBe(1);
      expect(metricValue(text, 'customer_access_queue_jobs', { queue: 'mail', state: 'completed' })).toBeGreaterThanOrEqual(2);
      expect(metricValue(text, 'customer_access_queue_up', { queue: 'mail' })).toBe(1);
      expect(metricValue(text, 'process_resident_memory_bytes')).toBeGreaterThan(0);
    });

    it('counts the emails on the worker’s own metrics port', async () => {
      const text = await scrape(workerMetricsUrl);
      expect(
        metricValue(text, 'customer_access_emails_sent_total', { job: 'password-reset-requested', app: 'worker' }),
      ).toBeGreaterThanOrEqual(1);
      expect(metricValue(text, 'customer_access_emails_sent_total', { job: 'password-changed' })).toBeGreaterThanOrEqual(1);
      expect(
        metricValue(text, 'customer_access_mail_job_duration_seconds_count', { job: 'password-reset-requested', outcome: 'sent' }),
      ).toBeGreaterThanOrEqual(1);
      expect(metricValue(text, 'customer_access_queue_jobs', { queue: 'mail', state: 'waiting' })).toBeDefined();
      expect((await request(workerMetricsUrl, '/')).status).toBe(404);
    });
  });

  describe('metrics of the unhappy paths', () => {
    it('counts rate-limit rejections (429)', async () => {
      await stack.setSettings({ resetProtectionType: 'email', maxResetRequestsPerHour: 1, minSecondsBetweenResetRequests: 0 });
      try {
        const email = uniqueEmail('ops-throttled');
        expect((await forgot(stack, email)).status).toBe(202);
        expect((await forgot(stack, email)).status).toBe(429);
      } finally {
        await stack.replaceSettings(NO_RESET_THROTTLING);
      }
      const text = await scrape(stack.baseUrl);
      expect(metricValue(text, 'customer_access_rate_limit_rejections_total', { route: '/api/v1/customers/password/forgot' })).toBe(1);
    });

    it('counts retried and failed emails', async () => {
      const customer = await registerCustomer(stack, { label: 'ops-mail-fail' });
      const job = { job: 'password-reset-requested' };
      const before = await scrape(workerMetricsUrl);
      const retriedBefore = metricValue(before, 'customer_access_emails_retried_total', job) ?? 0;
      const failedBefore = metricValue(before, 'customer_access_emails_failed_total', job) ?? 0;

      // A temporary refusal (451) is retried; once the server accepts again the email goes out.
      stack.sink.failWith({ stage: 'rcpt', code: 451 });
      const since = stack.sink.mark();
      try {
        expect((await forgot(stack, customer.email)).status).toBe(202);
        await until(
          'a retry counted',
          async () => (metricValue(await scrape(workerMetricsUrl), 'customer_access_emails_retried_total', job) ?? 0) > retriedBefore,
        );
      } finally {
        stack.sink.failWith(null);
      }
      await stack.sink.waitFor(allOf(sentTo(customer.email), isResetMail), { since, timeoutMs: 15_000 });

      // A permanent refusal (550) fails the job at once.
      stack.sink.failWith({ stage: 'rcpt', code: 550 });
      try {
        expect((await forgot(stack, customer.email)).status).toBe(202);
        await until(
          'a failure counted',
          async () => (metricValue(await scrape(workerMetricsUrl), 'customer_access_emails_failed_total', job) ?? 0) > failedBefore,
        );
      } finally {
        stack.sink.failWith(null);
      }
      const failedLine = await until('the failure logged with its job', () =>
        workerLines().find((l) => l.level === 'error' && /giving up/.test(l.msg) && l.jobName === 'password-reset-requested'),
      );
      expect(failedLine.jobId).toEqual(expect.any(String));
      expect((await scrape(stack.baseUrl)).includes('customer_access_queue_jobs{queue="mail",state="failed"')).toBe(true);
    }, 60_000);
  });

  describe('queue dashboard at /admin/queues', () => {
    let administratorJwt: string;
    let supportJwt: string;

    beforeAll(async () => {
      const [administrator, support] = await Promise.all([
        createAdmin(stack, 'administrator', 'ops-admin'),
        createAdmin(stack, 'support', 'ops-support'),
      ]);
      [administratorJwt, supportJwt] = await Promise.all([adminToken(stack, administrator), adminToken(stack, support)]);
      Object.assign(secrets, {
        administratorPassword: administrator.password,
        supportPassword: support.password,
        administratorJwt,
        supportJwt,
      });
    });

    it('answers 401 without an admin token, on the page, its API and its assets', async () => {
      for (const path of ['/admin/queues', '/admin/queues/api/queues', '/admin/queues/static/css/main.css']) {
        const res = await stack.api(path);
        expect({ path, status: res.status, code: res.body?.code }).toEqual({ path, status: 401, code: 'UNAUTHORIZED' });
      }
    });

    it('answers 403 to an admin whose role lacks queues.view, and records it', async () => {
      const res = await stack.api('/admin/queues/api/queues', { bearer: supportJwt });
      expect(res.status).toBe(403);
      expect(res.body).toMatchObject({ code: 'FORBIDDEN', message: expect.stringContaining('queues.view') });
      const audit = await stack.db.query(
        `select count(*)::int as n from admin_audit_event where action = 'access.denied' and details->>'permission' = 'queues.view'`,
      );
      expect(audit.rows[0].n).toBeGreaterThanOrEqual(1);
    });

    it('shows the mail queue, read-only, to an administrator', async () => {
      const page = await stack.api('/admin/queues', { bearer: administratorJwt, headers: { accept: 'text/html' } });
      expect(page.status).toBe(200);
      expect(String(page.headers['content-type'])).toContain('text/html');
      const queues = await stack.api('/admin/queues/api/queues', { bearer: administratorJwt });
      expect(queues.status).toBe(200);
      const mail = queues.body.queues.find((q: any) => q.name === 'mail');
      expect(mail).toMatchObject({ readOnlyMode: true });
      const retry = await stack.api('/admin/queues/api/queues/mail/retry/failed', { method: 'PUT', bearer: administratorJwt });
      expect(retry.status).toBeGreaterThanOrEqual(400);
      expect(retry.text).toContain('QUEUE_READ_ONLY');
      // Job data holds no secret: an email address or a customer id.
      const failed = await stack.api('/admin/queues/api/queues?activeQueue=mail&status=completed', { bearer: administratorJwt });
      expect(failed.text).not.toContain(secrets.resetToken);
    });
  });

  describe('OpenAPI', () => {
    it('serves the document at /docs-json with the routes, bodies and error codes', async () => {
      const res = await stack.api('/docs-json');
      expect(res.status).toBe(200);
      const paths = Object.keys(res.body.paths);
      expect(paths).toEqual(
        expect.arrayContaining([
          '/api/v1/customers',
          '/api/v1/customers/password/forgot',
          '/api/v1/customers/password/reset/validate',
          '/api/v1/customers/password/reset',
          '/api/v1/oauth/token',
          '/api/v1/customers/me',
          '/api/v1/admin/customers/{id}/force-sign-in',
          '/health/ready',
          '/metrics',
        ]),
      );
      const text = JSON.stringify(res.body);
      for (const code of [
        'RESET_RATE_LIMITED',
        'RESET_TOKEN_INVALID',
        'RESET_TOKEN_EXPIRED',
        'PASSWORD_MISMATCH',
        'PASSWORD_POLICY',
        'EMAIL_TAKEN',
        'VALIDATION',
      ]) {
        expect(text).toContain(code);
      }
    });

    it('serves Swagger UI at /docs, assets included', async () => {
      const page = await stack.api('/docs', { headers: { accept: 'text/html' } });
      expect(page.status).toBe(200);
      expect(page.text).toMatch(/swagger/i);
      const asset = await stack.api('/docs/swagger-ui-bundle.js', { headers: { accept: '*/*' } });
      expect(asset.status).toBe(200);
    });
  });

  describe('demo:seed', () => {
    const dev = { NODE_ENV: 'development' };

    it('creates sample customers once, and prints how to try the flow', async () => {
      const first = await runCli(stack, ['demo:seed', '--count', '3', '--api-url', stack.baseUrl], dev);
      expect({ code: first.code, stderr: first.stderr }).toEqual({ code: 0, stderr: '' });
      expect(first.stdout).toContain('Seeding demo customers [');
      expect(first.stdout).toContain('3/3');
      expect(first.stdout).toContain('Demo customers: 3 created, 0 already there.');
      expect(first.stdout).toContain(`curl -s -X POST ${stack.baseUrl}/api/v1/customers/password/forgot`);
      expect(first.stdout).toContain('SMTP server at 127.0.0.1:');

      const again = await runCli(stack, ['demo:seed', '--count', '3'], dev);
      expect(again.code).toBe(0);
      expect(again.stdout).toContain('Demo customers: 0 created, 3 already there.');
      const rows = await stack.db.query(`select count(*)::int as n from customer where email like 'demo.customer.%@example.com'`);
      expect(rows.rows[0].n).toBe(3);

      // The printed flow works: the first demo customer gets a reset email.
      const { token } = await requestResetToken(stack, 'demo.customer.001@example.com');
      expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
      secrets.demoToken = token;
    });

    it('refuses to run in production', async () => {
      const res = await runCli(stack, ['demo:seed'], { NODE_ENV: 'production' });
      expect(res.code).toBe(1);
      expect(res.stderr).toContain('refused when NODE_ENV=production');
    });
  });

  describe('readiness', () => {
    it('is ready while PostgreSQL, Redis, the mail queue and a worker are there', async () => {
      const res = await stack.api('/health/ready');
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({
        status: 'ok',
        info: {
          database: { status: 'up' },
          redis: { status: 'up' },
          mailQueue: { status: 'up', queue: 'mail' },
          worker: { status: 'up', alive: 1 },
        },
      });
    });

    it('logs no secret anywhere: tokens, links, passwords, credentials, cookies', async () => {
      await logsFlushed(stack);
      const output = stack.allOutput();
      const found = Object.entries(secrets)
        .filter(([, secret]) => secret && output.includes(secret))
        .map(([label]) => label);
      expect(found).toEqual([]);
      expect(Object.keys(secrets)).toEqual(
        expect.arrayContaining(['resetToken', 'resetLink', 'newPassword', 'customerPassword', 'cookie', 'bearer']),
      );
    });

    it('answers 503 naming the worker once no worker is left', async () => {
      await stopProcess(stack.processes.worker);
      const res = await until('readiness to fail', async () => {
        const r = await stack.api('/health/ready');
        return r.status === 503 ? r : undefined;
      });
      expect(res.headers['retry-after']).toBeDefined();
      expect(res.body).toMatchObject({
        statusCode: 503,
        code: 'SERVICE_UNAVAILABLE',
        message: 'Not ready: worker',
        status: 'error',
        error: { worker: { status: 'down', alive: 0 } },
        info: { database: { status: 'up' }, redis: { status: 'up' }, mailQueue: { status: 'up' } },
      });
      expect((await stack.api('/health/live')).status).toBe(200);
    });
  });
});
