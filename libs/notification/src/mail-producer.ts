import { InjectQueue } from '@nestjs/bullmq';
import { Injectable } from '@nestjs/common';
import { Queue } from 'bullmq';
import { MAIL_JOB_OPTIONS, MailJob, MailJobPayload, QueueName } from './mail-jobs';

/** Puts mail jobs on the queue. Producer only; the worker app owns the consumer. */
@Injectable()
export class MailProducer {
  constructor(@InjectQueue(QueueName.Mail) private readonly queue: Queue) {}

  async enqueue<N extends MailJob>(name: N, payload: MailJobPayload<N>, jobId?: string): Promise<void> {
    await this.queue.add(name, payload, jobId ? { ...MAIL_JOB_OPTIONS, jobId } : MAIL_JOB_OPTIONS);
  }

  async enqueueBulk(jobs: Array<{ name: MailJob; payload: MailJobPayload; jobId: string }>): Promise<void> {
    if (jobs.length === 0) return;
    await this.queue.addBulk(jobs.map((j) => ({ name: j.name, data: j.payload, opts: { ...MAIL_JOB_OPTIONS, jobId: j.jobId } })));
  }
}
