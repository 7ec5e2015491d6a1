import { EntityManager } from '@mikro-orm/postgresql';
import { Injectable } from '@nestjs/common';
import { GroupCommit } from '@customer-access/database';
import { EmailOrigin, EmailStatus, EmailTemplateName } from './email-log-entry.entity';

export interface QueuedEmail {
  id: string;
  customerId: string;
  template: EmailTemplateName;
  origin: EmailOrigin;
  locale: string;
}

export interface DeliveryAttempt extends QueuedEmail {
  status: Exclude<EmailStatus, 'queued'>;
  /** Attempts made, this one included. */
  attempts: number;
  /** When the email was asked for; kept from the queued row when there is one. */
  requestedAt: Date;
  resetTokenId: string | null;
  messageId?: string | null;
  smtpResponse?: string | null;
  lastError?: string | null;
}

/** Bounds what an SMTP server's answer or an error message may add to a row. */
const MAX_TEXT = 1000;
const clip = (text: string | null | undefined): string | null => (text ? text.slice(0, MAX_TEXT) : null);

/** The only door for writes to the email_log table (reads for admins: the admin lib's EmailTimelineRepository). */
@Injectable()
export class EmailLogRepository {
  private readonly attempts = new GroupCommit<DeliveryAttempt>((batch) => this.upsertAttempts(batch));

  constructor(private readonly em: EntityManager) {}

  /** An email the API has just asked for (admin reset): `queued`, in the caller's transaction. */
  async insertQueued(email: QueuedEmail, em: EntityManager = this.em): Promise<void> {
    await em.execute(
      `insert into email_log (id, customer_id, template, origin, locale, status, attempts, requested_at, updated_at)
       values (?, ?, ?, ?, ?, 'queued', 0, now(), now())`,
      [email.id, email.customerId, email.template, email.origin, email.locale],
      'run',
    );
  }

  /**
   * The outcome of one delivery attempt: creates the row on the first attempt of an email the API
   * did not log (storefront resets, confirmations: the forgot route does no database work), updates
   * it on later ones. `requested_at` of an existing row is kept; the last error stays after a later
   * success, so the timeline tells why it took several attempts. Resolves once the row is stored.
   *
   * Performance (BENCHMARKS.md, worker): the attempts of the worker's concurrent jobs are written
   * together (GroupCommit): one statement per batch instead of one per email.
   */
  recordAttempt(attempt: DeliveryAttempt): Promise<void> {
    return this.attempts.write(attempt);
  }

  private async upsertAttempts(batch: DeliveryAttempt[]): Promise<void> {
    const rows = latestAttemptPerEmail(batch);
    const values = rows.map(() => `(?, ?, ?, ?, ?, ?, ?, ?, case when ? = 'sent' then now() end, ?, ?, ?, ?, now())`).join(',\n');
    await this.em.execute(
      `insert into email_log (id, customer_id, template, origin, locale, status, attempts, requested_at, sent_at,
                              message_id, smtp_response, last_error, reset_token_id, updated_at)
       values ${values}
       on conflict (id) do update set
         locale = excluded.locale, status = excluded.status, attempts = excluded.attempts, sent_at = excluded.sent_at,
         message_id = excluded.message_id, smtp_response = excluded.smtp_response,
         last_error = coalesce(excluded.last_error, email_log.last_error),
         reset_token_id = coalesce(excluded.reset_token_id, email_log.reset_token_id), updated_at = now()`,
      rows.flatMap((attempt) => [
        attempt.id,
        attempt.customerId,
        attempt.template,
        attempt.origin,
        attempt.locale,
        attempt.status,
        attempt.attempts,
        attempt.requestedAt,
        attempt.status,
        clip(attempt.messageId),
        clip(attempt.smtpResponse),
        clip(attempt.lastError),
        attempt.resetTokenId,
      ]),
      'run',
    );
  }
}

/**
 * One row per email in a statement (PostgreSQL refuses to update a row twice in one upsert): should
 * two attempts of the same email meet in a batch (a stalled job run twice), the later one wins,
 * keeping the earlier error as the row would.
 */
function latestAttemptPerEmail(batch: DeliveryAttempt[]): DeliveryAttempt[] {
  const byId = new Map<string, DeliveryAttempt>();
  for (const attempt of batch) {
    const earlier = byId.get(attempt.id);
    byId.set(attempt.id, earlier ? { ...attempt, lastError: attempt.lastError ?? earlier.lastError } : attempt);
  }
  return [...byId.values()];
}
