import { Job, Queue } from 'bullmq';
import { Stack } from './stack';
import { BULLMQ_PREFIX } from '../../libs/redis/src/key-layout';

/**
 * Read-only view of the stack's mail queue through BullMQ's own API (the queue name and job names
 * are the persisted ones from libs/notification/src/mail-jobs.ts). For assertions such as "the job
 * was attempted 3 times" or "the job is in the failed set".
 */
export class MailQueueProbe {
  private readonly queue: Queue;

  constructor(stack: Stack) {
    const url = new URL(stack.redisUrl);
    this.queue = new Queue('mail', {
      prefix: BULLMQ_PREFIX,
      connection: { host: url.hostname, port: Number(url.port || 6379), db: stack.redisDbIndex, maxRetriesPerRequest: 2 },
    });
  }

  /** Jobs in any state whose data matches. */
  async find(predicate: (job: Job) => boolean): Promise<Array<{ job: Job; state: string }>> {
    const jobs = await this.queue.getJobs(
      ['active', 'wait', 'delayed', 'prioritized', 'paused', 'waiting-children', 'completed', 'failed'],
      0,
      -1,
    );
    const out: Array<{ job: Job; state: string }> = [];
    for (const job of jobs) {
      if (job && predicate(job)) out.push({ job, state: await job.getState() });
    }
    return out;
  }

  /** The jobs of a forgot request for `email` (payload `{ email }`). */
  forgotJobsFor(email: string): Promise<Array<{ job: Job; state: string }>> {
    return this.find((job) => job.name === 'password-reset-requested' && job.data?.email === email);
  }

  counts(): Promise<Record<string, number>> {
    return this.queue.getJobCounts();
  }

  async close(): Promise<void> {
    await this.queue.close();
  }
}
