import { InjectQueue, OnWorkerEvent, Processor, WorkerHost } from '@nestjs/bullmq';
import { Inject, Logger, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { Job, Queue } from 'bullmq';
import { setTimeout as sleep } from 'node:timers/promises';
import { APP_CONFIG, AppConfig } from '@customer-access/config';
import { LogContext, MetricsRegistry, registerOldestRowGauge } from '@customer-access/observability';
import {
  FIRST_RUN_DELAY_MS,
  FIRST_RUN_WITHIN_MS,
  RETENTION_JOB,
  RETENTION_ON_START_ID,
  RETENTION_QUEUE,
  RETENTION_SCHEDULER_ID,
} from './retention-queue';
import { RetentionService, TablePurge } from './retention.service';

const KEEP_JOBS = { removeOnComplete: { count: 50 }, removeOnFail: { count: 50 } };

/**
 * Runs the retention purge as a BullMQ job, so that however many workers there are:
 * - one job scheduler (same id from every worker) creates a run every RETENTION_INTERVAL_MINUTES;
 * - the queue's global concurrency is 1: at most one run is active across all workers, so two
 *   workers never purge at once, even when a scheduled run and a start-up run are both due;
 * - a starting worker asks for a run within a minute (the scheduler keeps its own timing when it
 *   already exists, so a restart alone would not bring the next run forward).
 */
@Processor(RETENTION_QUEUE, { concurrency: 1 })
export class RetentionProcessor extends WorkerHost implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger('Retention');
  private readonly stopping = new AbortController();

  constructor(
    private readonly retention: RetentionService,
    @InjectQueue(RETENTION_QUEUE) private readonly queue: Queue,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly logContext: LogContext,
    metrics: MetricsRegistry,
  ) {
    super();
    registerOldestRowGauge(metrics, retention);
  }

  /**
   * Scheduling needs Redis; it must neither hold up the worker's start (mail comes first) nor be lost
   * when Redis is briefly down, so it runs in the background and retries until it succeeds.
   */
  onApplicationBootstrap(): void {
    void this.scheduleUntilDone();
  }

  private async scheduleUntilDone(): Promise<void> {
    while (!this.stopping.signal.aborted) {
      try {
        await this.schedule();
        return;
      } catch (error) {
        this.logger.warn(`Could not schedule the retention purge, retrying in 30 s: ${(error as Error).message}`);
        await sleep(30_000, undefined, { signal: this.stopping.signal }).catch(() => undefined);
      }
    }
  }

  private async schedule(): Promise<void> {
    await this.queue.setGlobalConcurrency(1);
    const everyMs = this.config.retention.intervalMinutes * 60_000;
    await this.queue.upsertJobScheduler(RETENTION_SCHEDULER_ID, { every: everyMs }, { name: RETENTION_JOB, opts: KEEP_JOBS });
    const next = (await this.queue.getJobScheduler(RETENTION_SCHEDULER_ID))?.next;
    if (next === undefined || next > Date.now() + FIRST_RUN_WITHIN_MS) {
      await this.queue.add(RETENTION_JOB, {}, { ...KEEP_JOBS, delay: FIRST_RUN_DELAY_MS, deduplication: { id: RETENTION_ON_START_ID } });
    }
    this.logger.log(`Retention purge scheduled every ${this.config.retention.intervalMinutes} min (one worker at a time)`);
  }

  /** Shutdown: the run in progress stops after its current batch, then the BullMQ worker closes. */
  async onModuleDestroy(): Promise<void> {
    this.stopping.abort();
    await this.worker.close();
  }

  async process(job: Job): Promise<TablePurge[]> {
    return this.logContext.run({ jobId: job.id, jobName: job.name, queue: job.queueName }, async () => {
      this.logger.log('Retention run started');
      const started = Date.now();
      const results = await this.retention.run(this.stopping.signal);
      const rows = results.reduce((sum, r) => sum + r.rows, 0);
      this.logger.log({ msg: `Retention run finished: ${rows} row(s) in ${(Date.now() - started) / 1000} s`, rows });
      return results;
    });
  }

  /** A failed run (database down, statement timeout) is not retried: the next scheduled run resumes. */
  @OnWorkerEvent('failed')
  onFailed(job: Job | undefined, error: Error): void {
    this.logContext.run({ jobId: job?.id, jobName: job?.name, queue: RETENTION_QUEUE }, () =>
      this.logger.warn(`Retention run failed, the next run carries on: ${error.message}`),
    );
  }
}
