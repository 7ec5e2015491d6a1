import { EntityManager } from '@mikro-orm/postgresql';
import { MikroOrmModule } from '@mikro-orm/nestjs';
import { getQueueToken } from '@nestjs/bullmq';
import { Queue } from 'bullmq';
import { randomUUID } from 'node:crypto';
import { createServer, IncomingMessage, Server, ServerResponse } from 'node:http';
import { AddressInfo } from 'node:net';
import { Webhook } from 'standardwebhooks';
import { AuditEvent } from '@customer-access/admin';
import { I18nModule } from '@customer-access/i18n';
import {
  mailQueueConnection,
  MailJob,
  NotificationModule,
  QueueName,
  WEBHOOK_EVENT_JOB,
  WebhookEventPayload,
} from '@customer-access/notification';
import { ObservabilityModule } from '@customer-access/observability';
import { SettingsModule } from '@customer-access/settings';
import { WebhookEndpoints, WebhooksModule } from '@customer-access/webhooks';
import { WebhooksProcessor } from '../../apps/worker/src/webhooks.processor';
import { insertCustomer, Medium, startMedium } from './support/medium';

/**
 * Jobs that an earlier version left on the webhooks queue, handled by the current worker after an
 * upgrade (apps/worker's WebhooksProcessor with a real BullMQ worker; docs/webhooks.md, "Upgrading"):
 * before deliveries became rows claimed in batches, the relay queued a `webhook-event` job per event
 * (the fan-out) and the fan-out a `webhook-delivery` job per delivery (its retries were that job's
 * delayed attempts). None is dropped: a `webhook-event` job fans its event out as the relay now does
 * (idempotent), and a `webhook-delivery` job wakes the deliverer, whose claim sends its row if still
 * due; each completes.
 */
const SIGNATURE_HEADERS = ['webhook-id', 'webhook-timestamp', 'webhook-signature'];

