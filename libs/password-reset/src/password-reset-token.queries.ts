import { CustomerContactRow, CustomerSql } from '@customer-access/customers';
import { defineQueries, rawSql, Row, Sql, sql } from '@customer-access/database';
import { MailJob, OutboxMessageSql } from '@customer-access/notification';
import { AccessTokenSql } from '@customer-access/oauth';
import { ClaimedDeliveryRow, FanOutClaim, WebhookDeliverySql, WebhookEventSql, WebhookEventType } from '@customer-access/webhooks';
import { PasswordResetToken, ResetOrigin } from './password-reset-token.entity';

/** One reset token to issue (PasswordResetTokenSql.issueForCustomers). */
export interface TokenIssue {
  /** Whom: by id, or by stored address within a website (null: in any website). */
  customer: { email: string; websiteCode: string | null } | { id: string };
  /** The new token row's id. */
  id: string;
  tokenHash: string;
  origin: ResetOrigin;
  ttlHours: number;
  /** The customer.password_reset.requested event's id. */
  eventId: string;
}

export interface CompleteResetArgs {
  tokenHash: string;
  passwordHash: string;
  revokeAccessTokens: boolean;
  outboxId: string;
  /** The webhook events' ids: customer.password.changed, and customer.tokens.revoked (written only when tokens were revoked). */
  changedEventId: string;
  revokedEventId: string;
}

/** A token's state for the reset page, with its customer's stored language. */
export interface InspectedTokenRow {
  spent: boolean;
  expired: boolean;
  locale: string | null;
  email: string | null;
}

const EXAMPLE_HASH = 'b'.repeat(64);

/**
 * The raw SQL of the password_reset_token table (docs/development.md, "Raw SQL"). Two statements
 * also write other tables, each table's part being its owner's SQL (customers, oauth, notification);
 * password-reset-token.queries.sql shows them whole.
 */
