import { randomBytes } from 'node:crypto';
import {
  allOf,
  extractResetToken,
  forgot,
  isPasswordChangedMail,
  isResetMail,
  MESSAGES,
  NO_RESET_THROTTLING,
  passwordGrant,
  registerCustomer,
  requestResetToken,
  sentTo,
  sleep,
  strongPassword,
  validateToken,
} from './support/helpers';
import { request } from './support/http-client';
import { eventually, TcpProxy } from './support/faults';
import { MailQueueProbe } from './support/mail-queue';
import { ExtraApi, ProcessGroup, signalAndWait } from './support/processes';
import { ManagedProcess, Stack, startStack } from './support/stack';

/**
 * Faults around mail and process deaths (docs/architecture.md, "Reliability"): SMTP down and refusing,
 * a worker SIGKILLed mid-job, SIGTERM on both apps, and an API that dies right after committing a
 * password change. The worker reaches the SMTP sink through a TCP proxy the test can take down or
 * make hang; the API reaches PostgreSQL through another, so a request can be held in flight.
 *
 * Knobs (see libs/config): MAIL_RETRY_DELAY_MS=200 (backoff 200 ms, 400 ms, 800 ms, ... instead of
 * 1 s, 2 s, ...) and WORKER_STALLED_INTERVAL_MS=1000 (a dead worker's job is back within ~2 s).
 */
