import { InjectQueue } from '@nestjs/bullmq';
import { Inject, Injectable } from '@nestjs/common';
import { HealthIndicatorResult, HealthIndicatorService } from '@nestjs/terminus';
import { Queue } from 'bullmq';
import { QueueName } from '@customer-access/notification';
import { WORKER_STALE_AFTER_MS, workersSeen } from '@customer-access/observability';
import { REDIS_CLIENT, RedisConnection } from '@customer-access/redis';

/** Every readiness probe answers within this, whatever a backing service does. */
export const CHECK_TIMEOUT_MS = 1500;

export function withTimeout<T>(promise: Promise<T>, ms = CHECK_TIMEOUT_MS): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([
    promise,
    new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`timeout of ${ms}ms exceeded`)), ms);
    }),
  ]).finally(() => clearTimeout(timer));
}

const reason = (error: unknown) => (error instanceof Error ? error.message : String(error));

/** RedisConnection answers PING on the API's command connection (throttling, settings, limiters). */
@Injectable()
export class RedisHealthIndicator {
  constructor(
    private readonly health: HealthIndicatorService,
    @Inject(REDIS_CLIENT) private readonly redis: RedisConnection,
  ) {}

  async check(key: 'redis'): Promise<HealthIndicatorResult<'redis'>> {
    const session = this.health.check(key);
    try {
      await withTimeout(this.redis.ping());
      return session.up();
    } catch (error) {
      return session.down({ message: reason(error) });
    }
  }
}

/** The mail queue can be read through the producer's own BullMQ connection. */
@Injectable()
export class MailQueueHealthIndicator {
  constructor(
    private readonly health: HealthIndicatorService,
    @InjectQueue(QueueName.Mail) private readonly queue: Queue,
  ) {}

  async check(key: 'mailQueue'): Promise<HealthIndicatorResult<'mailQueue'>> {
    const session = this.health.check(key);
    try {
      const counts = await withTimeout(this.queue.getJobCounts('waiting', 'active', 'delayed', 'failed'));
      return session.up({ queue: this.queue.name, ...counts });
    } catch (error) {
      return session.down({ queue: this.queue.name, message: reason(error) });
    }
  }
}

/**
 * At least one worker beat recently (see WorkerHeartbeat in the worker): without one, requests
 * are accepted but no email would go out.
 */
@Injectable()
export class WorkerHealthIndicator {
  constructor(
    private readonly health: HealthIndicatorService,
    @Inject(REDIS_CLIENT) private readonly redis: RedisConnection,
  ) {}

  async check(key: 'worker'): Promise<HealthIndicatorResult<'worker'>> {
    const session = this.health.check(key);
    try {
      const seen = await withTimeout(workersSeen(this.redis));
      const details = { alive: seen.alive, lastSeenSecondsAgo: seen.lastSeenMsAgo === null ? null : Math.round(seen.lastSeenMsAgo / 1000) };
      if (seen.alive > 0) return session.up(details);
      return session.down({
        ...details,
        message:
          seen.lastSeenMsAgo === null
            ? 'No worker has ever been seen: start one (npm run start:worker).'
            : `No worker seen within the last ${WORKER_STALE_AFTER_MS / 1000} s.`,
      });
    } catch (error) {
      return session.down({ message: reason(error) });
    }
  }
}
