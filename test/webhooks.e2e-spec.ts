import { createServer, IncomingMessage, Server, ServerResponse } from 'node:http';
import { AddressInfo, Socket } from 'node:net';
import { Webhook } from 'standardwebhooks';
import { AdminAccount, adminToken, createAdmin } from './support/admin';
import { eventually, TcpProxy } from './support/faults';
import {
  accessTokenFor,
  allOf,
  extractResetToken,
  forgot,
  isResetMail,
  NO_RESET_THROTTLING,
  passwordGrant,
  registerCustomer,
  requestResetToken,
  resetPassword,
  sentTo,
  sleep,
  strongPassword,
  uniqueEmail,
} from './support/helpers';
import { ProcessGroup, signalAndWait } from './support/processes';
import { freePort, ManagedProcess, Stack, startStack } from './support/stack';

/**
 * Webhooks end to end (docs/webhooks.md): endpoints managed through the admin routes, every event
 * type produced by the real routes and received by a receiver on 127.0.0.1 that verifies each
 * request with `standardwebhooks` (the spec's reference library, not this project's code), and the
 * faults and SSRF refusals of the delivery worker.
 *
 * Knobs (libs/config, docs/configuration.md): WEBHOOK_ALLOWED_HOSTS=127.0.0.1 (the receiver is on the
 * loopback), WEBHOOK_RETRY_DELAY_MS=100 (backoff from 100 ms instead of 5 s), WEBHOOK_TIMEOUT_MS=2000
 * (instead of 10 s) and WORKER_STALLED_INTERVAL_MS=1000. NODE_ENV=test: http: receivers (production
 * takes https: only, unit-tested in libs/webhooks). One app and one worker for the file; the worker is
 * replaced once, by the SIGKILL test. Each reaches PostgreSQL through a TCP proxy of its own
 * (support/faults.ts), so that a test can "restart" PostgreSQL for both without touching the shared
 * server. The receiver that is down for a minute goes down when the file starts and is checked at its
 * end, so that its minute overlaps the other tests instead of adding to the file's time.
 */

interface Received {
  path: string;
  id: string;
  timestamp: string;
  signature: string;
  body: string;
  json: { type: string; timestamp: string; data: Record<string, unknown> };
  /** Which of the path's secrets verified it with standardwebhooks (empty: none). */
  verifiedBy: string[];
}

type Mode =
  | { kind: 'ok' }
  | { kind: 'fail'; times: number; status: number }
  | { kind: 'status'; status: number }
  | { kind: 'hang' }
  | { kind: 'redirect'; to: string };

class Receiver {
  readonly received: Received[] = [];
  readonly secrets = new Map<string, string[]>();
  readonly modes = new Map<string, Mode>();
  readonly hanging: ServerResponse[] = [];
  private readonly sockets = new Set<Socket>();
  private server!: Server;
  port = 0;

  async listen(port = 0): Promise<void> {
    this.server = createServer((req, res) => void this.handle(req, res));
    this.server.on('connection', (s) => {
      this.sockets.add(s);
      s.on('close', () => this.sockets.delete(s));
    });
    await new Promise<void>((resolve) => this.server.listen(port, '127.0.0.1', resolve));
    this.port = (this.server.address() as AddressInfo).port;
  }

  url(path: string): string {
    return `http://127.0.0.1:${this.port}${path}`;
  }

  at(path: string): Received[] {
    return this.received.filter((r) => r.path === path);
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks).toString('utf8');
    const path = req.url ?? '/';
    const headers = {
      'webhook-id': String(req.headers['webhook-id']),
      'webhook-timestamp': String(req.headers['webhook-timestamp']),
      'webhook-signature': String(req.headers['webhook-signature']),
    };
    const verifiedBy = (this.secrets.get(path) ?? []).filter((secret) => {
      try {
        new Webhook(secret).verify(body, headers);
        return true;
      } catch {
        return false;
      }
    });
    this.received.push({
      path,
      id: headers['webhook-id'],
      timestamp: headers['webhook-timestamp'],
      signature: headers['webhook-signature'],
      body,
      json: JSON.parse(body),
      verifiedBy,
    });
    const mode = this.modes.get(path) ?? { kind: 'ok' };
    if (mode.kind === 'hang') {
      this.hanging.push(res);
      return;
    }
    if (mode.kind === 'fail' && mode.times > 0) {
      mode.times--;
      res.writeHead(mode.status).end('not now');
      return;
    }
    if (mode.kind === 'status') {
      res.writeHead(mode.status).end();
      return;
    }
    if (mode.kind === 'redirect') {
      res.writeHead(302, { location: mode.to }).end();
      return;
    }
    res.writeHead(204).end();
  }

  async close(): Promise<void> {
    for (const res of this.hanging) res.destroy();
    for (const socket of this.sockets) socket.destroy();
    await new Promise((resolve) => this.server?.close(resolve));
  }
}

