import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';
import type { AppName } from './logging';

/** Prefix of the service's own metrics (the HTTP histogram keeps the conventional name). */
export const METRIC_PREFIX = 'customer_access_';

/**
 * The metrics of one process, in a registry of its own (not prom-client's global one), so that
 * tests and several apps in one process never collide. Every series carries `app`.
 */
export class MetricsRegistry {
  readonly registry = new Registry();

  constructor(
    readonly app: AppName,
    options: { defaultMetrics?: boolean } = {},
  ) {
    this.registry.setDefaultLabels({ app });
    // process_* and nodejs_* under their usual names, so that stock dashboards work.
    if (options.defaultMetrics !== false) collectDefaultMetrics({ register: this.registry });
  }

  get contentType(): string {
    return this.registry.contentType;
  }

  metrics(): Promise<string> {
    return this.registry.metrics();
  }
}

/** The outcomes of a breached-password check (customer_access_breached_password_checks_total). */
export const BREACHED_CHECK_OUTCOMES = ['clean', 'breached', 'unavailable', 'resting'] as const;
export type BreachedCheckOutcome = (typeof BREACHED_CHECK_OUTCOMES)[number];

/** Metrics only the API records. */
export class ApiMetrics {
  readonly httpDuration: Histogram<'method' | 'route' | 'status_code'>;
  /** Reset emails asked for: storefront "forgot" (202) and admin "Reset Password" (202). */
  readonly resetsRequested: Counter<'origin'>;
  readonly resetsCompleted: Counter<string>;
  readonly resetsFailed: Counter<'reason'>;
  readonly rateLimitRejections: Counter<'route'>;
  /** New passwords checked against Pwned Passwords (libs/customers), by outcome. */
  readonly breachedPasswordChecks: Counter<'outcome'>;
  /** Sign-ins checked against a legacy (imported) password hash, by algorithm and outcome. */
  readonly legacyPasswordVerifications: Counter<'algorithm' | 'outcome'>;
  /** Legacy password hashes replaced by argon2id after a successful sign-in, by algorithm. */
  readonly legacyPasswordUpgrades: Counter<'algorithm'>;

  /** `rateLimitedRoutes`: route templates whose 429 series should exist (at 0) from the start. */
  constructor(
    readonly metrics: MetricsRegistry,
    rateLimitedRoutes: readonly string[] = [],
  ) {
    const registers = [metrics.registry];
    this.httpDuration = new Histogram({
      name: 'http_request_duration_seconds',
      help: 'HTTP request latency by method, route template and status code.',
      labelNames: ['method', 'route', 'status_code'],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers,
    });
    this.resetsRequested = new Counter({
      name: `${METRIC_PREFIX}password_resets_requested_total`,
      help: 'Password resets requested and accepted (storefront forgot, admin Reset Password).',
      labelNames: ['origin'],
      registers,
    });
    this.resetsCompleted = new Counter({
      name: `${METRIC_PREFIX}password_resets_completed_total`,
      help: 'Passwords changed through a reset link.',
      registers,
    });
    this.resetsFailed = new Counter({
      name: `${METRIC_PREFIX}password_resets_failed_total`,
      help: 'Reset attempts refused, by error code (RESET_TOKEN_INVALID, RESET_TOKEN_EXPIRED, PASSWORD_POLICY, ...).',
      labelNames: ['reason'],
      registers,
    });
    this.rateLimitRejections = new Counter({
      name: `${METRIC_PREFIX}rate_limit_rejections_total`,
      help: 'Requests refused with 429 by a rate limiter (reset requests, reset-token guessing, admin sign-in), by route template.',
      labelNames: ['route'],
      registers,
    });
    this.breachedPasswordChecks = new Counter({
      name: `${METRIC_PREFIX}breached_password_checks_total`,
      help:
        'New passwords checked against the Pwned Passwords range API, by outcome: clean, breached (refused), ' +
        'unavailable (no answer within 2 s or an error: allowed), resting (not asked, after 3 failures in a row: allowed).',
      labelNames: ['outcome'],
      registers,
    });
    for (const outcome of BREACHED_CHECK_OUTCOMES) this.breachedPasswordChecks.labels(outcome).inc(0);
    this.legacyPasswordVerifications = new Counter({
      name: `${METRIC_PREFIX}legacy_password_verifications_total`,
      help: 'Sign-ins checked against a legacy (imported) password hash, by algorithm and outcome (success, failure).',
      labelNames: ['algorithm', 'outcome'],
      registers,
    });
    this.legacyPasswordUpgrades = new Counter({
      name: `${METRIC_PREFIX}legacy_password_upgrades_total`,
      help: 'Legacy password hashes replaced by argon2id at a successful sign-in, by algorithm.',
      labelNames: ['algorithm'],
      registers,
    });
    for (const origin of ['storefront', 'admin']) this.resetsRequested.labels(origin).inc(0);
    this.resetsCompleted.inc(0);
    for (const route of rateLimitedRoutes) this.rateLimitRejections.labels(route).inc(0);
  }
}

