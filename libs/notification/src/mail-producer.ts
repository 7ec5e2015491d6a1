import { InjectQueue } from '@nestjs/bullmq';
import { Inject, Injectable } from '@nestjs/common';
import { JobsOptions, Queue } from 'bullmq';
import { APP_CONFIG, AppConfig } from '@customer-access/config';
import { parseMailJob } from './mail-job-schemas';
import { mailJobOptions, MailJob, MailJobPayload, QueueName } from './mail-jobs';

/** Puts mail jobs on the queue. Producer only; the worker app owns the consumer. */
@Injectable()
export class MailProducer {
  /** Retry policy travels with each job: attempts and backoff (base MAIL_RETRY_DELAY_MS). */
  private readonly jobOptions: JobsOptions;

  constructor(
    @InjectQueue(QueueName.Mail) private readonly queue: Queue,
    @Inject(APP_CONFIG) config: AppConfig,
  ) {
    this.jobOptions = mailJobOptions(config.mailRetryDelayMs);
  }

  /** Checks each job against its schema first (parseMailJob): a bad job is never stored. */
  async enqueue<N extends MailJob>(name: N, payload: MailJobPayload<N>, jobId?: string): Promise<void> {
    parseMailJob(name, payload);
    await this.queue.add(name, payload, jobId ? { ...this.jobOptions, jobId } : this.jobOptions);
  }

  async enqueueBulk(jobs: Array<{ name: MailJob; payload: MailJobPayload; jobId: string }>): Promise<void> {
    if (jobs.length === 0) return;
    for (const job of jobs) parseMailJob(job.name, job.payload);
    await this.queue.addBulk(jobs.map((j) => ({ name: j.name, data: j.payload, opts: { ...this.jobOptions, jobId: j.jobId } })));
  }
}
