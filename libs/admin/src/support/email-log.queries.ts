import { columns, defineQueries, Row, Sql, sql } from '@customer-access/database';
import { EmailLogEntry } from '@customer-access/notification';

/** What became of a reset email's link, from its token row's fate. */
export type LinkStatus = 'unused' | 'used' | 'expired' | 'superseded';

const TIMELINE = [
  'id',
  'template',
  'origin',
  'locale',
  'storeViewCode',
  'status',
  'attempts',
  'requestedAt',
  'sentAt',
  'messageId',
  'lastError',
] as const;

/** A timeline row as selected: the log entry's columns aliased to its property names, and the link's fate. */
export type TimelineRow = Row<EmailLogEntry, (typeof TIMELINE)[number]> & { link: LinkStatus | null };

/** The admins' raw SQL over email_log (writes: the notification lib's EmailLogSql). */
export const EmailTimelineSql = defineQueries(
  {
    /**
     * A customer's emails, newest first, each reset email joined to its token row for the link's
     * fate. Tokens are never deleted by a use or a newer request (`used_at`, `superseded_at`); a row
     * the retention job purged reads as expired, which it was. Selects no token column but the
     * timestamps, so no secret can leave through here.
     */
    forCustomer: (customerId: string, limit: number): Sql<TimelineRow> =>
      sql`select ${columns(EmailLogEntry, TIMELINE, 'l')},
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
         where l.customer_id = ${customerId}
         order by l.requested_at desc, l.id desc
         limit ${limit}`,
  },
  { forCustomer: [['00000000-0000-4000-8000-000000000001', 20]] },
);
