import { OnWorkerEvent, Processor, WorkerHost } from '@nestjs/bullmq';
import { Inject, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { Job, UnrecoverableError } from 'bullmq';
import { APP_CONFIG, AppConfig, loadConfig } from '@customer-access/config';
import { QueueName } from '@customer-access/notification';
import { HandlerOutcome, MailJobHandlers } from './mail-job.handlers';

/**
 * Consumes the mail queue. Transient failures (SMTP down, 4xx, database hiccup) are retried with
 * exponential backoff; a permanent SMTP rejection (5xx) fails the job at once, kept for inspection.
 */
/**
 * Stalled-job recovery: a job whose worker died (SIGKILL, crash, lost host) keeps its lock for
 * lockDuration; a live worker's stalled check (every stalledInterval) then puts it back on the
 * queue, so it runs again elsewhere (at-least-once). Both come from WORKER_STALLED_INTERVAL_MS
 * (default 30 s, BullMQ's own default). BullMQ reads them when the Worker is constructed, from the
 * decorator's static options, so they are read here; a bad environment falls back to the default
 * and bootstrap then stops with the full configuration message.
 */
function stalledJobOptions(): { stalledInterval: number; lockDuration: number } {
  let ms = 30_000;
  try {
    ms = loadConfig().workerStalledIntervalMs;
  } catch {
    /* reported by bootstrap */
  }
  return { stalledInterval: ms, lockDuration: ms };
}

@Processor(QueueName.Mail, stalledJobOptions())
export class MailProcessor extends WorkerHost implements OnApplicationBootstrap {
  private readonly logger = new Logger(MailProcessor.name);

  constructor(
    private readonly handlers: MailJobHandlers,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {
    super();
  }

  async onApplicationBootstrap(): Promise<void> {
    this.worker.concurrency = this.config.workerConcurrency;
    await this.worker.waitUntilReady();
    this.logger.log(`Worker ready: consuming queue "${QueueName.Mail}" with concurrency ${this.config.workerConcurrency}`);
  }

  async process(job: Job): Promise<HandlerOutcome> {
    try {
      return await this.handlers.handle(job.name, job.data);
    } catch (error) {
      const responseCode = (error as { responseCode?: number }).responseCode;
      if (typeof responseCode === 'number' && responseCode >= 500 && responseCode < 600) {
        throw new UnrecoverableError(`SMTP rejected the message permanently (${responseCode}): ${(error as Error).message}`);
      }
      throw error;
    }
  }

  @OnWorkerEvent('failed')
  onFailed(job: Job | undefined, error: Error): void {
    const attempts = job?.opts.attempts ?? 1;
    const final = !job || error instanceof UnrecoverableError || job.attemptsMade >= attempts;
    this.logger[final ? 'error' : 'warn'](
      `Job ${job?.id} (${job?.name}) failed on attempt ${job?.attemptsMade}/${attempts}${final ? ', giving up' : ', will retry'}: ${error.message}`,
    );
  }
}
