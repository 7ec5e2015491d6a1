import { InjectQueue } from '@nestjs/bullmq';
import { Injectable } from '@nestjs/common';
import { JobsOptions, Queue } from 'bullmq';
import { QueueName } from '@customer-access/notification';

/** The delivery job on the webhooks queue (the other is notification's WEBHOOK_EVENT_JOB, the fan-out). */
export const WEBHOOK_DELIVERY_JOB = 'webhook-delivery';

export interface WebhookDeliveryJob {
  deliveryId: string;
}

/** BullMQ's custom backoff name: the delay is the one the attempt computed (RetryLater). */
export const WEBHOOK_BACKOFF = 'webhook';

/**
 * Retries are driven by the delivery's own clock (24 h from the event, DeliveryOutcome.retry), so
 * the attempt count is only a backstop. Completed jobs are kept an hour (the row is the record).
 */
export const WEBHOOK_DELIVERY_JOB_OPTIONS: JobsOptions = {
  attempts: 500,
  backoff: { type: WEBHOOK_BACKOFF },
  removeOnComplete: { age: 3600, count: 10_000 },
  removeOnFail: { age: 7 * 24 * 3600, count: 100_000 },
};

/** Puts delivery jobs on the webhooks queue. */
@Injectable()
export class WebhookQueue {
  constructor(@InjectQueue(QueueName.Webhooks) private readonly queue: Queue) {}

  /**
   * One job per delivery; `round` distinguishes a manual retry from the first run, so that the job
   * id stays deterministic (a repeated fan-out adds nothing) while a retry is a new job.
   */
  async addDeliveries(ids: string[], round = '0'): Promise<void> {
    if (ids.length === 0) return;
    await this.queue.addBulk(
      ids.map((deliveryId) => ({
        name: WEBHOOK_DELIVERY_JOB,
        data: { deliveryId } satisfies WebhookDeliveryJob,
        opts: { ...WEBHOOK_DELIVERY_JOB_OPTIONS, jobId: `delivery-${deliveryId}-${round}` },
      })),
    );
  }
}