describe('webhook jobs queued by an earlier version (medium)', () => {
  let medium: Medium;
  let queue: Queue;
  let server: Server;
  let port = 0;
  let secret = '';
  const hits: Array<{ id: string; body: string; verified: boolean }> = [];

  beforeAll(async () => {
    server = createServer(async (req: IncomingMessage, res: ServerResponse) => {
      let body = '';
      for await (const chunk of req) body += String(chunk);
      const headers = Object.fromEntries(SIGNATURE_HEADERS.map((name) => [name, String(req.headers[name])]));
      let verified = true;
      try {
        new Webhook(secret).verify(body, headers);
      } catch {
        verified = false;
      }
      hits.push({ id: headers['webhook-id'], body, verified });
      res.writeHead(204).end();
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as AddressInfo).port;
    medium = await startMedium({
      env: { WEBHOOK_ALLOWED_HOSTS: '127.0.0.1' },
      imports: [
        ObservabilityModule.forRoot('worker', { workerJobNames: Object.values(MailJob) }),
        SettingsModule,
        I18nModule,
        mailQueueConnection('worker'),
        NotificationModule,
        WebhooksModule,
        MikroOrmModule.forFeature([AuditEvent]),
      ],
      providers: [WebhooksProcessor],
    });
    queue = medium.get(getQueueToken(QueueName.Webhooks));
  });
  afterAll(async () => {
    await medium?.close();
    await new Promise((resolve) => server?.close(resolve));
  });
  beforeEach(async () => {
    await medium.db.query('delete from webhook_endpoint');
    hits.length = 0;
    const endpoint = await medium
      .get(WebhookEndpoints)
      .create(medium.get(EntityManager).fork(), { url: `http://127.0.0.1:${port}/legacy`, events: ['customer.created'], enabled: true });
    secret = endpoint.secret;
  });

  /** The job's state once it has settled (completed or failed), and what it returned. */
  async function settled(jobId: string): Promise<{ state: string; returnvalue: unknown }> {
    const start = Date.now();
    for (;;) {
      const state = await queue.getJobState(jobId);
      if (state === 'completed' || state === 'failed' || Date.now() - start > 10_000) {
        return { state, returnvalue: (await queue.getJob(jobId))?.returnvalue };
      }
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }

  const deliveryRows = async (eventId: string) =>
    (await medium.db.query(`select id, status, attempts from webhook_delivery where event_id = $1`, [eventId])).rows;

  async function until(what: string, check: () => Promise<boolean> | boolean): Promise<void> {
    const start = Date.now();
    while (!(await check())) {
      if (Date.now() - start > 10_000) throw new Error(`timed out waiting for ${what}`);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }

  it('a webhook-event job (the old fan-out) adds the deliveries and they are sent, signed; the same job again adds and sends nothing', async () => {
    const customer = await insertCustomer(medium.db);
    const event: WebhookEventPayload = {
      id: randomUUID(),
      type: 'customer.created',
      timestamp: new Date().toISOString(),
      data: { customerId: customer.id },
    };
    // As the old relay queued it (job id `outbox-<event id>`, retried by BullMQ).
    await queue.add(WEBHOOK_EVENT_JOB, event, { jobId: `outbox-${event.id}`, attempts: 25, backoff: { type: 'exponential', delay: 1000 } });
    expect(await settled(`outbox-${event.id}`)).toEqual({ state: 'completed', returnvalue: { deliveries: 1 } });
    await until('the delivery', async () => (await deliveryRows(event.id))[0]?.status === 'delivered');
    expect(hits).toEqual([{ id: event.id, body: expect.stringContaining(customer.id), verified: true }]);
    expect(JSON.parse(hits[0].body)).toEqual({ type: event.type, timestamp: event.timestamp, data: event.data });

    await queue.add(WEBHOOK_EVENT_JOB, event, { jobId: `outbox-${event.id}-again` });
    expect(await settled(`outbox-${event.id}-again`)).toEqual({ state: 'completed', returnvalue: { deliveries: 0 } });
    await new Promise((resolve) => setTimeout(resolve, 300)); // a poll or two
    expect(await deliveryRows(event.id)).toEqual([expect.objectContaining({ status: 'delivered', attempts: 1 })]);
    expect(hits).toHaveLength(1);
  });

  it('a webhook-delivery job (the old per-delivery job) completes: a due row it names is sent once, an already delivered one is not sent again', async () => {
    const customer = await insertCustomer(medium.db);
    const eventId = randomUUID();
    // A pending row as the old fan-out wrote it (due now), with the job it queued beside it.
    const [{ id }] = (
      await medium.db.query(
        `insert into webhook_delivery (id, event_id, endpoint_id, type, payload, status, attempts, next_attempt_at, created_at)
         select gen_random_uuid(), $1, e.id, 'customer.created', $2::jsonb, 'pending', 0, now(), now() from webhook_endpoint e
         returning id`,
        [eventId, JSON.stringify({ type: 'customer.created', timestamp: new Date().toISOString(), data: { customerId: customer.id } })],
      )
    ).rows;
    const legacy = { attempts: 500, backoff: { type: 'webhook' }, removeOnComplete: { age: 3600 } };
    await queue.add('webhook-delivery', { deliveryId: id }, { ...legacy, jobId: `delivery-${id}-0` });
    expect((await settled(`delivery-${id}-0`)).state).toBe('completed');
    await until('the delivery', async () => (await deliveryRows(eventId))[0]?.status === 'delivered');
    expect(hits.map((h) => [h.id, h.verified])).toEqual([[eventId, true]]);

    // The old retry of the same delivery (a delayed attempt of a job) fires after the row is delivered.
    await queue.add('webhook-delivery', { deliveryId: id }, { ...legacy, jobId: `delivery-${id}-1` });
    expect((await settled(`delivery-${id}-1`)).state).toBe('completed');
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(await deliveryRows(eventId)).toEqual([{ id, status: 'delivered', attempts: 1 }]);
    expect(hits).toHaveLength(1);
  });
});