describe('webhooks (e2e)', () => {
  let stack: Stack;
  let group: ProcessGroup;
  let worker: ManagedProcess;
  let admin: AdminAccount;
  let jwt: string;
  /** PostgreSQL as the API and as the worker reach it (the harness's own client stays direct). */
  let pgApi: TcpProxy;
  let pgWorker: TcpProxy;
  const PG_BASE = process.env.E2E_PG_URL ?? 'postgres://postgres@127.0.0.1:5432';
  const receiver = new Receiver();
  /** 127.0.0.2: not in WEBHOOK_ALLOWED_HOSTS; a redirect to it must not be followed. */
  let forbidden: Server;
  let forbiddenPort = 0;
  const forbiddenHits: string[] = [];
  /** The receiver that is down for the file's first minute (its endpoint wants every event type). */
  const late = new Receiver();
  const LATE_DOWN_MS = 60_000;
  let lateEndpoint: { id: string; secret: string };
  let lateFirstEventId: string;
  let lateBackAt = 0;
  let lateBack: Promise<void>;

  const WORKER_ENV = {
    WEBHOOK_ALLOWED_HOSTS: '127.0.0.1',
    WEBHOOK_RETRY_DELAY_MS: '100',
    WEBHOOK_TIMEOUT_MS: '2000',
    WORKER_STALLED_INTERVAL_MS: '1000',
  };

  beforeAll(async () => {
    await receiver.listen();
    forbidden = createServer((req, res) => {
      forbiddenHits.push(`${req.method} ${req.url}`);
      res.writeHead(204).end();
    });
    forbidden.on('connection', () => forbiddenHits.push('connection'));
    await new Promise<void>((resolve) => forbidden.listen(0, '127.0.0.2', resolve));
    forbiddenPort = (forbidden.address() as AddressInfo).port;

    pgApi = await TcpProxy.forUrl(PG_BASE, 5432);
    pgWorker = await TcpProxy.forUrl(PG_BASE, 5432);
    stack = await startStack({
      worker: false,
      nodeEnv: 'test',
      env: WORKER_ENV,
      settings: { ...NO_RESET_THROTTLING, lockoutFailures: 3 },
      processEnv: (which, env) => (which === 'api' ? { ...env, DATABASE_URL: pgApi.rewrite(env.DATABASE_URL) } : env),
    });
    group = new ProcessGroup(stack);
    worker = await startWorker('worker-1');
    admin = await createAdmin(stack, 'administrator', 'webhooks-admin');
    jwt = await adminToken(stack, admin);
  });

  afterAll(async () => {
    await group?.stopAll();
    await stack?.stop();
    await receiver.close();
    await late?.close();
    await new Promise((resolve) => forbidden?.close(resolve));
    await pgApi?.close();
    await pgWorker?.close();
  });

  const startWorker = (name: string) => group.worker(name, { DATABASE_URL: pgWorker.rewrite(stack.env.DATABASE_URL) });

  const admin$ = (path: string, init: { json?: unknown; method?: string } = {}) =>
    stack.api(`/api/v1/admin${path}`, { ...init, bearer: jwt });

  async function addEndpoint(path: string, events: string[], url = receiver.url(path)): Promise<{ id: string; secret: string }> {
    const res = await admin$('/webhooks', { json: { url, events, description: `e2e ${path}` } });
    expect(res.status).toBe(201);
    receiver.secrets.set(path, [res.body.secret]);
    return res.body;
  }

  async function deliveries(endpointId: string): Promise<any[]> {
    const res = await admin$(`/webhooks/${endpointId}/deliveries`);
    expect(res.status).toBe(200);
    return res.body.items;
  }

  async function deliveryWhen(endpointId: string, what: string, predicate: (d: any) => boolean, timeoutMs = 15_000): Promise<any> {
    let found: any;
    await eventually(what, async () => !!(found = (await deliveries(endpointId)).find(predicate)), timeoutMs, 100);
    return found;
  }

  const ALL_TYPES = [
    'customer.created',
    'customer.password_reset.requested',
    'customer.password.changed',
    'customer.tokens.revoked',
    'customer.locked',
    'customer.deleted',
    'webhook.test',
  ];

  describe('faults: the receiver down for a minute (it comes back while the other tests run; checked at the end)', () => {
    it('goes down: every event type subscribed, a test event sent at once, attempts refused and rescheduled', async () => {
      // Nothing listens on the port for LATE_DOWN_MS: each attempt is refused. Everything the rest of
      // the file writes meanwhile (every customer event type) is due to this endpoint too.
      const port = await freePort();
      const url = `http://127.0.0.1:${port}/late`;
      const res = await admin$('/webhooks', { json: { url, events: ALL_TYPES, description: 'e2e down for a minute' } });
      expect(res.status).toBe(201);
      lateEndpoint = res.body;
      late.secrets.set('/late', [lateEndpoint.secret]);
      const downAt = Date.now();
      lateFirstEventId = (await admin$(`/webhooks/${lateEndpoint.id}/test`, { method: 'POST' })).body.eventId;
      lateBack = sleep(LATE_DOWN_MS - (Date.now() - downAt)).then(async () => {
        await late.listen(port);
        lateBackAt = Date.now();
      });
      lateBack.catch(() => undefined); // awaited by the last test, which reports a failure to listen again
      const failing = await deliveryWhen(lateEndpoint.id, 'two refused attempts', (d) => d.attempts >= 2);
      expect(failing).toMatchObject({
        eventId: lateFirstEventId,
        status: 'pending',
        lastResponseCode: null,
        lastError: expect.stringMatching(/ECONNREFUSED/),
      });
      expect(failing.nextAttemptAt).not.toBeNull();
    });
  });

  describe('endpoints (admin routes)', () => {
    it('creates an endpoint with a whsec_ secret shown once; lists, changes and deletes it without ever showing the secret again; support gets 403', async () => {
      const created = await admin$('/webhooks', { json: { url: receiver.url('/crud'), events: ['customer.created'], description: 'CRM' } });
      expect(created.status).toBe(201);
      expect(created.body).toEqual({
        id: expect.any(String),
        url: receiver.url('/crud'),
        events: ['customer.created'],
        description: 'CRM',
        enabled: true,
        disabledReason: null,
        previousSecretExpiresAt: null,
        createdAt: expect.any(String),
        updatedAt: expect.any(String),
        secret: expect.stringMatching(/^whsec_[A-Za-z0-9+/]{32}$/),
      });
      const row = await stack.db.query('select secret_sealed from webhook_endpoint where id = $1', [created.body.id]);
      expect(row.rows[0].secret_sealed).not.toContain(created.body.secret.slice(6));

      const list = await admin$('/webhooks');
      expect(list.status).toBe(200);
      expect(list.text).not.toContain(created.body.secret);
      expect(list.body.items.find((e: any) => e.id === created.body.id)).not.toHaveProperty('secret');

      const changed = await admin$(`/webhooks/${created.body.id}`, {
        method: 'PUT',
        json: { enabled: false, events: ['customer.locked'] },
      });
      expect(changed.status).toBe(200);
      expect(changed.body).toMatchObject({ enabled: false, events: ['customer.locked'] });
      expect(changed.body).not.toHaveProperty('secret');

      expect((await admin$('/webhooks', { json: { url: 'ftp://x.example/', events: ['customer.created'] } })).status).toBe(400);
      expect((await admin$('/webhooks', { json: { url: receiver.url('/x'), events: ['customer.nope'] } })).status).toBe(400);

      const support = await createAdmin(stack, 'support', 'webhooks-support');
      const supportJwt = await adminToken(stack, support);
      expect((await stack.api('/api/v1/admin/webhooks', { bearer: supportJwt })).status).toBe(403);
      expect((await stack.api(`/api/v1/admin/webhooks/${created.body.id}/test`, { method: 'POST', bearer: supportJwt })).status).toBe(403);

      expect((await admin$(`/webhooks/${created.body.id}`, { method: 'DELETE' })).status).toBe(204);
      expect((await admin$(`/webhooks/${created.body.id}`, { method: 'DELETE' })).status).toBe(404);

      const audit = await admin$('/audit-events?action=webhook.created');
      expect(audit.body.items.some((e: any) => e.details.endpointId === created.body.id)).toBe(true);
    });
  });

  describe('every event type, from the real routes, verified by standardwebhooks', () => {
    let all: { id: string; secret: string };

    beforeAll(async () => {
      all = await addEndpoint('/all', ALL_TYPES);
    });

    const eventsFor = (customerId: string, type: string) =>
      receiver.at('/all').filter((r) => r.json.type === type && r.json.data.customerId === customerId);

    it('customer.created, customer.locked, customer.password_reset.requested, customer.password.changed, customer.tokens.revoked (both reasons), webhook.test', async () => {
      const customer = await registerCustomer(stack, { label: 'wh-all' });
      const unknown = uniqueEmail('wh-nobody');
      expect((await forgot(stack, unknown)).status).toBe(202);

      // Locked: lockoutFailures = 3 wrong passwords.
      for (let i = 0; i < 3; i++) expect((await passwordGrant(stack, customer.email, 'wrong-password-1')).status).toBe(400);
      await eventually('customer.locked arrived', () => eventsFor(customer.id, 'customer.locked').length === 1, 15_000, 100);

      // Force Sign-In (an access token first; the lock ends with the reset below, so sign in on a second account).
      const second = await registerCustomer(stack, { label: 'wh-force' });
      await accessTokenFor(stack, second.email, second.password);
      const forced = await admin$(`/customers/${second.id}/force-sign-in`, { method: 'POST' });
      expect(forced.status).toBe(200);

      // Forgot → the worker issues the token (event) and mails it; reset → password changed + tokens revoked.
      const since = stack.sink.mark();
      expect((await forgot(stack, customer.email)).status).toBe(202);
      const mail = await stack.sink.waitFor(allOf(sentTo(customer.email), isResetMail), { since, timeoutMs: 20_000 });
      const third = await registerCustomer(stack, { label: 'wh-reset' });
      const since3 = stack.sink.mark();
      await accessTokenFor(stack, third.email, third.password);
      await accessTokenFor(stack, third.email, third.password);
      expect((await forgot(stack, third.email)).status).toBe(202);
      const mail3 = await stack.sink.waitFor(allOf(sentTo(third.email), isResetMail), { since: since3, timeoutMs: 20_000 });
      for (const m of [mail, mail3]) {
        const reset = await resetPassword(stack, extractResetToken(m), strongPassword());
        expect({ status: reset.status, body: reset.body }).toMatchObject({ status: 200 });
      }

      const test = await admin$(`/webhooks/${all.id}/test`, { method: 'POST' });
      expect(test.status).toBe(202);

      await eventually(
        'every event arrived',
        () =>
          eventsFor(customer.id, 'customer.created').length === 1 &&
          eventsFor(customer.id, 'customer.password_reset.requested').length === 1 &&
          eventsFor(customer.id, 'customer.password.changed').length === 1 &&
          eventsFor(second.id, 'customer.tokens.revoked').length === 1 &&
          eventsFor(third.id, 'customer.tokens.revoked').length === 1 &&
          receiver.at('/all').some((r) => r.id === test.body.eventId),
        20_000,
        100,
      );

      const expectedData = (c: { id: string; email: string }) => ({
        customerId: c.id,
        email: c.email,
        websiteCode: 'base',
        storeViewCode: 'default',
      });
      expect(eventsFor(customer.id, 'customer.created')[0].json.data).toEqual(expectedData(customer));
      expect(eventsFor(customer.id, 'customer.locked')[0].json.data).toEqual({
        ...expectedData(customer),
        lockedUntil: expect.any(String),
      });
      expect(eventsFor(customer.id, 'customer.password_reset.requested')[0].json.data).toEqual(expectedData(customer));
      expect(eventsFor(customer.id, 'customer.password.changed')[0].json.data).toEqual(expectedData(customer));
      expect(eventsFor(second.id, 'customer.tokens.revoked')[0].json.data).toEqual({
        ...expectedData(second),
        reason: 'force_sign_in',
        revoked: 1,
      });
      expect(eventsFor(third.id, 'customer.tokens.revoked')[0].json.data).toEqual({
        ...expectedData(third),
        reason: 'password_reset',
        revoked: 2,
      });
      // The customer had no live token when reset: no tokens.revoked for them.
      expect(eventsFor(customer.id, 'customer.tokens.revoked')).toEqual([]);
      // An unknown address produces no event.
      expect(receiver.at('/all').some((r) => r.json.data.email === unknown)).toBe(false);

      for (const r of receiver.at('/all')) {
        expect({ type: r.json.type, verifiedBy: r.verifiedBy }).toEqual({ type: r.json.type, verifiedBy: [all.secret] });
        expect(Object.keys(r.json).sort()).toEqual(['data', 'timestamp', 'type']);
        // No password, hash, token or link in any payload.
        expect(r.body).not.toMatch(/password"|hash|token"|https?:\/\/|argon/i);
        expect(r.body).not.toContain(extractResetToken(mail));
      }
      // The receiver has each request before the worker writes its outcome: wait for the rows to say so.
      let deliveredRows: any[] = [];
      await eventually(
        'every delivery to the all-events endpoint is recorded as delivered',
        async () => (deliveredRows = await deliveries(all.id)).every((d) => d.status === 'delivered'),
        15_000,
        100,
      );
      expect(deliveredRows.every((d) => d.status === 'delivered' && d.lastResponseCode === 204)).toBe(true);
    });

    it('after a rotation, both signatures are sent: the old secret and the new one each verify', async () => {
      const rotated = await admin$(`/webhooks/${all.id}/rotate-secret`, { method: 'POST' });
      expect(rotated.status).toBe(200);
      expect(rotated.body.secret).toMatch(/^whsec_/);
      expect(rotated.body.secret).not.toBe(all.secret);
      expect(Date.parse(rotated.body.previousSecretExpiresAt) - Date.now()).toBeGreaterThan(23.9 * 3600_000);
      receiver.secrets.set('/all', [all.secret, rotated.body.secret]);
      const test = await admin$(`/webhooks/${all.id}/test`, { method: 'POST' });
      await eventually('the test arrived', () => receiver.at('/all').some((r) => r.id === test.body.eventId), 15_000, 100);
      const got = receiver.at('/all').find((r) => r.id === test.body.eventId)!;
      expect(got.signature.split(' ')).toHaveLength(2);
      expect(got.verifiedBy).toEqual([all.secret, rotated.body.secret]);
      await admin$(`/webhooks/${all.id}`, { method: 'PUT', json: { enabled: false } });
    });
  });

  describe('faults', () => {
    it('500 three times, then 200: delivered on the 4th attempt, with the same webhook-id each time', async () => {
      receiver.modes.set('/flaky', { kind: 'fail', times: 3, status: 500 });
      const endpoint = await addEndpoint('/flaky', ['webhook.test']);
      const test = await admin$(`/webhooks/${endpoint.id}/test`, { method: 'POST' });
      const delivery = await deliveryWhen(endpoint.id, 'delivered', (d) => d.status === 'delivered');
      expect(delivery).toMatchObject({ eventId: test.body.eventId, attempts: 4, lastResponseCode: 204, type: 'webhook.test' });
      const seen = receiver.at('/flaky');
      expect(seen.map((r) => r.id)).toEqual([test.body.eventId, test.body.eventId, test.body.eventId, test.body.eventId]);
      expect(seen.every((r) => r.verifiedBy.length === 1)).toBe(true);
    });

    it('410 Gone disables the endpoint, audited', async () => {
      receiver.modes.set('/gone', { kind: 'status', status: 410 });
      const endpoint = await addEndpoint('/gone', ['webhook.test']);
      await admin$(`/webhooks/${endpoint.id}/test`, { method: 'POST' });
      const delivery = await deliveryWhen(endpoint.id, 'failed', (d) => d.status === 'failed');
      expect(delivery).toMatchObject({ attempts: 1, lastResponseCode: 410 });
      const listed = (await admin$('/webhooks')).body.items.find((e: any) => e.id === endpoint.id);
      expect(listed).toMatchObject({ enabled: false, disabledReason: '410 Gone' });
      const audit = await admin$('/audit-events?action=webhook.disabled_gone');
      expect(audit.body.items.find((e: any) => e.details.endpointId === endpoint.id)).toMatchObject({
        adminEmail: 'system',
        adminId: null,
      });
    });

    it('a hanging receiver times out (WEBHOOK_TIMEOUT_MS) while another endpoint keeps receiving', async () => {
      receiver.modes.set('/hang', { kind: 'hang' });
      const hang = await addEndpoint('/hang', ['webhook.test']);
      const other = await addEndpoint('/other', ['webhook.test']);
      await admin$(`/webhooks/${hang.id}/test`, { method: 'POST' });
      await eventually('the hanging receiver holds a request', () => receiver.at('/hang').length === 1, 10_000, 50);
      const sent = await admin$(`/webhooks/${other.id}/test`, { method: 'POST' });
      await eventually('the other endpoint received', () => receiver.at('/other').some((r) => r.id === sent.body.eventId), 10_000, 50);
      // Still inside the first attempt's timeout: the hanging request has not been given up yet.
      expect((await deliveries(hang.id))[0].attempts).toBe(0);
      const timedOut = await deliveryWhen(hang.id, 'the attempt timed out', (d) => d.attempts >= 1);
      expect(timedOut).toMatchObject({ status: 'pending', lastError: 'no answer within 2000 ms' });
      await admin$(`/webhooks/${hang.id}`, { method: 'DELETE' });
    });

    it('the worker SIGKILLed mid-delivery: a new worker delivers the event, same webhook-id', async () => {
      receiver.modes.set('/kill', { kind: 'hang' });
      const endpoint = await addEndpoint('/kill', ['webhook.test']);
      const test = await admin$(`/webhooks/${endpoint.id}/test`, { method: 'POST' });
      await eventually('the worker is mid-delivery', () => receiver.at('/kill').length === 1, 10_000, 20);
      expect(await signalAndWait(worker, 'SIGKILL')).not.toBe(0);
      receiver.modes.set('/kill', { kind: 'ok' });
      worker = await startWorker('worker-2');
      const delivery = await deliveryWhen(endpoint.id, 'delivered', (d) => d.status === 'delivered', 30_000);
      expect(delivery.eventId).toBe(test.body.eventId);
      expect(new Set(receiver.at('/kill').map((r) => r.id))).toEqual(new Set([test.body.eventId]));
    });

    /**
     * "PostgreSQL restarts" right after `change` committed its event, before the event is relayed:
     * the worker's statements are held from just before the request (so that it cannot fan the event
     * out or deliver it before the restart, whatever the timing), and when the API sends its first
     * statement that relays a committed outbox row (`… and relayed_at is null`: the relay's lock), or,
     * with `cutAt: 'answer'`, as soon as the API has answered (a password change sends nothing after
     * its commit: its events are fanned out by the change itself, its email left to the worker's
     * sweep), every connection of both processes is reset and new ones are refused for `downMs`.
     * `whileDown` runs then (PostgreSQL is still reachable directly, for the harness); then
     * PostgreSQL is back.
     */
    async function restartPostgresAfterCommit<T>(
      change: () => Promise<T>,
      whileDown: (answer: T) => Promise<void>,
      { downMs = 3000, cutAt = 'relay' }: { downMs?: number; cutAt?: 'relay' | 'answer' } = {},
    ) {
      let restarted!: () => void;
      const cut = new Promise<void>((resolve) => (restarted = resolve));
      const restart = (): void => void Promise.all([pgApi.down(), pgWorker.down()]).then(restarted);
      pgWorker.hold();
      if (cutAt === 'relay') pgApi.tapClient(') and relayed_at is null', restart);
      try {
        const answer = await change();
        if (cutAt === 'answer') restart();
        await Promise.race([cut, sleep(10_000).then(() => Promise.reject(new Error('the API never relayed the event')))]);
        const downSince = Date.now();
        await whileDown(answer);
        await sleep(Math.max(0, downMs - (Date.now() - downSince)));
        return answer;
      } finally {
        pgApi.release();
        pgWorker.release();
        await Promise.all([pgApi.up(), pgWorker.up()]);
      }
    }

    const pendingEvent = async (where: string, params: unknown[]) =>
      (
        await stack.db.query(
          `select payload->>'id' as id, relayed_at as "relayedAt" from outbox_message where job_name = 'webhook-event' and ${where}`,
          params,
        )
      ).rows as Array<{ id: string; relayedAt: Date | null }>;

    async function expectDeliveredOnceAsSigned(path: string, secret: string, eventId: string, type: string): Promise<void> {
      await eventually(`${type} delivered after the restart`, () => receiver.at(path).length > 0, 30_000, 100);
      // The sweep relays the row again once PostgreSQL is back (the job id is the row's: no second job).
      await eventually(
        'the outbox row marked relayed',
        async () => (await pendingEvent(`payload->>'id' = $1`, [eventId]))[0].relayedAt !== null,
      );
      await sleep(1000);
      const got = receiver.at(path);
      expect(got.map((r) => ({ id: r.id, type: r.json.type, verifiedBy: r.verifiedBy }))).toEqual([
        { id: eventId, type, verifiedBy: [secret] },
      ]);
    }

    it('PostgreSQL restarted right after the commit of a password change (as the API answers): the event, fanned out by the change itself, is delivered once, as signed, with its id', async () => {
      const endpoint = await addEndpoint('/pg-reset', ['customer.password.changed']);
      const customer = await registerCustomer(stack, { label: 'wh-pg' });
      const { token } = await requestResetToken(stack, customer.email, 20_000);
      let eventId = '';
      await restartPostgresAfterCommit(
        () => resetPassword(stack, token, strongPassword()),
        async (answer) => {
          // The change is committed and the customer told so; its event was recorded relayed with its
          // delivery by the reset's own statement (no relay of its own follows), and waits undelivered.
          expect(answer.status).toBe(200);
          const rows = await pendingEvent(`payload->>'type' = 'customer.password.changed' and payload->'data'->>'customerId' = $1`, [
            customer.id,
          ]);
          expect(rows).toEqual([{ id: expect.any(String), relayedAt: expect.any(Date) }]);
          eventId = rows[0].id;
          // Read directly: the API's own connections are the ones cut.
          const pending = await stack.db.query(
            `select event_id as "eventId", status, attempts from webhook_delivery where endpoint_id = $1`,
            [endpoint.id],
          );
          expect(pending.rows).toEqual([{ eventId, status: 'pending', attempts: 0 }]);
          expect(receiver.at('/pg-reset')).toEqual([]);
        },
        { cutAt: 'answer' },
      );
      await expectDeliveredOnceAsSigned('/pg-reset', endpoint.secret, eventId, 'customer.password.changed');
      expect(receiver.at('/pg-reset')[0].json.data).toMatchObject({ customerId: customer.id, email: customer.email });
      const [row] = await deliveries(endpoint.id);
      expect(row).toMatchObject({ eventId, status: 'delivered', attempts: 1, lastResponseCode: 204 });
    });

    it('PostgreSQL restarted before the relay could read the committed event: the sweep relays it afterwards, delivered once', async () => {
      const endpoint = await addEndpoint('/pg-test', ['webhook.test']);
      const sent = await restartPostgresAfterCommit(
        () => admin$(`/webhooks/${endpoint.id}/test`, { method: 'POST' }),
        async (answer) => {
          expect(answer.status).toBe(202);
          expect(await pendingEvent(`payload->>'id' = $1`, [answer.body.eventId])).toEqual([{ id: answer.body.eventId, relayedAt: null }]);
          expect(receiver.at('/pg-test')).toEqual([]);
        },
      );
      await expectDeliveredOnceAsSigned('/pg-test', endpoint.secret, sent.body.eventId, 'webhook.test');
    });
  });

  describe('SSRF: refused before any connection, the reason on the delivery', () => {
    let ssrfCount = 0;
    it.each([
      ['loopback IPv6 literal', () => `http://[::1]:${receiver.port}/v6`, /^::1 is a loopback address/],
      ['loopback outside the allow-list', () => `http://127.0.0.3:${receiver.port}/other-loopback`, /^127\.0\.0\.3 is a loopback address/],
      ['cloud metadata (link-local)', () => 'http://169.254.169.254/latest/meta-data/', /^169\.254\.169\.254 is a linkLocal address/],
      [
        'a name resolving to the loopback',
        () => `http://localhost:${receiver.port}/by-name`,
        /is a loopback address \(localhost resolves to it\)/,
      ],
    ])('%s', async (_, url, reason) => {
      const before = receiver.received.length;
      const endpoint = await addEndpoint(`/ssrf-${++ssrfCount}`, ['webhook.test'], url());
      await admin$(`/webhooks/${endpoint.id}/test`, { method: 'POST' });
      const delivery = await deliveryWhen(endpoint.id, 'refused', (d) => d.status === 'refused');
      expect(delivery).toMatchObject({ attempts: 1, lastResponseCode: null, lastError: expect.stringMatching(reason) });
      expect(receiver.received.length).toBe(before);
    });

    it('an allowed host that redirects to 127.0.0.2 (not allowed): the redirect is not followed', async () => {
      receiver.modes.set('/redirect', { kind: 'redirect', to: `http://127.0.0.2:${forbiddenPort}/steal` });
      const endpoint = await addEndpoint('/redirect', ['webhook.test']);
      await admin$(`/webhooks/${endpoint.id}/test`, { method: 'POST' });
      const delivery = await deliveryWhen(endpoint.id, 'one attempt', (d) => d.attempts >= 1);
      expect(delivery).toMatchObject({ status: 'pending', lastResponseCode: 302, lastError: '302: redirect not followed' });
      expect(forbiddenHits).toEqual([]);
      await admin$(`/webhooks/${endpoint.id}`, { method: 'DELETE' });
    });

    it('Retry on a refused delivery, after the URL was fixed: delivered with the same webhook-id, audited', async () => {
      const endpoint = await addEndpoint('/fixed', ['webhook.test'], `http://localhost:${receiver.port}/fixed`);
      const test = await admin$(`/webhooks/${endpoint.id}/test`, { method: 'POST' });
      const refused = await deliveryWhen(endpoint.id, 'refused', (d) => d.status === 'refused');
      expect((await admin$(`/webhooks/${endpoint.id}`, { method: 'PUT', json: { url: receiver.url('/fixed') } })).status).toBe(200);
      const retried = await admin$(`/webhook-deliveries/${refused.id}/retry`, { method: 'POST' });
      expect(retried.status).toBe(202);
      await deliveryWhen(endpoint.id, 'delivered', (d) => d.status === 'delivered');
      expect(receiver.at('/fixed').map((r) => [r.id, r.verifiedBy.length])).toEqual([[test.body.eventId, 1]]);
      const audit = await admin$('/audit-events?action=webhook.delivery_retried');
      expect(audit.body.items.some((e: any) => e.details.deliveryId === refused.id)).toBe(true);
    });
  });

  describe('faults: the receiver down for a minute, checked last', () => {
    it('everything written while it was down arrived afterwards, each request verified, with the webhook-id of its event', async () => {
      await lateBack;
      let rows: any[] = [];
      // Retries are exponential (from WEBHOOK_RETRY_DELAY_MS=100, with jitter): after a minute the
      // next attempt is some 50-100 s after the event.
      await eventually(
        'every delivery to the receiver that was down is delivered',
        async () => {
          rows = await deliveries(lateEndpoint.id);
          return rows.every((d) => d.status === 'delivered');
        },
        150_000,
        500,
      );
      // Written while it was down: the test event at once, and (unless this machine is very slow) the
      // customer events of the tests above. Those written at least 2 s before it came back had failed
      // at least once by then.
      const writtenWhileDown = rows.filter((d) => Date.parse(d.createdAt) < lateBackAt - 2000);
      expect(writtenWhileDown.map((d) => d.eventId)).toContain(lateFirstEventId);
      expect(writtenWhileDown.every((d) => d.attempts >= 2 && d.lastResponseCode === 204)).toBe(true);
      expect(writtenWhileDown.find((d) => d.eventId === lateFirstEventId)?.attempts).toBeGreaterThanOrEqual(5);
      // At least once: every event arrived (a retry may repeat one, always under its event's id).
      const got = late.at('/late');
      expect(new Set(got.map((r) => r.id))).toEqual(new Set(rows.map((d) => d.eventId)));
      expect(got.every((r) => r.verifiedBy.length === 1)).toBe(true);
      for (const d of rows) expect(got.find((r) => r.id === d.eventId)?.json.type).toBe(d.type);
    }, 200_000);
  });
});
