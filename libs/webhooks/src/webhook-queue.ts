import { InjectQueue } from '@nestjs/bullmq';
import { Injectable, Logger } from '@nestjs/common';
import { Queue } from 'bullmq';
import { QueueName } from '@customer-access/notification';
import { ClaimedDeliveryRow } from './webhook-delivery.queries';

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

/**
 * In a worker, its own wake-ups claim at most once per this window (the first of a quiet spell at
 * once, the others together at its end): under load at most 20 claim statements a second from them,
 * each taking the window's deliveries at once, for at most this much latency. A claim costs the
 * worker and PostgreSQL about as much as the POSTs of a few deliveries: at 10 ms, the forgot route's
 * load with two endpoints made one claim per event or two (docs/performance.md, "Webhooks").
 */
export const LOCAL_WAKE_WINDOW_MS = 50;

/**
 * This process's deliverer as a fan-out sees it: the room it has for deliveries inserted already
 * claimed for it (reserved until adopted), and the adoption of those a statement claimed.
 */
export interface LocalClaims {
  reserve(): { room: number; leaseMs: number };
  adopt(rows: ClaimedDeliveryRow[], reserved: number): void;
}

/**
 * The webhooks queue, as the relay and the Retry button use it. In a worker whose deliverer runs
 * (the mail jobs there issue tokens whose events add deliveries), a wake-up is that deliverer's claim,
 * in process: no job added to Redis, none taken, moved and finished by BullMQ (each was a few hundred
 * µs of the worker's and Redis's CPU on the same cores: docs/performance.md, "Webhooks"). Those claims
 * are throttled: the first wake-up of a quiet spell claims at once, later ones within
 * LOCAL_WAKE_WINDOW_MS of it share one claim at the window's end. While the queue is paused (or the
 * deliverer stopping), the wake-up is a job as elsewhere, so that resuming the queue wakes a worker.
 */
@Injectable()
export class WebhookQueue {
  private readonly logger = new Logger(WebhookQueue.name);
  /** This process's deliverer: claims now and returns true, or returns false (paused, stopping). */
  private local?: () => boolean;
  /** When the last in-process claim was asked for (ms), and the one waiting for the window's end. */
  private lastLocal = 0;
  private localTimer?: NodeJS.Timeout;
  private claims?: LocalClaims;

  constructor(@InjectQueue(QueueName.Webhooks) private readonly queue: Queue) {}

  /** The worker's deliverer takes the wake-ups of this process (see the class). */
  useLocalDeliverer(claim: () => boolean): void {
    this.local = claim;
  }

  /** The worker's deliverer takes the deliveries its own fan-outs claim for it (WebhookDeliverySql.fanOutClaiming). */
  useLocalClaims(claims: LocalClaims): void {
    this.claims = claims;
  }

  /** Room for a fan-out's claim in this process (none without a deliverer here: the API, a paused queue). */
  reserveClaims(): { room: number; leaseMs: number } {
    return this.claims?.reserve() ?? { room: 0, leaseMs: 0 };
  }

  /** The deliveries a fan-out claimed for this process's deliverer (after its commit), and the room it had reserved. */
  adoptClaimed(rows: ClaimedDeliveryRow[], reserved: number): void {
    this.claims?.adopt(rows, reserved);
  }

  /** Asks a worker to claim due deliveries now. Never throws: the workers also poll (Redis down costs latency only). */
  async wake(): Promise<void> {
    if (this.local && this.wakeLocally(this.local)) return;
    await this.addWakeJob();
  }

  /** Whether this process's deliverer took the wake-up (now, or at the end of the current window). */
  private wakeLocally(claim: () => boolean): boolean {
    if (this.localTimer) return true;
    const wait = this.lastLocal + LOCAL_WAKE_WINDOW_MS - Date.now();
    if (wait <= 0) {
      if (!claim()) return false;
      this.lastLocal = Date.now();
      return true;
    }
    this.localTimer = setTimeout(() => {
      this.localTimer = undefined;
      this.lastLocal = Date.now();
      if (!claim()) void this.addWakeJob();
    }, wait);
    this.localTimer.unref();
    return true;
  }

  private async addWakeJob(): Promise<void> {
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
