import { EntityManager } from '@mikro-orm/postgresql';
import { Injectable, Logger } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { runStatement, selectRows } from '@customer-access/database';
import { MailJob, MailJobPayload, WEBHOOK_EVENT_JOB, WebhookEventPayload } from './mail-jobs';
import { MailProducer } from './mail-producer';
import { OutboxMessageSql } from './outbox-message.queries';

/**
 * What libs/webhooks plugs into the relay (this lib cannot depend on it): a webhook event is fanned
 * out to its `webhook_delivery` rows in SQL, where its outbox row is marked relayed, so an event no
 * endpoint subscribes to costs no queue job at all (docs/webhooks.md, docs/performance.md).
 */
export interface WebhookEventRelay {
  /** Marks the given committed events relayed and fans them out, in one statement (concurrent relays share one). */
  relayHeld(ids: string[]): Promise<void>;
  /** In the relay's transaction, the rows locked: fans the events out (the relay marks them). Returns the deliveries added. */
  fanOutLocked(tx: EntityManager, ids: string[]): Promise<number>;
  /** After the commit, when deliveries were added: wakes the deliverers. Best effort (they also poll). */
  wake(): Promise<void>;
  /**
   * Before a statement that fans events out for this process (the worker's token issue): how many
   * of its deliveries it may insert already claimed for this process's deliverer (0 where none runs,
   * or it is paused or full), and their lease. Reserved until `adoptClaimed`, which must follow.
   */
  reserveClaims(): { room: number; leaseMs: number };
  /** After that statement (committed, or failed: no rows): the deliveries it claimed (the deliverer's rows), and the room reserved. */
  adoptClaimed(rows: unknown[], reserved: number): void;
}

/** The most pending messages one sweep's relay claims; a sweep that relayed as many goes on at once. */
export const OUTBOX_SWEEP_BATCH = 100;

/**
 * Transactional outbox for mail that follows a database change. `add` joins the caller's
 * transaction; `relay` moves committed messages to the queue. The admin routes relay right after
 * their commit; a completed password reset leaves its confirmation to the worker's sweep, which also
 * relays whatever a crashed process left behind.
 *
 * The BullMQ job id is derived from the message id, so a message relayed twice (a crash between
 * the enqueue and the mark) is still a single job while that job is retained.
 */
@Injectable()
export class OutboxService {
  private readonly logger = new Logger(OutboxService.name);
  private webhookRelay?: WebhookEventRelay;
  constructor(
    private readonly em: EntityManager,
    private readonly producer: MailProducer,
  ) {}

  /** Called by libs/webhooks at start-up. Without it (a process without webhooks), events wait for a sweep that has it. */
  useWebhookRelay(relay: WebhookEventRelay): void {
    this.webhookRelay = relay;
  }

  /**
   * Records a message in the caller's transaction. A completed password reset records its
   * confirmation with the same SQL (OutboxMessageSql.insert) inside its own single statement.
   */
  async add<N extends MailJob>(em: EntityManager, name: N, payload: MailJobPayload<N>): Promise<string> {
    const id = randomUUID();
    await runStatement(em, OutboxMessageSql.add(id, name, payload));
    return id;
  }

  /**
   * The "email changed" notice to the customer's previous address, recorded in the caller's
   * transaction (the one that changes the address); relay it with relayCommitted after the commit.
   */
  addEmailChangedNotice(em: EntityManager, notice: MailJobPayload<MailJob.EmailChanged>): Promise<string> {
    return this.add(em, MailJob.EmailChanged, notice);
  }

  /** Relays the given messages (or, without ids, the oldest pending ones). Returns how many. */
  async relay(ids?: string[], limit = OUTBOX_SWEEP_BATCH): Promise<number> {
    const webhooks = this.webhookRelay;
    let deliveries = 0;
    const relayed = await this.em.transactional(async (tx) => {
      const rows = await selectRows(tx, ids ? OutboxMessageSql.lockPending(ids) : OutboxMessageSql.lockOldestPending(limit));
      const mail = rows.filter((r) => r.jobName !== WEBHOOK_EVENT_JOB);
      const events = webhooks ? rows.filter((r) => r.jobName === WEBHOOK_EVENT_JOB).map((r) => r.id) : [];
      if (mail.length + events.length === 0) return 0;
      if (mail.length > 0) {
        await this.producer.enqueueBulk(
          mail.map((r) => ({ name: r.jobName as MailJob, payload: r.payload as MailJobPayload, jobId: `outbox-${r.id}` })),
        );
      }
      // Webhook events: their deliveries written in this transaction, before the rows are marked.
      if (webhooks && events.length > 0) deliveries = await webhooks.fanOutLocked(tx, events);
      await runStatement(tx, OutboxMessageSql.markRelayed([...mail.map((r) => r.id), ...events]));
      return mail.length + events.length;
    });
    if (webhooks && deliveries > 0) await webhooks.wake();
    return relayed;
  }

  /**
   * Relays committed webhook events whose content the caller holds: marked relayed and fanned out
   * to their deliveries in one statement (WebhookEventRelay); best effort, the sweep repairs a failure.
   */
  async enqueueWebhookEvents(events: WebhookEventPayload[]): Promise<void> {
    if (events.length === 0 || !this.webhookRelay) return;
    try {
      await this.webhookRelay.relayHeld(events.map((e) => e.id));
    } catch (error) {
      this.deferToSweep(error);
    }
  }

  /**
   * After the commit of a statement that fanned its webhook events out itself (WebhookDeliverySql.fanOut)
   * and added deliveries: wakes the deliverers (best effort: they also poll).
   */
  async wakeWebhookDeliverers(): Promise<void> {
    await this.webhookRelay?.wake();
  }

  /** See WebhookEventRelay.reserveClaims (none without libs/webhooks). */
  reserveWebhookClaims(): { room: number; leaseMs: number } {
    return this.webhookRelay?.reserveClaims() ?? { room: 0, leaseMs: 0 };
  }

  /** See WebhookEventRelay.adoptClaimed: the deliveries a statement claimed for this process, once it has ended. */
  adoptClaimedWebhookDeliveries(rows: unknown[], reserved: number): void {
    this.webhookRelay?.adoptClaimed(rows, reserved);
  }

  /**
   * Relays one committed message, reading it back from the table. Best effort: a failure here is
   * repaired by the worker's sweep, not by the caller.
   */
  async relayCommitted(id: string): Promise<void> {
    await this.relay([id]).catch((error) => this.deferToSweep(error));
  }

  private deferToSweep(error: unknown): void {
    this.logger.warn(`Outbox relay deferred to the sweep: ${error}`);
  }
}
