import { EntityManager } from '@mikro-orm/postgresql';
import { Injectable } from '@nestjs/common';
import { EmailOrigin, EmailStatus, EmailTemplateName } from '@customer-access/notification';

/** What became of a reset email's link, from its token row's fate. */
export type LinkStatus = 'unused' | 'used' | 'expired' | 'superseded';

/** One email in a customer's delivery timeline (DESIGN.md, Emails, for admins). Never a token or a link. */
export interface CustomerEmailView {
  id: string;
  template: EmailTemplateName;
  origin: EmailOrigin;
  locale: string;
  status: EmailStatus;
  attempts: number;
  requestedAt: string;
  sentAt: string | null;
  messageId: string | null;
  lastError: string | null;
  /** Reset emails only (null otherwise, and while no token has been issued for it yet). */
  link: LinkStatus | null;
}

/** A row as selected (columns aliased to the view's names); only the timestamps still need converting. */
type TimelineRow = Omit<CustomerEmailView, 'requestedAt' | 'sentAt'> & { requestedAt: Date; sentAt: Date | null };

/**
 * The admins' read model of email_log: a customer's emails, newest first, each reset email joined
 * to its token row for the link's fate. Tokens are never deleted by a use or a newer request
 * (`used_at`, `superseded_at`); a row the retention job purged reads as expired, which it was.
 * Selects no token column but the timestamps, so no secret can leave through here.
 */
@Injectable()
export class EmailTimelineRepository {
  constructor(private readonly em: EntityManager) {}

  async forCustomer(customerId: string, limit: number): Promise<CustomerEmailView[]> {
    const rows = await this.em.execute<TimelineRow[]>(
      `select l.id, l.template, l.origin, l.locale, l.status, l.attempts, l.requested_at as "requestedAt", l.sent_at as "sentAt",
         l.message_id as "messageId", l.last_error as "lastError",
         case
           when l.reset_token_id is null then null
           when t.id is null then 'expired'
           when t.used_at is not null then 'used'
           when t.superseded_at is not null then 'superseded'
           when t.expires_at <= now() then 'expired'
           else 'unused'
         end as link
       from email_log l
       left join password_reset_token t on t.id = l.reset_token_id
       where l.customer_id = ?
       order by l.requested_at desc, l.id desc
       limit ?`,
      [customerId, limit],
    );
    return rows.map((row) => ({
      ...row,
      requestedAt: new Date(row.requestedAt).toISOString(),
      sentAt: row.sentAt ? new Date(row.sentAt).toISOString() : null,
    }));
  }
}