/** Metrics only the worker records. */
export class WorkerMetrics {
  readonly emailsSent: Counter<'job'>;
  readonly emailsFailed: Counter<'job'>;
  readonly emailsRetried: Counter<'job'>;
  readonly jobsSkipped: Counter<'job'>;
  readonly jobDuration: Histogram<'job' | 'outcome'>;

  constructor(
    readonly metrics: MetricsRegistry,
    jobNames: readonly string[] = [],
  ) {
    const registers = [metrics.registry];
    this.emailsSent = new Counter({
      name: `${METRIC_PREFIX}emails_sent_total`,
      help: 'Emails handed to the mail transport (SMTP or .eml file), by job.',
      labelNames: ['job'],
      registers,
    });
    this.emailsFailed = new Counter({
      name: `${METRIC_PREFIX}emails_failed_total`,
      help: 'Mail jobs that failed for good (retries exhausted or permanent SMTP rejection), by job.',
      labelNames: ['job'],
      registers,
    });
    this.emailsRetried = new Counter({
      name: `${METRIC_PREFIX}emails_retried_total`,
      help: 'Failed mail attempts that will be retried, by job.',
      labelNames: ['job'],
      registers,
    });
    this.jobsSkipped = new Counter({
      name: `${METRIC_PREFIX}mail_jobs_skipped_total`,
      help: 'Mail jobs completed without an email (e.g. a reset asked for an unknown address), by job.',
      labelNames: ['job'],
      registers,
    });
    this.jobDuration = new Histogram({
      name: `${METRIC_PREFIX}mail_job_duration_seconds`,
      help: 'Time to process one mail job attempt, by job and outcome (sent, skipped, error).',
      labelNames: ['job', 'outcome'],
      buckets: [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
      registers,
    });
    for (const job of jobNames) {
      this.emailsSent.labels(job).inc(0);
      this.emailsFailed.labels(job).inc(0);
      this.emailsRetried.labels(job).inc(0);
    }
  }
}

export const QUEUE_STATES = ['waiting', 'active', 'delayed', 'failed', 'completed', 'paused', 'prioritized', 'waiting-children'] as const;
export type QueueState = (typeof QUEUE_STATES)[number];

/** Anything that can count its jobs by state, such as a BullMQ Queue. */
export interface CountableQueue {
  readonly name: string;
  getJobCounts(...states: QueueState[]): Promise<Record<string, number>>;
}

/**
 * Job counts per queue and state, read from Redis at scrape time. A scrape while Redis is down
 * still answers (the gauge is left out and `customer_access_queue_up` reports 0).
 */
export function registerQueueGauges(metrics: MetricsRegistry, queues: CountableQueue[], timeoutMs = 2000): void {
  const registers = [metrics.registry];
  // Both gauges are filled by one read per scrape (prom-client collects metrics concurrently).
  let inflight: Promise<void> | undefined;
  const refresh = (): Promise<void> =>
    (inflight ??= (async () => {
      jobs.reset();
      await Promise.all(
        queues.map(async (queue) => {
          try {
            const counts = await withTimeout(queue.getJobCounts(...QUEUE_STATES), timeoutMs);
            for (const state of QUEUE_STATES) jobs.labels(queue.name, state).set(counts[state] ?? 0);
            up.labels(queue.name).set(1);
          } catch {
            up.labels(queue.name).set(0);
          }
        }),
      );
    })().finally(() => (inflight = undefined)));

  const jobs = new Gauge({
    name: `${METRIC_PREFIX}queue_jobs`,
    help: 'Jobs in the queue by state (waiting, active, delayed, failed, completed, ...), read at scrape time.',
    labelNames: ['queue', 'state'],
    registers,
    collect: refresh,
  });
  const up = new Gauge({
    name: `${METRIC_PREFIX}queue_up`,
    help: 'Whether the queue could be read from Redis at the last scrape (1) or not (0).',
    labelNames: ['queue'],
    registers,
    collect: refresh,
  });
}

/** Rejects when `promise` has not settled within `ms`; leaves no timer behind. */
export function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([
    promise,
    new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms`)), ms);
    }),
  ]).finally(() => clearTimeout(timer));
}
