import { EntityManager } from '@mikro-orm/postgresql';
import { getQueueToken } from '@nestjs/bullmq';
import { Queue } from 'bullmq';
import { createServer, IncomingMessage, Server, ServerResponse } from 'node:http';
import { AddressInfo } from 'node:net';
import { mailQueueConnection, NotificationModule, OutboxService, QueueName, WebhookEventPayload } from '@customer-access/notification';
import {
  WebhookDeliveries,
  WebhookDeliverySql,
  WebhookEndpoints,
  WebhookEvents,
  WebhookEventType,
  WebhookRepository,
  WebhooksModule,
} from '@customer-access/webhooks';
import { CustomerSql } from '@customer-access/customers';
import { rawSql, sql } from '@customer-access/database';
import { I18nModule } from '@customer-access/i18n';
import { SettingsModule } from '@customer-access/settings';
import { insertCustomer, Medium, startMedium } from './support/medium';

/**
 * libs/webhooks' relay and deliverer in-process (docs/webhooks.md): the fan-out done in SQL where the
 * outbox row is marked relayed, and due deliveries claimed in batches, against PostgreSQL, Redis (the
 * webhooks queue) and a receiver on 127.0.0.1.
 */
describe('webhook relay and deliverer (medium)', () => {
  let medium: Medium;
  let queue: Queue;
  let server: Server;
  let port = 0;
  const hits: string[] = [];
  const hanging: ServerResponse[] = [];

  beforeAll(async () => {
    server = createServer((req: IncomingMessage, res: ServerResponse) => {
      req.resume();
      req.on('end', () => {
        hits.push(`${req.url} ${req.headers['webhook-id']}`);
        if (req.url === '/hang') hanging.push(res);
        else res.writeHead(204).end();
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as AddressInfo).port;
    medium = await startMedium({
      env: { WEBHOOK_ALLOWED_HOSTS: '127.0.0.1', WEBHOOK_TIMEOUT_MS: '800', WEBHOOK_CONCURRENCY: '4', WORKER_STALLED_INTERVAL_MS: '500' },
      imports: [SettingsModule, I18nModule, mailQueueConnection('worker'), NotificationModule, WebhooksModule],
    });
    queue = medium.get(getQueueToken(QueueName.Webhooks));
  });
  afterAll(async () => {
    for (const res of hanging) res.destroy();
    await medium?.close();
    await new Promise((resolve) => server.close(resolve));
  });
  beforeEach(async () => {
    await medium.db.query('delete from webhook_endpoint');
    await queue.obliterate({ force: true });
    hits.length = 0;
  });

  const em = () => medium.get(EntityManager).fork();
  const addEndpoint = (path: string, events: string[], enabled = true) =>
    medium.get(WebhookEndpoints).create(em(), { url: `http://127.0.0.1:${port}${path}`, events, enabled });
  const jobs = async () => Object.values(await queue.getJobCounts()).reduce((a, b) => a + b, 0);
  const deliveryRows = async (eventId: string) =>
    (await medium.db.query(`select status, attempts, last_error as "lastError" from webhook_delivery where event_id = $1`, [eventId])).rows;
  const relayedAt = async (eventId: string) =>
    (await medium.db.query(`select relayed_at as "relayedAt" from outbox_message where id = $1`, [eventId])).rows[0].relayedAt;

  /** A customer.created event written as the registration writes it, not yet relayed. */
  async function recordEvent(type = WebhookEventType.CustomerCreated): Promise<WebhookEventPayload> {
    const customer = await insertCustomer(medium.db);
    const payload = await medium.get(WebhookEvents).recordForCustomer(em(), type, CustomerSql.contact({ id: customer.id }));
    return payload!;
  }

  it('an event no endpoint subscribes to: marked relayed, no delivery, no job', async () => {
    await addEndpoint('/other-type', ['customer.locked']);
    await addEndpoint('/disabled', ['customer.created'], false);
    const event = await recordEvent();
    await medium.get(WebhookEvents).relay([event]);
    expect(await relayedAt(event.id)).not.toBeNull();
    expect(await deliveryRows(event.id)).toEqual([]);
    expect(await jobs()).toBe(0);
  });

  it('an event with subscribers: one pending delivery each and one wake-up job, in the statement that marks it relayed; a second relay adds nothing', async () => {
    await addEndpoint('/a', ['customer.created']);
    await addEndpoint('/b', ['customer.created', 'customer.locked']);
    const event = await recordEvent();
    await medium.get(WebhookEvents).relay([event]);
    expect(await deliveryRows(event.id)).toEqual([
      { status: 'pending', attempts: 0, lastError: null },
      { status: 'pending', attempts: 0, lastError: null },
    ]);
    expect(await jobs()).toBe(1);
    await medium.get(WebhookEvents).relay([event]);
    await medium.get(OutboxService).relay();
    expect(await deliveryRows(event.id)).toHaveLength(2);
  });

  it('the sweep fans out an event the relay missed', async () => {
    await addEndpoint('/swept', ['customer.created']);
    const event = await recordEvent();
    expect(await medium.get(OutboxService).relay()).toBeGreaterThanOrEqual(1);
    expect(await relayedAt(event.id)).not.toBeNull();
    expect(await deliveryRows(event.id)).toEqual([{ status: 'pending', attempts: 0, lastError: null }]);
  });

  it('a claim with one hanging endpoint delivers the rest at once; the hanging one times out and is rescheduled, and its claim keeps it from a second claim', async () => {
    await addEndpoint('/hang', ['customer.created']);
    for (const path of ['/ok-1', '/ok-2', '/ok-3']) await addEndpoint(path, ['customer.created']);
    const event = await recordEvent();
    await medium.get(WebhookEvents).relay([event]);
    const deliveries = medium.get(WebhookDeliveries);
    await deliveries.pump();
    expect(deliveries.active).toBe(4);
    const delivered = async () => (await deliveryRows(event.id)).filter((d) => d.status === 'delivered').length;
    const start = Date.now();
    while ((await delivered()) < 3 && Date.now() - start < 5000) await new Promise((r) => setTimeout(r, 20));
    expect(await delivered()).toBe(3);
    // The hanging one is still in its attempt (800 ms): not recorded, and not claimed again.
    expect((await deliveryRows(event.id)).find((d) => d.status === 'pending')).toEqual({ status: 'pending', attempts: 0, lastError: null });
    await deliveries.pump();
    expect(deliveries.active).toBe(1);
    while (deliveries.active > 0) await new Promise((r) => setTimeout(r, 20));
    expect((await deliveryRows(event.id)).find((d) => d.status === 'pending')).toEqual({
      status: 'pending',
      attempts: 1,
      lastError: 'no answer within 800 ms',
    });
    expect(hits.filter((h) => h.startsWith('/hang'))).toEqual([`/hang ${event.id}`]);
    expect(hits.filter((h) => h.startsWith('/ok')).sort()).toEqual(['/ok-1', '/ok-2', '/ok-3'].map((p) => `${p} ${event.id}`));
  });

  it('a claim holds its delivery until the lease lapses (then the next claim sends it); an outcome under another claim is not written', async () => {
    await addEndpoint('/late', ['customer.created']);
    const event = await recordEvent();
    await medium.get(WebhookEvents).relay([event]);
    const rows = (await medium.db.query(`select id from webhook_delivery where event_id = $1`, [event.id])).rows;
    // A claim taken by a worker that then "died": the lease moved next_attempt_at ahead.
    await medium.db.query(`update webhook_delivery set next_attempt_at = now() + interval '1 hour' where id = $1`, [rows[0].id]);
    const deliveries = medium.get(WebhookDeliveries);
    await deliveries.pump();
    expect(deliveries.active).toBe(0);
    await medium
      .get(WebhookRepository)
      .recordAttempts([{ id: rows[0].id, lease: '2026-01-01 00:00:00+00', status: 'failed', code: 500, error: 'stale', next: null }]);
    expect(await deliveryRows(event.id)).toEqual([{ status: 'pending', attempts: 0, lastError: null }]);
    // The lease lapses: the next claim sends it.
    await medium.db.query(`update webhook_delivery set next_attempt_at = now() where id = $1`, [rows[0].id]);
    await deliveries.pump();
    while (deliveries.active > 0) await new Promise((r) => setTimeout(r, 20));
    expect(await deliveryRows(event.id)).toEqual([{ status: 'delivered', attempts: 1, lastError: null }]);
    expect(hits).toEqual([`/late ${event.id}`]);
  });

  it("a fan-out claiming for this deliverer: the claimed deliveries are no claim's, sent once adopted, their outcomes written under their lease", async () => {
    await addEndpoint('/claimed-1', ['customer.created']);
    await addEndpoint('/claimed-2', ['customer.created']);
    const event = await recordEvent();
    const deliveries = medium.get(WebhookDeliveries);
    const reserved = deliveries.reserve();
    expect(reserved.room).toBe(8);
    // As the worker's token issue does it (WebhookDeliverySql.fanOutClaiming), with room for one of the two.
    const q = sql`with d as (${WebhookDeliverySql.fanOutClaiming(sql`(select ${JSON.stringify(event)}::jsonb as payload)`, {
      room: 1,
      leaseMs: reserved.leaseMs,
    })}) ${WebhookDeliverySql.addedByEvent(rawSql('d'))}`;
    const [added] = (await medium.db.query(q.text, [...q.params])).rows;
    expect(added).toMatchObject({ eventId: event.id, deliveries: 2 });
    expect(added.claimed).toHaveLength(1);
    // The claimed one is not due: a claim statement takes only the other.
    const other = await medium.get(WebhookRepository).claimDue(8, reserved.leaseMs);
    expect(other).toHaveLength(1);
    expect(other[0].id).not.toBe(added.claimed[0].id);
    deliveries.adopt([...added.claimed, ...other], reserved.room);
    while (deliveries.active > 0) await new Promise((r) => setTimeout(r, 20));
    expect(await deliveryRows(event.id)).toEqual([
      { status: 'delivered', attempts: 1, lastError: null },
      { status: 'delivered', attempts: 1, lastError: null },
    ]);
    expect(hits.sort()).toEqual([`/claimed-1 ${event.id}`, `/claimed-2 ${event.id}`]);
  });
});
