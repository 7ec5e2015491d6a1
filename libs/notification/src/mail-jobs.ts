import { EmailTemplateName } from './email-log/email-log-entry.entity';
import { JobsOptions } from 'bullmq';

/** Queue names. Persisted in Redis with every job: never rename one, only add. */
export enum QueueName {
  Mail = 'mail',
  /** Wake-ups of the webhook deliverers (libs/webhooks), apart from the mail so neither holds up the other. */
  Webhooks = 'webhooks',
}

/**
 * The outbox's one row that is not mail: a webhook event (libs/webhooks writes it in the change's
 * transaction). Its relay fans it out to its `webhook_delivery` rows in SQL (OutboxService's
 * WebhookEventRelay); no job carries it (only an earlier version queued it under this name).
 */
export const WEBHOOK_EVENT_JOB = 'webhook-event';

/** A webhook event as the outbox carries it (libs/webhooks fills it; `endpointId`: webhook.test's one endpoint). */
export interface WebhookEventPayload {
  id: string;
  type: string;
  timestamp: string;
  data: Record<string, unknown>;
  endpointId?: string;
}

/** What an outbox row can hold: a mail job, or a webhook event. */
export type OutboxJobName = MailJob | typeof WEBHOOK_EVENT_JOB;

/** Job names on the mail queue. Persisted too: never rename, only add. */
export enum MailJob {
  /** Storefront "Forgot Your Password?": the worker looks the email up and, if it exists, mails a link. */
  PasswordResetRequested = 'password-reset-requested',
  /** An admin clicked "Reset Password" on a customer. */
  AdminPasswordResetRequested = 'admin-password-reset-requested',
  /** Confirmation after a completed reset. Relayed through the outbox. */
  PasswordChanged = 'password-changed',
  /** An admin's test send of a template (sample data, sample link) to their own address. Not logged per customer. */
  TestEmail = 'test-email',
  /** The "email changed" notice, sent to the customer's previous address after an admin changed it. Relayed through the outbox. */
  EmailChanged = 'email-changed',
  /** customers:invite: an account without a usable password is invited to set one. Relayed through the outbox. */
  AccountInvitation = 'account-invitation',
}

/**
 * Job payloads. None of them carries a raw token or a password: the worker creates the token
 * itself, and only the email it sends ever holds it.
 */
export interface MailJobPayloads {
  /** `storeView`: the request's store view, whose link base, sender and name the email has (absent in jobs older than store views: default). */
  [MailJob.PasswordResetRequested]: { email: string; storeView?: string };
  /** `emailLogId`: the email_log row the API wrote as queued (absent in jobs queued before the log existed). */
  [MailJob.AdminPasswordResetRequested]: { customerId: string; adminId: string; emailLogId?: string };
  [MailJob.PasswordChanged]: { customerId: string };
  [MailJob.TestEmail]: { template: EmailTemplateName; locale: string; to: string; adminId: string };
  /** `previousEmail`: the address before the change, where the notice goes. `adminId`: who changed it. */
  [MailJob.EmailChanged]: { customerId: string; previousEmail: string; adminId: string };
  /** `emailLogId`: the email_log row customers:invite wrote as queued. */
  [MailJob.AccountInvitation]: { customerId: string; emailLogId: string };
}

export type MailJobPayload<N extends MailJob = MailJob> = MailJobPayloads[N];

/**
 * At-least-once delivery: retried with exponential backoff (1 s, 2 s, 4 s ... about 4 minutes in
 * all), then kept in the failed set for inspection (MAIL_JOB_RETENTION says for how long).
 */
export const MAIL_JOB_OPTIONS: JobsOptions = {
  attempts: 9,
  backoff: { type: 'exponential', delay: 1000 },
};

/**
 * How long finished mail jobs stay in Redis: completed ones up to a day, failed ones up to 14 days,
 * and at most 10,000 and 100,000 of them. Every email's fate is also in the email_log table, and
 * without a count a long mail-server outage at peak (every job failing) would keep millions of ~1 KB
 * jobs in Redis memory for two weeks (docs/performance.md, Capacity). The mail worker applies it to
 * every job it finishes (BullMQ's worker-level removeOnComplete/removeOnFail): it is the consumer's
 * policy, not each job's, so the producers do not store it with every job (BullMQ's add script
 * would encode it into each job's hash; about 4 µs of Redis CPU per job, docs/performance.md).
 */
export const MAIL_JOB_RETENTION = {
  removeOnComplete: { age: 24 * 3600, count: 10_000 },
  removeOnFail: { age: 14 * 24 * 3600, count: 100_000 },
} as const;

/** {@link MAIL_JOB_OPTIONS} with another backoff base (MAIL_RETRY_DELAY_MS; tests shorten it). */
export function mailJobOptions(retryDelayMs = 1000): JobsOptions {
  return { ...MAIL_JOB_OPTIONS, backoff: { type: 'exponential', delay: retryDelayMs } };
}
