import { OnWorkerEvent, Processor, WorkerHost } from '@nestjs/bullmq';
import { Inject, Logger, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { Job, UnrecoverableError } from 'bullmq';
import { APP_CONFIG, AppConfig, loadConfig } from '@customer-access/config';
import {
  EmailTemplates,
  InvalidMailJobError,
  isPermanentSmtpFailure,
  MAIL_JOB_RETENTION,
  QueueName,
  smtpResponseCode,
} from '@customer-access/notification';
import { LogContext, WorkerMetrics } from '@customer-access/observability';
import { HandlerOutcome, MailJobHandlers } from './mail-job.handlers';

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

/**
 * Consumes the mail queue: each job goes to its handler (MailJobHandlers). Transient failures (SMTP
 * down, 4xx, database hiccup) are retried with exponential backoff; a permanent SMTP rejection (5xx)
 * or a malformed payload fails the job at once, kept in the failed set for inspection. Finished jobs
 * are kept as MAIL_JOB_RETENTION says, applied here to every job of the queue.
 */
@Processor(QueueName.Mail, { ...stalledJobOptions(), ...MAIL_JOB_RETENTION })
export class MailProcessor extends WorkerHost implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(MailProcessor.name);

  constructor(
    private readonly handlers: MailJobHandlers,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly logContext: LogContext,
    private readonly metrics: WorkerMetrics,
    private readonly templates: EmailTemplates,
  ) {
    super();
  }

  /** Fields on every log line written while a job runs (and on its failure line). */
  private jobLogFields(job: Job | undefined): Record<string, string | number | undefined> {
    const data = (job?.data ?? {}) as { customerId?: unknown };
    return {
      jobId: job?.id,
      jobName: job?.name,
      queue: job?.queueName,
      attempt: job ? job.attemptsMade + 1 : undefined,
      customerId: typeof data.customerId === 'string' ? data.customerId : undefined,
    };
  }

  async onApplicationBootstrap(): Promise<void> {
    // Compile every email template now (MJML, once per template and locale), not on the first job.
    await this.templates.renderer();
    this.worker.concurrency = this.config.workerConcurrency;
    await this.worker.waitUntilReady();
    this.logger.log(`Worker ready: consuming queue "${QueueName.Mail}" with concurrency ${this.config.workerConcurrency}`);
  }

  /**
   * Graceful stop (SIGTERM): take no new jobs and let the running ones finish. This must happen in
   * onModuleDestroy, the first shutdown hook: @nestjs/bullmq would close the worker only in
   * onApplicationShutdown, after the mailer has already closed its SMTP pool in its own
   * onModuleDestroy, failing the job in flight ("Connection pool was closed"). This module is the
   * root, so its destroy hook runs before those of the modules it imports.
   */
  async onModuleDestroy(): Promise<void> {
    await this.worker.close();
  }

  async process(job: Job): Promise<HandlerOutcome> {
    return this.logContext.run(this.jobLogFields(job), () => this.processInContext(job));
  }

  private async processInContext(job: Job): Promise<HandlerOutcome> {
    const endTimer = this.metrics.jobDuration.startTimer({ job: job.name });
    try {
      const outcome = await this.handlers.handle(job.name, job.data, {
        id: String(job.id),
        createdAtMs: job.timestamp,
        attempt: job.attemptsMade + 1,
        maxAttempts: job.opts.attempts ?? 1,
      });
      (outcome.sent ? this.metrics.emailsSent : this.metrics.jobsSkipped).labels(job.name).inc();
      const seconds = endTimer({ outcome: outcome.sent ? 'sent' : 'skipped' });
      this.logger.log(
        `Job ${job.id} (${job.name}) done in ${Math.round(seconds * 1000)} ms: ${outcome.sent ? 'email sent' : `no email (${outcome.reason ?? 'skipped'})`}`,
      );
      return outcome;
    } catch (error) {
      endTimer({ outcome: 'error' });
      if (error instanceof InvalidMailJobError) {
        // Retrying cannot fix a malformed payload: fail it once, kept in the failed set for inspection.
        throw new UnrecoverableError(error.message);
      }
      if (isPermanentSmtpFailure(error)) {
        throw new UnrecoverableError(`SMTP rejected the message permanently (${smtpResponseCode(error)}): ${(error as Error).message}`);
      }
      throw error;
    }
  }

  @OnWorkerEvent('failed')
  onFailed(job: Job | undefined, error: Error): void {
    const attempts = job?.opts.attempts ?? 1;
    const final = !job || error instanceof UnrecoverableError || job.attemptsMade >= attempts;
    (final ? this.metrics.emailsFailed : this.metrics.emailsRetried).labels(job?.name ?? 'unknown').inc();
    this.logContext.run(this.jobLogFields(job), () =>
      this.logger[final ? 'error' : 'warn'](
        `Job ${job?.id} (${job?.name}) failed on attempt ${job?.attemptsMade}/${attempts}${final ? ', giving up' : ', will retry'}: ${error.message}`,
      ),
    );
  }
}
