import type { Writable } from 'node:stream';
import { InjectQueue } from '@nestjs/bullmq';
import { Inject, Injectable } from '@nestjs/common';
import { JobsOptions, Queue } from 'bullmq';
import type Redis from 'ioredis';
import { DomainError, ErrorCode } from '@customer-access/common';
import { APP_CONFIG, AppConfig } from '@customer-access/config';
import { GroupCommit } from '@customer-access/database';
import { parseMailJob } from './mail-job-schemas';
import { mailJobOptions, MailJob, MailJobPayload, QueueName } from './mail-jobs';

/** How long an enqueue waits for a replica to confirm the job (Sentinel only). */
export const REPLICA_CONFIRM_TIMEOUT_MS = 1000;
const REPLICA_RECHECK_MS = 1000;

interface UnnamedJob {
  name: MailJob;
  data: MailJobPayload;
}

/** Puts mail jobs on the queue. Producer only; the worker app owns the consumer. */
@Injectable()
export class MailProducer {
  /** Retry policy travels with each job: attempts and backoff (base MAIL_RETRY_DELAY_MS). Retention is the worker's (MAIL_JOB_RETENTION). */
  private readonly jobOptions: JobsOptions;
  private readonly confirmOnReplica: boolean;
  private replicas = { count: 1, checkedAt: 0 };
  /** Jobs without an id enqueued during one turn of the event loop, added together at its end (see addTogether). */
  private readonly unnamedJobs = new GroupCommit<UnnamedJob>((jobs) => this.addTogether(jobs), { collect: 'turn' });

  constructor(
    @InjectQueue(QueueName.Mail) private readonly queue: Queue,
    @Inject(APP_CONFIG) config: AppConfig,
  ) {
    this.jobOptions = mailJobOptions(config.mailRetryDelayMs);
    this.confirmOnReplica = config.redis.kind === 'sentinel';
  }

  /**
   * Checks each job against its schema first (parseMailJob): a bad job is never stored. Resolves once
   * the job is in Redis (and, with Sentinel, on a replica): a caller that answers "accepted" after it
   * has a stored job. Jobs without an id (the storefront's forgot requests) are added together with
   * the others of the same turn of the event loop (see addTogether).
   */
  async enqueue<N extends MailJob>(name: N, payload: MailJobPayload<N>, jobId?: string): Promise<void> {
    parseMailJob(name, payload);
    if (jobId) await this.queue.add(name, payload, { ...this.jobOptions, jobId });
    else await this.unnamedJobs.write({ name, data: payload });
    if (this.confirmOnReplica) await this.confirmReplicated();
  }

  async enqueueBulk(jobs: Array<{ name: MailJob; payload: MailJobPayload; jobId: string }>): Promise<void> {
    if (jobs.length === 0) return;
    for (const job of jobs) parseMailJob(job.name, job.payload);
    await this.queue.addBulk(jobs.map((j) => ({ name: j.name, data: j.payload, opts: { ...this.jobOptions, jobId: j.jobId } })));
    if (this.confirmOnReplica) await this.confirmReplicated();
  }

  /**
   * Concurrent requests' jobs in one round trip (docs/performance.md, Round 3): the jobs enqueued
   * during one turn of the event loop go to Redis at its end (GroupCommit, collect: 'turn') in one
   * write, and their replies come back in one read, instead of one each. Each job is its own
   * `queue.add` (BullMQ's add script, as for a lone job), issued while the connection's socket is
   * corked, so that the turn's commands leave in one `writev` when it is uncorked; an addBulk
   * pipeline did the same in one write, but ioredis' Pipeline copies each of the ~50 scripts BullMQ
   * defines onto itself for every batch (2 % of the route's CPU). On a Cluster connection (no one
   * socket) the jobs go as one addBulk pipeline as before. Each caller's promise settles with the
   * batch: resolved when every job is stored, rejected with the first error otherwise (Redis being
   * unreachable fails every one alike).
   */
  private async addTogether(jobs: UnnamedJob[]): Promise<void> {
    if (jobs.length === 1) {
      await this.queue.add(jobs[0].name, jobs[0].data, this.jobOptions);
      return;
    }
    const socket = ((await this.queue.client) as unknown as { stream?: Writable }).stream;
    if (!socket || typeof socket.cork !== 'function') {
      await this.queue.addBulk(jobs.map((job) => ({ name: job.name, data: job.data, opts: this.jobOptions })));
      return;
    }
    socket.cork();
    let adds: Array<Promise<unknown>>;
    try {
      adds = jobs.map((job) => this.queue.add(job.name, job.data, this.jobOptions));
    } finally {
      // Every add writes its command within the microtasks of this turn (queue.client is already
      // resolved); the next turn's first callback finds them all buffered and writes them at once.
      setImmediate(() => socket.uncork());
    }
    await Promise.all(adds);
  }

  /**
   * With Sentinel, a failover promotes a replica, and Redis replicates asynchronously: a job the
   * primary stored but had not yet passed on when it died would be lost after the caller was told
   * "accepted". So while the primary has a replica, a job counts as stored only once a replica has
   * it too (WAIT 1 on the queue's connection covers every write the connection made before, and the
   * throttle counters counted before it on the replication stream). Without that confirmation the
   * request answers 503: the client retries, and at worst a customer gets the email twice, never
   * zero times. A primary without any replica (say, right after a failover, until the old primary
   * comes back as a replica) is not waited for: no failover can replace it by a copy that lacks
   * the job, and refusing every request then would turn a degraded Redis into an outage.
   */
  private async confirmReplicated(): Promise<void> {
    // BullMQ's client adapter forwards every ioredis command it does not wrap (WAIT, ROLE).
    const client = (await this.queue.client) as unknown as Pick<Redis, 'wait' | 'role'>;
    if ((await this.replicaCount(client, false)) === 0) return;
    if ((await client.wait(1, REPLICA_CONFIRM_TIMEOUT_MS)) >= 1) return;
    // The replica may be gone (a failover just happened): look again before refusing.
    if ((await this.replicaCount(client, true)) === 0) return;
    throw new DomainError(ErrorCode.ServiceUnavailable, 'The service is temporarily unavailable. Please try again shortly.', {
      retryAfterSeconds: 5,
    });
  }

  /** Replicas connected to the current primary (ROLE), looked up at most once a second. */
  private async replicaCount(client: Pick<Redis, 'role'>, fresh: boolean): Promise<number> {
    if (fresh || Date.now() - this.replicas.checkedAt > REPLICA_RECHECK_MS) {
      const role = (await client.role()) as [string, number, unknown[]];
      this.replicas = { count: role[0] === 'master' ? role[2].length : 0, checkedAt: Date.now() };
    }
    return this.replicas.count;
  }
}