describe('reliability: mail delivery and process deaths (e2e)', () => {
  const RETRY_DELAY_MS = 200;
  let stack: Stack;
  let group: ProcessGroup;
  let smtp: TcpProxy;
  let pg: TcpProxy;
  let queue: MailQueueProbe;
  let worker: ManagedProcess;
  let workers = 0;

  const PG_BASE = process.env.E2E_PG_URL ?? 'postgres://postgres@127.0.0.1:5432';

  async function startWorker(): Promise<ManagedProcess> {
    worker = await group.worker(`worker-${++workers}`, { SMTP_URL: smtp.rewrite(stack.sink.url) });
    return worker;
  }

  beforeAll(async () => {
    pg = await TcpProxy.forUrl(PG_BASE, 5432);
    stack = await startStack({
      settings: NO_RESET_THROTTLING,
      worker: false,
      env: { MAIL_RETRY_DELAY_MS: String(RETRY_DELAY_MS), WORKER_STALLED_INTERVAL_MS: '1000' },
      // The stack's API talks to PostgreSQL through `pg`, so a test can hold its queries.
      processEnv: (which, env) => (which === 'api' ? { ...env, DATABASE_URL: pg.rewrite(env.DATABASE_URL) } : env),
    });
    group = new ProcessGroup(stack);
    smtp = await TcpProxy.forUrl(stack.sink.url, 25);
    queue = new MailQueueProbe(stack);
    await startWorker();
  });

  afterAll(async () => {
    await queue?.close();
    await group?.stopAll();
    await stack?.stop();
    await smtp?.close();
    await pg?.close();
  });

  afterEach(async () => {
    stack.sink.failWith(null);
    smtp.release();
    await smtp.up();
  });

  const workerLog = () => group.allOutput();

  describe('SMTP', () => {
    it('retries while SMTP is down and delivers once it is back', async () => {
      const customer = await registerCustomer(stack, { label: 'smtp-down' });
      await smtp.down();
      const since = stack.sink.mark();
      expect((await forgot(stack, customer.email)).status).toBe(202);

      // Several attempts fail while SMTP is unreachable (200 + 400 + 800 ms of backoff).
      await eventually(
        'three failed attempts',
        async () => ((await queue.forgotJobsFor(customer.email))[0]?.job.attemptsMade ?? 0) >= 3,
        15_000,
      );
      const [{ state }] = await queue.forgotJobsFor(customer.email);
      expect(['delayed', 'wait', 'active']).toContain(state);
      expect(stack.sink.find(sentTo(customer.email), since)).toEqual([]);

      await smtp.up();
      const mail = await stack.sink.waitFor(allOf(sentTo(customer.email), isResetMail), { since, timeoutMs: 20_000 });
      expect((await validateToken(stack, extractResetToken(mail))).status).toBe(200);
      // The job completes after its email is out: once its delivery-log row is stored (a write that
      // may wait a moment to share its commit with other jobs'), so the email can arrive first.
      await eventually('the job completed', async () => (await queue.forgotJobsFor(customer.email))[0]?.state === 'completed', 10_000, 50);
      const [{ job }] = await queue.forgotJobsFor(customer.email);
      expect(job.attemptsMade).toBeGreaterThanOrEqual(3);
      await eventually(
        'the retry logged',
        () => /password-reset-requested\) failed on attempt 1\/9, will retry/.test(workerLog()),
        5_000,
        50,
      );
      await sleep(500);
      expect(stack.sink.find(sentTo(customer.email), since)).toHaveLength(1);
    });

    it('backs off exponentially while SMTP answers 451 (temporary), then delivers', async () => {
      const customer = await registerCustomer(stack, { label: 'smtp-451' });
      stack.sink.failWith({ stage: 'rcpt', code: 451 });
      const since = stack.sink.mark();
      expect((await forgot(stack, customer.email)).status).toBe(202);
      const attempts = () => stack.sink.rejectedAttempts().filter((r) => r.envelopeTo.includes(customer.email));
      await eventually('four refused attempts', () => attempts().length >= 4, 20_000, 50);
      stack.sink.failWith(null);

      const at = attempts().map((r) => r.at.getTime());
      const gaps = at.slice(1).map((t, i) => t - at[i]);
      // BullMQ's exponential backoff: base × 2^(n-1) → 200, 400, 800 ms (+ scheduling overhead).
      // Lower bounds only: each doubles, so a constant or linear backoff fails them, while a busy
      // machine (other test files run beside this one) can only add to a gap, never take from it.
      expect(gaps[0]).toBeGreaterThanOrEqual(RETRY_DELAY_MS * 0.8);
      expect(gaps[1]).toBeGreaterThanOrEqual(RETRY_DELAY_MS * 2 * 0.8);
      expect(gaps[2]).toBeGreaterThanOrEqual(RETRY_DELAY_MS * 4 * 0.8);

      await stack.sink.waitFor(allOf(sentTo(customer.email), isResetMail), { since, timeoutMs: 20_000 });
    });

    it('fails the job at once on a permanent rejection (550), visibly in the logs and the failed set', async () => {
      const customer = await registerCustomer(stack, { label: 'smtp-550' });
      stack.sink.failWith({ stage: 'rcpt', code: 550, message: 'No such user here (e2e)' });
      expect((await forgot(stack, customer.email)).status).toBe(202);
      await eventually('the job failed', async () => (await queue.forgotJobsFor(customer.email))[0]?.state === 'failed', 15_000);
      // Long enough for several retries at this backoff (200, 400, 800 ms): none may happen.
      await sleep(RETRY_DELAY_MS * 10);

      const refused = stack.sink.rejectedAttempts().filter((r) => r.envelopeTo.includes(customer.email));
      expect(refused).toHaveLength(1);
      const [{ job, state }] = await queue.forgotJobsFor(customer.email);
      expect(state).toBe('failed');
      expect(job.attemptsMade).toBe(1);
      expect(job.failedReason).toMatch(/550/);
      const givingUp = new RegExp(`Job ${job.id} \\(password-reset-requested\\) failed on attempt 1/9, giving up: .*550`);
      await eventually('the last failure logged', () => givingUp.test(workerLog()), 5_000, 50);
    });
  });

  describe('process deaths', () => {
    it('sends the email after the worker was SIGKILLed mid-job (stalled-job recovery), exactly once', async () => {
      const customer = await registerCustomer(stack, { label: 'sigkill' });
      smtp.hold(); // the worker connects, then waits forever for SMTP answers: it is mid-job
      const since = stack.sink.mark();
      expect((await forgot(stack, customer.email)).status).toBe(202);
      await eventually('the job is active', async () => (await queue.forgotJobsFor(customer.email))[0]?.state === 'active', 10_000, 50);
      await sleep(300);

      expect(await signalAndWait(worker, 'SIGKILL')).not.toBe(0);
      smtp.release();
      await startWorker();

      const mail = await stack.sink.waitFor(allOf(sentTo(customer.email), isResetMail), { since, timeoutMs: 20_000 });
      expect((await validateToken(stack, extractResetToken(mail))).status).toBe(200);
      // The job completes once the delivery is logged, a moment after the message arrived.
      await eventually(
        'the job is completed',
        async () => (await queue.forgotJobsFor(customer.email))[0]?.state === 'completed',
        20_000,
        50,
      );
      await sleep(1000);
      expect(stack.sink.find(sentTo(customer.email), since)).toHaveLength(1);
    });

    it('on SIGTERM, the worker finishes its current job, then exits 0', async () => {
      const customer = await registerCustomer(stack, { label: 'sigterm-worker' });
      smtp.hold();
      const since = stack.sink.mark();
      expect((await forgot(stack, customer.email)).status).toBe(202);
      await eventually('the job is active', async () => (await queue.forgotJobsFor(customer.email))[0]?.state === 'active', 10_000, 50);

      const stopping = worker;
      const exit = signalAndWait(stopping, 'SIGTERM', 20_000);
      await sleep(700);
      expect(stopping.exitCode).toBeNull(); // still finishing the job
      smtp.release();

      await stack.sink.waitFor(allOf(sentTo(customer.email), isResetMail), { since, timeoutMs: 15_000 });
      expect(await exit).toBe(0);
      expect((await queue.forgotJobsFor(customer.email))[0].state).toBe('completed');
      await startWorker();
    });

    it('delivers the confirmation email although the API died right after committing the password change (outbox)', async () => {
      const redis = await TcpProxy.forUrl(stack.redisUrl, 6379);
      try {
        // An API whose Redis traffic passes a tap. The API never puts the confirmation email on the
        // queue itself (the worker's sweep relays its outbox row): its first Redis write after the
        // commit is the wrong-token limiter giving back its unit, a script call with its one key and
        // no argument (EVAL on the connection's first use of the script, EVALSHA after; the reserve
        // before the lookup carries two arguments more). That write is held and the API is SIGKILLed.
        // Without an outbox row written in the same statement, the email is lost.
        const doomed: ExtraApi = await group.api('api-doomed', { REDIS_URL: redis.rewrite(stack.redisUrl) });
        const customer = await registerCustomer(stack, { label: 'outbox' });
        const { token } = await requestResetToken(stack, customer.email);
        let killedAt = 0;
        let enqueuedByApi = false;
        redis.tapClient('password-changed', () => (enqueuedByApi = true));
        const kill = (): void => {
          if (killedAt > 0) return;
          killedAt = Date.now();
          doomed.proc.child.kill('SIGKILL');
        };
        redis.tapClient('*4\r\n$4\r\neval\r\n', kill);
        redis.tapClient('*4\r\n$7\r\nevalsha\r\n', kill);
        const since = stack.sink.mark();
        const newPassword = strongPassword('Outbox');
        const answer = await request(doomed.baseUrl, '/api/v1/customers/password/reset', {
          json: { token, password: newPassword, passwordConfirmation: newPassword },
          timeoutMs: 15_000,
        }).catch((error: Error) => error);
        expect(answer).toBeInstanceOf(Error); // the API died before it could answer
        expect(killedAt).toBeGreaterThan(0);
        await doomed.proc.exited;

        // The change was committed...
        expect((await passwordGrant(stack, customer.email, newPassword)).status).toBe(200);
        // ...and its confirmation email was not lost: the worker's sweep relays the outbox row.
        const mail = await stack.sink.waitFor(allOf(sentTo(customer.email), isPasswordChangedMail), { since, timeoutMs: 20_000 });
        expect(mail.receivedAt.getTime()).toBeGreaterThan(killedAt);
        expect(enqueuedByApi).toBe(false);
        // The sweep marked the row relayed (it logs that only at debug).
        const relayedRow = async () =>
          (
            await stack.db.query(
              `select 1 from outbox_message where job_name = 'password-changed' and payload->>'customerId' = $1 and relayed_at is not null`,
              [customer.id],
            )
          ).rowCount === 1;
        await eventually('the outbox row marked relayed', relayedRow, 5_000, 50);
        await sleep(2500); // another sweep: still one email
        expect(stack.sink.find(allOf(sentTo(customer.email), isPasswordChangedMail), since)).toHaveLength(1);
      } finally {
        await redis.close();
      }
    });

    it('on SIGTERM, the API finishes its in-flight requests, then exits 0', async () => {
      const customer = await registerCustomer(stack, { label: 'sigterm-api' });
      const { token } = await requestResetToken(stack, customer.email);
      const api = stack.processes.api;

      pg.hold(); // queries of the API wait: its requests are in flight
      const inFlight = [
        validateToken(stack, token),
        validateToken(stack, randomBytes(32).toString('base64url')),
        stack.api('/api/v1/customers', {
          json: {
            email: `inflight-${randomBytes(3).toString('hex')}@example.com`,
            password: strongPassword(),
            firstName: 'I',
            lastName: 'F',
          },
        }),
        passwordGrant(stack, customer.email, customer.password),
      ];
      await sleep(500);
      const exit = signalAndWait(api, 'SIGTERM', 20_000);
      await sleep(700);
      expect(api.exitCode).toBeNull(); // waiting for its requests
      pg.release();

      const answers = await Promise.all(inFlight);
      expect(answers.map((a) => a.status)).toEqual([200, 400, 201, 200]);
      expect(answers[1].body).toEqual({ statusCode: 400, code: 'RESET_TOKEN_INVALID', message: MESSAGES.resetTokenInvalid });
      expect(await exit).toBe(0);
    });
  });
});
