import { Processor, WorkerHost } from '@nestjs/bullmq';
import { EntityManager } from '@mikro-orm/postgresql';
import { Logger, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { Job, UnrecoverableError } from 'bullmq';
import { Counter, Gauge } from 'prom-client';
import { AuditAction, recordSystemAuditEvent } from '@customer-access/admin';
import { QueueName, WEBHOOK_EVENT_JOB, WebhookEventPayload } from '@customer-access/notification';
import { LogContext, METRIC_PREFIX, MetricsRegistry } from '@customer-access/observability';
import { DeliveryOutcome, WEBHOOK_WAKE_JOB, WebhookDeliveries, WebhookQueue, WebhookRepository } from '@customer-access/webhooks';

export const WEBHOOK_OUTCOMES = ['delivered', 'retry', 'failed', 'refused', 'gone'] as const;

/** How often a worker looks for due deliveries by itself: retries, lapsed claims, a wake-up that was lost. */
export const WEBHOOK_POLL_MS = 250;

/** A job queued by an earlier version, one per delivery: the row is due, a claim sends it. */
const LEGACY_DELIVERY_JOB = 'webhook-delivery';

/**
 * The webhooks queue (docs/webhooks.md), apart from the mail queue. Its jobs only wake this worker's
 * deliverer (WebhookDeliveries), which claims due `webhook_delivery` rows in batches and keeps up to
 * WEBHOOK_CONCURRENCY of them in flight; every WEBHOOK_POLL_MS it also looks by itself (retries are
 * rows whose `next_attempt_at` came), unless the queue is paused.
 */
@Processor(QueueName.Webhooks)
export class WebhooksProcessor extends WorkerHost implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(WebhooksProcessor.name);
  /** customer_access_webhook_deliveries_total's series, one per outcome (looked up once, not per delivery). */
  private readonly outcomes: Record<DeliveryOutcome['kind'], Counter.Internal>;
  private timer?: NodeJS.Timeout;
  private polling = false;
  /** The queue's paused flag as last read (a read that hangs while Redis is down leaves it as it was). */
  private paused = false;
  private readingPaused = false;
  private stopping = false;

  constructor(
    private readonly deliveries: WebhookDeliveries,
    private readonly queue: WebhookQueue,
    repository: WebhookRepository,
    private readonly em: EntityManager,
    private readonly logContext: LogContext,
    metrics: MetricsRegistry,
  ) {
    super();
    const registers = [metrics.registry];
    const outcomes = new Counter({
      name: `${METRIC_PREFIX}webhook_deliveries_total`,
      help: 'Webhook delivery attempts by outcome (delivered, retry, failed, refused, gone: 410 disabled the endpoint).',
      labelNames: ['outcome'],
      registers,
    });
    this.outcomes = Object.fromEntries(WEBHOOK_OUTCOMES.map((outcome) => [outcome, outcomes.labels(outcome)])) as typeof this.outcomes;
    for (const outcome of WEBHOOK_OUTCOMES) this.outcomes[outcome].inc(0);
    // Both read at scrape time, from one statement.
    let summary: Promise<{ pending: number; oldestSeconds: number }> | undefined;
    const read = () => (summary ??= repository.pendingSummary().finally(() => setTimeout(() => (summary = undefined), 100)));
    const gauge = (name: string, help: string, pick: (s: { pending: number; oldestSeconds: number }) => number) =>
      new Gauge({
        name: `${METRIC_PREFIX}${name}`,
        help,
        registers,
        async collect() {
          try {
            this.set(pick(await read()));
          } catch {
            /* the database is down: the gauge keeps its last value */
          }
        },
      });
    gauge(
      'webhook_oldest_undelivered_seconds',
      'Age of the oldest webhook delivery still pending (0 when none), read at scrape time.',
      (s) => s.oldestSeconds,
    );
    gauge(
      'webhook_deliveries_pending',
      'Webhook deliveries still pending (to send, or to retry), read at scrape time: the depth of the delivery queue.',
      (s) => s.pending,
    );
    this.deliveries.onOutcome((outcome, deliveryId) => this.after(outcome, deliveryId));
  }

  async onApplicationBootstrap(): Promise<void> {
    await this.worker.waitUntilReady();
    this.timer = setInterval(() => void this.poll(), WEBHOOK_POLL_MS);
    // This process's wake-ups (its mail jobs' events) claim here, without a queue job, unless paused.
    this.queue.useLocalDeliverer(() => {
      if (this.paused || this.stopping) return false;
      this.deliveries.pump().catch((error: Error) => this.logger.warn(`Webhook claim failed, will retry: ${error.message}`));
      return true;
    });
    // This process's token issues insert their deliveries already claimed for it when it has room
    // (none while paused or stopping): no claim statement for them (docs/webhooks.md).
    this.queue.useLocalClaims({
      reserve: () => (this.paused || this.stopping ? { room: 0, leaseMs: 0 } : this.deliveries.reserve()),
      adopt: (rows, reserved) => this.deliveries.adopt(rows, reserved),
    });
    this.logger.log(
      `Worker ready: consuming queue "${QueueName.Webhooks}", up to ${this.deliveries.capacity} deliveries in flight (WEBHOOK_CONCURRENCY)`,
    );
  }

  async onModuleDestroy(): Promise<void> {
    this.stopping = true;
    if (this.timer) clearInterval(this.timer);
    await this.worker.close();
    await this.deliveries.stop();
  }

  async process(job: Job): Promise<unknown> {
    return this.logContext.run({ jobId: job.id, jobName: job.name, queue: job.queueName, attempt: job.attemptsMade + 1 }, async () => {
      if (job.name === WEBHOOK_WAKE_JOB || job.name === LEGACY_DELIVERY_JOB) {
        await this.deliveries.pump();
        return { active: this.deliveries.active };
      }
      if (job.name === WEBHOOK_EVENT_JOB) return { deliveries: await this.deliveries.fanOutEvent(job.data as WebhookEventPayload) };
      throw new UnrecoverableError(`Unknown job ${job.name} on the webhooks queue`);
    });
  }

  /**
   * Deliveries need PostgreSQL only: with Redis down the wake-ups are lost but the poll goes on. The
   * paused flag is read beside it, never awaited by it.
   */
  private async poll(): Promise<void> {
    if (!this.readingPaused) {
      this.readingPaused = true;
      this.queue
        .isPaused()
        .then((paused) => (this.paused = paused))
        .catch(() => undefined)
        .finally(() => (this.readingPaused = false));
    }
    if (this.polling || this.paused) return;
    this.polling = true;
    try {
      await this.deliveries.pump();
    } catch (error) {
      this.logger.warn(`Webhook poll failed, will retry: ${(error as Error).message}`);
    } finally {
      this.polling = false;
    }
  }

  /** Counts the outcome; a 410 that disabled the endpoint is audited too (the only case that returns a promise). */
  private after(outcome: DeliveryOutcome, deliveryId: string): Promise<void> | undefined {
    this.outcomes[outcome.kind].inc();
    return outcome.kind === 'gone' && outcome.disabled ? this.auditGone(outcome, deliveryId) : undefined;
  }

  private async auditGone(outcome: Extract<DeliveryOutcome, { kind: 'gone' }>, deliveryId: string): Promise<void> {
    // The service acted, not an admin: recorded under "system".
    await recordSystemAuditEvent(this.em.fork(), AuditAction.WebhookDisabledGone, {
      endpointId: outcome.endpointId,
      url: outcome.url,
      deliveryId,
    });
    this.logger.warn(`Webhook endpoint ${outcome.endpointId} answered 410 Gone: disabled`);
  }
}
