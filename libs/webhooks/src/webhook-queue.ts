import { InjectQueue } from '@nestjs/bullmq';
import { Injectable, Logger } from '@nestjs/common';
import { Queue } from 'bullmq';
import { QueueName } from '@customer-access/notification';

/**
 * The job that wakes the deliverers on the webhooks queue: the deliveries themselves are rows
 * (webhook_delivery), claimed in batches by the worker (WebhookDeliveries), so a job carries nothing.
 */
export const WEBHOOK_WAKE_JOB = 'webhook-wake';

/**
 * Wake-ups within this window share one job (its id): under load, one job per window instead of one
 * per event. A wake that finds its window's job already taken is caught by the worker's poll.
 */
const WAKE_WINDOW_MS = 100;

/** The webhooks queue, as the relay and the Retry button use it. */
@Injectable()
export class WebhookQueue {
  private readonly logger = new Logger(WebhookQueue.name);

  constructor(@InjectQueue(QueueName.Webhooks) private readonly queue: Queue) {}

  /** Asks a worker to claim due deliveries now. Never throws: the workers also poll (Redis down costs latency only). */
  async wake(): Promise<void> {
    try {
      await this.queue.add(
        WEBHOOK_WAKE_JOB,
        {},
        { jobId: `wake-${Math.floor(Date.now() / WAKE_WINDOW_MS)}`, attempts: 1, removeOnComplete: true, removeOnFail: true },
      );
    } catch (error) {
      this.logger.warn(`Could not wake the webhook deliverers (they poll): ${(error as Error).message}`);
    }
  }

  /** Whether an operator paused the queue: the workers then claim nothing (as BullMQ takes no job). */
  isPaused(): Promise<boolean> {
    return this.queue.isPaused();
  }
}
