import { CustomerContactRow, CustomerSelector, CustomerSql } from '@customer-access/customers';
import { defineQueries, rawSql, Row, Sql, sql } from '@customer-access/database';
import { MailJob, OutboxMessageSql } from '@customer-access/notification';
import { AccessTokenSql } from '@customer-access/oauth';
import { WebhookDeliverySql, WebhookEventSql, WebhookEventType } from '@customer-access/webhooks';
import { PasswordResetToken, ResetOrigin } from './password-reset-token.entity';

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
     * The worker's whole database work before a reset email, in ONE statement: finds the customer
     * `customer` names, supersedes their outstanding tokens and stores the new one `id`. No row (and
     * nothing written) when no customer matches. Only the newest link works: the UPDATE and the
     * INSERT see the same snapshot, so the UPDATE never touches the row being inserted. The
     * customer.password_reset.requested webhook event is written with them, and relayed by the same
     * statement: its outbox row written relayed, its deliveries (one per subscribed endpoint)
     * inserted; `webhookDeliveries` says how many, so that the caller wakes the deliverers only then.
     */
    issueForCustomer: (
      customer: CustomerSelector,
      id: string,
      tokenHash: string,
      origin: ResetOrigin,
      ttlHours: number,
      eventId: string,
    ): Sql<CustomerContactRow & Row<PasswordResetToken, 'expiresAt'> & { webhookDeliveries: number }> =>
      sql`with customer as materialized (${CustomerSql.contact(customer)}),
         earlier as (
           update password_reset_token set superseded_at = now()
           where customer_id = (select id from customer) and used_at is null and superseded_at is null
         ),
         issued as (
           insert into password_reset_token (id, customer_id, token_hash, origin, created_at, expires_at)
           select ${id}, id, ${tokenHash}, ${origin}, now(), now() + ${ttlHours} * interval '1 hour' from customer
           returning expires_at
         ),
         event as (${WebhookEventSql.forCustomer(eventId, WebhookEventType.PasswordResetRequested, rawSql('select * from customer'), undefined, undefined, true)}),
         deliveries as (${WebhookDeliverySql.fanOut(rawSql('event'))})
         select customer.*, issued.expires_at as "expiresAt", (select count(*)::int from deliveries) as "webhookDeliveries"
         from customer cross join issued`,

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
    issueForCustomer: [
      [
        { email: 'ana@example.com', websiteCode: 'base' },
        '00000000-0000-4000-8000-0000000000e1',
        EXAMPLE_HASH,
        'storefront',
        1,
        '00000000-0000-4000-8000-0000000000c1',
      ],
      [
        { id: '00000000-0000-4000-8000-000000000001' },
        '00000000-0000-4000-8000-0000000000e1',
        EXAMPLE_HASH,
        'admin',
        1,
        '00000000-0000-4000-8000-0000000000c1',
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
