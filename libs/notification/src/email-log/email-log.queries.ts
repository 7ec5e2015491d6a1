import { defineQueries, Sql, sql } from '@customer-access/database';
import { EmailOrigin, EmailStatus, EmailTemplateName } from './email-log-entry.entity';

/** Bounds what an SMTP server's answer or an error message may add to a row. */
const MAX_TEXT = 1000;
const clip = (text: string | null | undefined): string | null => (text ? text.slice(0, MAX_TEXT) : null);

export interface QueuedEmail {
  id: string;
  customerId: string;
  template: EmailTemplateName;
  origin: EmailOrigin;
  locale: string;
  /** The store view whose link base, sender, name and fallback language the email has. */
  storeViewCode: string;
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

const EXAMPLE: QueuedEmail = {
  id: '00000000-0000-4000-8000-0000000000c1',
  customerId: '00000000-0000-4000-8000-000000000001',
  template: 'password-reset',
  origin: 'admin',
  locale: 'en',
  storeViewCode: 'default',
};

/** The raw SQL of the email_log table's writes (docs/development.md, "Raw SQL"). */
export const EmailLogSql = defineQueries(
  {
    /** An email the API has just asked for (admin reset): `queued`. */
    insertQueued: (email: QueuedEmail): Sql =>
      sql`insert into email_log (id, customer_id, template, origin, locale, store_view_code, status, attempts, requested_at, updated_at)
          values (${email.id}, ${email.customerId}, ${email.template}, ${email.origin}, ${email.locale}, ${email.storeViewCode}, 'queued', 0, now(), now())`,

    /**
     * Delivery attempts, at most one per email (PostgreSQL refuses to update a row twice in one
     * upsert): creates each row on its first attempt, updates it on later ones. `requested_at` of an
     * existing row is kept; the last error stays after a later success. The attempts go as one jsonb
     * value, so the text is the same for any number of them (a prepared statement, planned once).
     */
    upsertAttempts: (attempts: DeliveryAttempt[]): Sql => {
      const rows = attempts.map((a) => ({
        id: a.id,
        customerId: a.customerId,
        template: a.template,
        origin: a.origin,
        locale: a.locale,
        storeViewCode: a.storeViewCode,
        status: a.status,
        attempts: a.attempts,
        requestedAt: a.requestedAt,
        messageId: clip(a.messageId),
        smtpResponse: clip(a.smtpResponse),
        lastError: clip(a.lastError),
        resetTokenId: a.resetTokenId,
      }));
      return sql`insert into email_log (id, customer_id, template, origin, locale, store_view_code, status, attempts, requested_at, sent_at,
                                        message_id, smtp_response, last_error, reset_token_id, updated_at)
        select a.id, a."customerId", a.template, a.origin, a.locale, a."storeViewCode", a.status, a.attempts, a."requestedAt",
          case when a.status = 'sent' then now() end, a."messageId", a."smtpResponse", a."lastError", a."resetTokenId", now()
        from jsonb_to_recordset(${JSON.stringify(rows)}::jsonb)
          as a(id uuid, "customerId" uuid, template text, origin text, locale text, "storeViewCode" text, status text, attempts int,
               "requestedAt" timestamptz, "messageId" text, "smtpResponse" text, "lastError" text, "resetTokenId" uuid)
        on conflict (id) do update set
          locale = excluded.locale, store_view_code = excluded.store_view_code, status = excluded.status, attempts = excluded.attempts, sent_at = excluded.sent_at,
          message_id = excluded.message_id, smtp_response = excluded.smtp_response,
          last_error = coalesce(excluded.last_error, email_log.last_error),
          reset_token_id = coalesce(excluded.reset_token_id, email_log.reset_token_id), updated_at = now()`;
    },
  },
  {
    insertQueued: [[EXAMPLE]],
    upsertAttempts: [
      [
        [
          {
            ...EXAMPLE,
            status: 'sent',
            attempts: 1,
            requestedAt: new Date('2026-01-01T00:00:00Z'),
            resetTokenId: null,
            messageId: '<m@x>',
          },
          {
            ...EXAMPLE,
            id: '00000000-0000-4000-8000-0000000000c2',
            status: 'retrying',
            attempts: 2,
            requestedAt: new Date('2026-01-01T00:00:00Z'),
            resetTokenId: '00000000-0000-4000-8000-0000000000d1',
            lastError: '421 try later',
          },
        ],
      ],
    ],
  },
);