export const PasswordResetTokenSql = defineQueries(
  {
    /**
     * The worker's whole database work before reset emails, for several jobs at once in ONE statement
     * (of fixed text, so it can be prepared and planned once per connection): for each issue, finds
     * the customer its selector names, supersedes that customer's outstanding tokens and stores the
     * new token `id`. An issue whose selector names nobody writes nothing and has no row; every
     * other has one, tagged `n`, its index in `issues`. Only the newest link works: the UPDATE and
     * the INSERT see the same snapshot, so the UPDATE never touches the rows being inserted, and when
     * one customer has several issues here, all but the last are stored superseded, as if issued one
     * after the other. (`= any(array(…))`: the customers' outstanding tokens through the customer
     * index, whatever the table's statistics say; a generic plan made while the table looked empty
     * would otherwise scan it.) Each issue's customer.password_reset.requested webhook event (`eventId`) is
     * written with them, and relayed by the same statement: its outbox row written relayed, its
     * deliveries (one per subscribed endpoint) inserted; `webhookDeliveries` says how many. Up to
     * `claim.room` of them are inserted already claimed for this worker's deliverer
     * (WebhookDeliverySql.fanOutClaiming; room 0 where no deliverer runs or it is full):
     * `claimedDeliveries` has each issue's claimed ones (WebhookDeliverySql.addedByEvent), to hand to the deliverer after the commit; the caller
     * wakes the deliverers only for the others.
     */
    issueForCustomers: (
      issues: readonly TokenIssue[],
      claim: FanOutClaim = { room: 0, leaseMs: 0 },
    ): Sql<
      CustomerContactRow &
        Row<PasswordResetToken, 'expiresAt'> & { n: number; webhookDeliveries: number; claimedDeliveries: ClaimedDeliveryRow[] | null }
    > => {
      const jobs = issues.map(({ customer, id, tokenHash, origin, ttlHours, eventId }, n) => ({
        n,
        ...('email' in customer ? { email: customer.email, websiteCode: customer.websiteCode } : { customerId: customer.id }),
        tokenId: id,
        tokenHash,
        origin,
        ttlHours,
        eventId,
      }));
      return sql`with job as materialized (
           select * from jsonb_to_recordset(${JSON.stringify(jobs)}::jsonb)
             as j(n int, "customerId" uuid, email text, "websiteCode" text, "tokenId" uuid, "tokenHash" text, origin text,
                  "ttlHours" numeric, "eventId" uuid)
         ),
         customer as materialized (${CustomerSql.contactsOf(rawSql('job'))}),
         earlier as (
           update password_reset_token set superseded_at = now()
           where customer_id = any(array(select id from customer)) and used_at is null and superseded_at is null
         ),
         issued as (
           insert into password_reset_token (id, customer_id, token_hash, origin, created_at, expires_at, superseded_at)
           select job."tokenId", customer.id, job."tokenHash", job.origin, now(), now() + job."ttlHours" * interval '1 hour',
             case when row_number() over (partition by customer.id order by customer.n desc) > 1 then now() end
           from customer join job using (n)
           returning id, expires_at
         ),
         event as (${WebhookEventSql.forCustomer(
           rawSql('c."eventId"'),
           WebhookEventType.PasswordResetRequested,
           rawSql('select customer.*, job."eventId" from customer join job using (n)'),
           undefined,
           undefined,
           true,
         )}),
         deliveries as (${WebhookDeliverySql.fanOutClaiming(rawSql('event'), claim)}),
         added as (${WebhookDeliverySql.addedByEvent(rawSql('deliveries'))})
         select customer.*, issued.expires_at as "expiresAt", coalesce(added.deliveries, 0) as "webhookDeliveries",
           added.claimed as "claimedDeliveries"
         from customer join job using (n) join issued on issued.id = job."tokenId" left join added on added."eventId" = job."eventId"`;
    },

    /** Whether a token may be used, and the stored language and email of its customer (for the reset page). */
    inspect: (tokenHash: string): Sql<InspectedTokenRow> =>
      sql`select used_at is not null or superseded_at is not null as spent, expires_at <= now() as expired,
           (${CustomerSql.locale(rawSql('password_reset_token.customer_id'))}) as locale,
           (${CustomerSql.email(rawSql('password_reset_token.customer_id'))}) as email
         from password_reset_token where token_hash = ${tokenHash}`,

    /**
     * Completes a reset in ONE statement: marks the token used, supersedes the customer's other
     * outstanding tokens, stores the new password hash (lockout lifted), revokes the customer's
     * access tokens when `revokeAccessTokens`, and records the "password changed" outbox message.
     * Returns the customer's id, or no row when the token is unknown, used, superseded or expired
     * (nothing is written then).
     *
     * Why one statement (docs/performance.md, reset-confirm): one round trip to PostgreSQL, where a
     * transaction of the same writes takes seven. A statement is atomic by itself, so the outbox row commits,
     * or not, together with the password change (transactional outbox).
     *
     * The webhook events (customer.password.changed, and customer.tokens.revoked when tokens were
     * revoked) are recorded already relayed and fanned out to their deliveries here (`deliveries`,
     * one row per subscribed endpoint), so no relay statement and no commit follow for them: the
     * caller only wakes the deliverers when `deliveries` > 0.
     *
     * Single use under concurrency: `target` locks the token row (FOR UPDATE) if it is still usable.
     * A concurrent execution with the same token blocks on that lock; once the first commits, the row
     * has `used_at` set, so under READ COMMITTED the waiter re-checks it, `target` is empty and every
     * other part of its statement writes nothing. Each row is modified at most once per statement:
     * the token row by `consumed`, the customer's other tokens by `superseded`.
     */
    completeReset: (args: CompleteResetArgs): Sql<Row<PasswordResetToken, 'customerId'> & { deliveries: number }> => {
      const customerOfToken = rawSql('(select customer_id from target)');
      const contact = CustomerSql.contact({ id: rawSql('(select id from changed)') });
      const revokedCount = rawSql('(select count(*) from revoked)');
      return sql`with target as materialized (
           select id, customer_id from password_reset_token
           where token_hash = ${args.tokenHash} and used_at is null and superseded_at is null and expires_at > now()
           for update
         ),
         consumed as (
           update password_reset_token set used_at = now() where id = (select id from target)
         ),
         superseded as (
           update password_reset_token set superseded_at = now()
           where customer_id = ${customerOfToken} and id <> (select id from target) and used_at is null and superseded_at is null
         ),
         changed as (${CustomerSql.setPassword(customerOfToken, args.passwordHash)}),
         revoked as (${AccessTokenSql.revokeLive(sql`(select customer_id from target where ${args.revokeAccessTokens}::boolean)`)}),
         outbox as (${OutboxMessageSql.insert(args.outboxId, MailJob.PasswordChanged, rawSql(`jsonb_build_object('customerId', id)`), rawSql('from changed'))}),
         changed_event as (${WebhookEventSql.forCustomer(args.changedEventId, WebhookEventType.PasswordChanged, contact, undefined, undefined, true)}),
         revoked_event as (${WebhookEventSql.forCustomer(
           args.revokedEventId,
           WebhookEventType.TokensRevoked,
           contact,
           sql`jsonb_build_object('reason', 'password_reset', 'revoked', ${revokedCount})`,
           sql`${revokedCount} > 0`,
           true,
         )}),
         deliveries as (${WebhookDeliverySql.fanOut(rawSql('(select payload from changed_event union all select payload from revoked_event)'))})
         select id as "customerId", (select count(*)::int from deliveries) as deliveries
         from changed`;
    },
  },
  {
    issueForCustomers: [
      [
        [
          {
            customer: { email: 'ana@example.com', websiteCode: 'base' },
            id: '00000000-0000-4000-8000-0000000000e1',
            tokenHash: EXAMPLE_HASH,
            origin: 'storefront',
            ttlHours: 1,
            eventId: '00000000-0000-4000-8000-0000000000c1',
          },
          {
            customer: { id: '00000000-0000-4000-8000-000000000001' },
            id: '00000000-0000-4000-8000-0000000000e2',
            tokenHash: EXAMPLE_HASH,
            origin: 'admin',
            ttlHours: 1,
            eventId: '00000000-0000-4000-8000-0000000000c2',
          },
        ],
        { room: 64, leaseMs: 50_000 },
      ],
    ],
    inspect: [[EXAMPLE_HASH]],
    completeReset: [
      [
        {
          tokenHash: EXAMPLE_HASH,
          passwordHash: '$argon2id$v=19$m=19456,t=2,p=1$c2FsdA$aGFzaA',
          revokeAccessTokens: true,
          outboxId: '00000000-0000-4000-8000-0000000000b1',
          changedEventId: '00000000-0000-4000-8000-0000000000c1',
          revokedEventId: '00000000-0000-4000-8000-0000000000c2',
        },
      ],
    ],
  },
);
