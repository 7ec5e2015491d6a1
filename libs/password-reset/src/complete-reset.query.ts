import { setPasswordSql } from '@customer-access/customers';
import { rawSql, Sql, sql } from '@customer-access/database';
import { insertOutboxMessageSql, MailJob } from '@customer-access/notification';
import { revokeLiveTokensSql } from '@customer-access/oauth';

export interface CompleteResetArgs {
  tokenHash: string;
  passwordHash: string;
  revokeAccessTokens: boolean;
  outboxId: string;
}

/**
 * Completes a reset in ONE statement: marks the token used, supersedes the customer's other
 * outstanding tokens, stores the new password hash (lockout lifted), revokes the customer's access
 * tokens when `revokeAccessTokens`, and records the "password changed" outbox message. Returns
 * `customer_id`, or no row when the token is unknown, used, superseded or expired (nothing is
 * written then). Each table's part is its owner's SQL (customers, oauth, notification).
 *
 * Why one statement (BENCHMARKS.md, reset-confirm): the transaction this replaces took 7 round
 * trips to PostgreSQL; this takes one. A statement is atomic by itself, so the outbox row commits,
 * or not, together with the password change (transactional outbox).
 *
 * Single use under concurrency: `target` locks the token row (FOR UPDATE) if it is still usable. A
 * concurrent execution with the same token blocks on that lock; once the first commits, the row has
 * `used_at` set, so under READ COMMITTED the waiter re-checks it, `target` is empty and every other
 * part of its statement writes nothing. Each row is modified at most once per statement: the token
 * row by `consumed`, the customer's other tokens by `superseded`.
 */
export function completeResetSql(args: CompleteResetArgs): Sql {
  const customerOfToken = rawSql('(select customer_id from target)');
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
     changed as (${setPasswordSql(customerOfToken, args.passwordHash)}),
     revoked as (${revokeLiveTokensSql(sql`(select customer_id from target where ${args.revokeAccessTokens}::boolean)`)}),
     outbox as (${insertOutboxMessageSql(args.outboxId, MailJob.PasswordChanged, rawSql(`jsonb_build_object('customerId', id)`), rawSql('from changed'))})
     select id as customer_id from changed`;
}
