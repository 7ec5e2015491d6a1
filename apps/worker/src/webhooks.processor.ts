import { OnWorkerEvent, Processor, WorkerHost } from '@nestjs/bullmq';
import { EntityManager } from '@mikro-orm/postgresql';
import { Inject, Logger, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { Job, UnrecoverableError } from 'bullmq';
import { Counter, Gauge } from 'prom-client';
import { AuditAction, recordSystemAuditEvent } from '@customer-access/admin';
import { APP_CONFIG, AppConfig, loadConfig } from '@customer-access/config';
import { QueueName, WEBHOOK_EVENT_JOB, WebhookEventPayload } from '@customer-access/notification';
import { LogContext, METRIC_PREFIX, MetricsRegistry } from '@customer-access/observability';
import {
  DeliveryOutcome,
  WEBHOOK_BACKOFF,
  WEBHOOK_DELIVERY_JOB,
  WebhookDeliveries,
  WebhookDeliveryJob,
  WebhookRepository,
} from '@customer-access/webhooks';

/** Thrown for an attempt to be retried: BullMQ's custom backoff takes the delay the attempt chose. */
class RetryLater extends Error {
  constructor(
    readonly delayMs: number,
    reason: string,
  ) {
    super(reason);
    this.name = 'RetryLater';
  }
}

/** The processor's options: stalled-job recovery as the mail queue's, and the delivery's own backoff. */
function processorOptions() {
  let ms = 30_000;
  try {
    ms = loadConfig().workerStalledIntervalMs;
  } catch {
    /* reported by bootstrap */
  }
  return {
    stalledInterval: ms,
    lockDuration: ms,
    settings: {
      backoffStrategy: (_attempts: number, type?: string, error?: Error) =>
        type === WEBHOOK_BACKOFF && error instanceof RetryLater ? error.delayMs : 1000,
    },
  };
}

export const WEBHOOK_OUTCOMES = ['delivered', 'retry', 'failed', 'refused', 'gone', 'skipped'] as const;

/**
 * The webhooks queue (docs/webhooks.md), apart from the mail queue, with its own concurrency
 * (WEBHOOK_CONCURRENCY): a receiver that hangs holds one slot for at most WEBHOOK_TIMEOUT_MS, never the
 * others and never the mail. Two jobs: `webhook-event` (from the outbox) fans an event out to its
 * endpoints; `webhook-delivery` makes one attempt, retried by the queue with the attempt's backoff.
 */
@Processor(QueueName.Webhooks, processorOptions())
export class WebhooksProcessor extends WorkerHost implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(WebhooksProcessor.name);
  private readonly outcomes: Counter<'outcome'>;

  constructor(
    private readonly deliveries: WebhookDeliveries,
    repository: WebhookRepository,
    private readonly em: EntityManager,
    private readonly logContext: LogContext,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    metrics: MetricsRegistry,
  ) {
    super();
    const registers = [metrics.registry];
    this.outcomes = new Counter({
      name: `${METRIC_PREFIX}webhook_deliveries_total`,
      help: 'Webhook delivery attempts by outcome (delivered, retry, failed, refused, gone: 410 disabled the endpoint, skipped).',
      labelNames: ['outcome'],
      registers,
    });
    for (const outcome of WEBHOOK_OUTCOMES) this.outcomes.labels(outcome).inc(0);
    new Gauge({
      name: `${METRIC_PREFIX}webhook_oldest_undelivered_seconds`,
      help: 'Age of the oldest webhook delivery still pending (0 when none), read at scrape time.',
      registers,
      async collect() {
        try {
          this.set(await repository.oldestPendingAgeSeconds());
        } catch {
          /* the database is down: the gauge keeps its last value */
        }
      },
    });
  }

  async onApplicationBootstrap(): Promise<void> {
    this.worker.concurrency = this.config.webhooks.concurrency;
    await this.worker.waitUntilReady();
    this.logger.log(`Worker ready: consuming queue "${QueueName.Webhooks}" with concurrency ${this.config.webhooks.concurrency}`);
  }

  async onModuleDestroy(): Promise<void> {
    await this.worker.close();
  }

  async process(job: Job): Promise<unknown> {
    return this.logContext.run({ jobId: job.id, jobName: job.name, queue: job.queueName, attempt: job.attemptsMade + 1 }, async () => {
      if (job.name === WEBHOOK_EVENT_JOB) {
        const event = job.data as WebhookEventPayload;
        const count = await this.deliveries.fanOut(event);
        return { deliveries: count };
      }
      if (job.name === WEBHOOK_DELIVERY_JOB) {
        const outcome = await this.deliveries.attempt((job.data as WebhookDeliveryJob).deliveryId);
        this.outcomes.labels(outcome.kind).inc();
        await this.after(outcome, (job.data as WebhookDeliveryJob).deliveryId);
        return outcome;
      }
      throw new UnrecoverableError(`Unknown job ${job.name} on the webhooks queue`);
    });
  }

  private async after(outcome: DeliveryOutcome, deliveryId: string): Promise<void> {
    if (outcome.kind === 'retry') throw new RetryLater(outcome.delayMs, outcome.reason);
    if (outcome.kind === 'gone' && outcome.disabled) {
      // The service acted, not an admin: recorded under "system".
      await recordSystemAuditEvent(this.em.fork(), AuditAction.WebhookDisabledGone, {
        endpointId: outcome.endpointId,
        url: outcome.url,
        deliveryId,
      });
      this.logger.warn(`Webhook endpoint ${outcome.endpointId} answered 410 Gone: disabled`);
    }
  }

  @OnWorkerEvent('failed')
  onFailed(job: Job | undefined, error: Error): void {
    if (error instanceof RetryLater || error.name === 'RetryLater') {
      this.logger.log(`Webhook job ${job?.id} will be retried in ${Math.round((error as RetryLater).delayMs ?? 0)} ms: ${error.message}`);
      return;
    }
    this.logger.warn(`Webhook job ${job?.id} (${job?.name}) failed on attempt ${job?.attemptsMade}: ${error.message}`);
  }
}
