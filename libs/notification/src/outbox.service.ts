import { EntityManager } from '@mikro-orm/postgresql';
import { InjectQueue } from '@nestjs/bullmq';
import { Injectable, Logger } from '@nestjs/common';
import { Queue } from 'bullmq';
import { randomUUID } from 'node:crypto';
import { GroupCommit, runStatement, selectRows } from '@customer-access/database';
import { MailJob, MailJobPayload, QueueName, WEBHOOK_EVENT_JOB, WebhookEventPayload } from './mail-jobs';
import { MailProducer } from './mail-producer';
import { OutboxMessageSql, OutboxRow } from './outbox-message.queries';

/** Webhook event jobs: a few quick attempts (fanning out is a database insert); kept like mail jobs. */
export const WEBHOOK_EVENT_JOB_OPTIONS = {
  attempts: 9,
  backoff: { type: 'exponential', delay: 1000 },
  removeOnComplete: { age: 24 * 3600, count: 10_000 },
  removeOnFail: { age: 14 * 24 * 3600, count: 100_000 },
} as const;

/**
 * Transactional outbox for mail that follows a database change. `add` joins the caller's
 * transaction; `relay` moves committed messages to the queue. The API relays right after its
 * commit; the worker sweeps whatever a crashed process left behind.
 *
 * The BullMQ job id is derived from the message id, so a message relayed twice (a crash between
 * the enqueue and the mark) is still a single job while that job is retained.
 */
@Injectable()
export class OutboxService {
  private readonly logger = new Logger(OutboxService.name);
  /** Marks of concurrent relays go together: one UPDATE per batch (GroupCommit, docs/performance.md). */
  private readonly relayedMarks = new GroupCommit<string>(async (ids) => {
    await runStatement(this.em, OutboxMessageSql.markRelayed(ids, true));
  });

  constructor(
    private readonly em: EntityManager,
    private readonly producer: MailProducer,
    @InjectQueue(QueueName.Webhooks) private readonly webhooks: Queue,
  ) {}

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
  async relay(ids?: string[], limit = 100): Promise<number> {
    return this.em.transactional(async (tx) => {
      const rows = await selectRows(tx, ids ? OutboxMessageSql.lockPending(ids) : OutboxMessageSql.lockOldestPending(limit));
      if (rows.length === 0) return 0;
      await this.enqueueRows(rows);
      await runStatement(
        tx,
        OutboxMessageSql.markRelayed(
          rows.map((r) => r.id),
          false,
        ),
      );
      return rows.length;
    });
  }

  /** Mail jobs to the mail queue, webhook events to the webhooks queue; each job id derived from its row. */
  private async enqueueRows(rows: OutboxRow[]): Promise<void> {
    const events = rows.filter((r) => r.jobName === WEBHOOK_EVENT_JOB);
    const mail = rows.filter((r) => r.jobName !== WEBHOOK_EVENT_JOB);
    if (mail.length > 0) {
      await this.producer.enqueueBulk(
        mail.map((r) => ({ name: r.jobName as MailJob, payload: r.payload as MailJobPayload, jobId: `outbox-${r.id}` })),
      );
    }
    if (events.length > 0) {
      await this.webhooks.addBulk(
        events.map((r) => ({ name: WEBHOOK_EVENT_JOB, data: r.payload, opts: { ...WEBHOOK_EVENT_JOB_OPTIONS, jobId: `outbox-${r.id}` } })),
      );
    }
  }

  /**
   * Relays committed webhook events whose content the caller holds (as enqueueCommitted for mail):
   * enqueued straight away, then marked relayed; best effort, the sweep repairs a failure.
   */
  async enqueueWebhookEvents(events: WebhookEventPayload[]): Promise<void> {
    if (events.length === 0) return;
    try {
      await this.webhooks.addBulk(
        events.map((e) => ({ name: WEBHOOK_EVENT_JOB, data: e, opts: { ...WEBHOOK_EVENT_JOB_OPTIONS, jobId: `outbox-${e.id}` } })),
      );
      await Promise.all(events.map((e) => this.relayedMarks.write(e.id)));
    } catch (error) {
      this.deferToSweep(error);
    }
  }

  /**
   * Relays one committed message, reading it back from the table. Best effort: a failure here is
   * repaired by the worker's sweep, not by the caller.
   */
  async relayCommitted(id: string): Promise<void> {
    await this.relay([id]).catch((error) => this.deferToSweep(error));
  }

  /**
   * Relays a committed message whose content the caller holds: enqueued straight away, then marked
   * relayed in one statement (performance, docs/performance.md: one round trip to PostgreSQL and no
   * transaction). Same guarantees as relay(): the job id is derived from the message id, so if
   * the sweep relays it too (a crash before the mark, or a sweep meanwhile) it is still one job.
   * Best effort, like relayCommitted.
   */
  async enqueueCommitted<N extends MailJob>(id: string, name: N, payload: MailJobPayload<N>): Promise<void> {
    try {
      await this.producer.enqueue(name, payload, `outbox-${id}`);
      await this.relayedMarks.write(id);
    } catch (error) {
      this.deferToSweep(error);
    }
  }

  private deferToSweep(error: unknown): void {
    this.logger.warn(`Outbox relay deferred to the sweep: ${error}`);
  }
}
