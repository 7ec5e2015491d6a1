import { EntityManager } from '@mikro-orm/postgresql';
import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { CustomerContact, customerContactFromRow, CustomerContactRow, customerContactSql } from '@customer-access/customers';
import { Sql, sql } from '@customer-access/database';
import { CompleteResetArgs, completeResetSql } from './complete-reset.query';
import { ResetOrigin } from './password-reset-token.entity';

/** Whether a token may still be used; 'spent' = used or superseded, 'unknown' = never issued (or purged). */
export type TokenUsability = 'usable' | 'expired' | 'spent' | 'unknown';

/** The only door to the password_reset_token table. */
@Injectable()
export class PasswordResetTokenRepository {
  constructor(private readonly em: EntityManager) {}

  /**
   * The worker's whole database work before a reset email, in ONE statement: finds the customer
   * `customerWhere` names, supersedes their outstanding tokens and stores the new one. Null (and
   * nothing written) when no customer matches. Only the newest link works: the UPDATE and the
   * INSERT see the same snapshot, so the UPDATE never touches the row being inserted.
   *
   * Performance (BENCHMARKS.md, worker): was a MikroORM findOne and then issueReplacing, two round
   * trips and an entity hydration per email. On this machine a round trip to PostgreSQL costs the
   * worker more CPU (socket writes, wake-ups) than rendering the email does.
   */
  async issueForCustomerWhere(
    customerWhere: Sql,
    tokenHash: string,
    origin: ResetOrigin,
    ttlHours: number,
  ): Promise<{ customer: CustomerContact; id: string; expiresAt: Date } | null> {
    const id = randomUUID();
    const query = sql`with customer as materialized (${customerContactSql(customerWhere)}),
       earlier as (
         update password_reset_token set superseded_at = now()
         where customer_id = (select id from customer) and used_at is null and superseded_at is null
       ),
       issued as (
         insert into password_reset_token (id, customer_id, token_hash, origin, created_at, expires_at)
         select ${id}, id, ${tokenHash}, ${origin}, now(), now() + ${ttlHours} * interval '1 hour' from customer
         returning expires_at
       )
       select customer.*, issued.expires_at from customer cross join issued`;
    const rows = await this.em.execute<Array<CustomerContactRow & { expires_at: Date }>>(query.text, [...query.params]);
    if (!rows[0]) return null;
    return { customer: customerContactFromRow(rows[0]), id, expiresAt: new Date(rows[0].expires_at) };
  }

  async usabilityOf(tokenHash: string): Promise<TokenUsability> {
    const rows = await this.em.execute<{ spent: boolean; expired: boolean }[]>(
      `select used_at is not null or superseded_at is not null as spent, expires_at <= now() as expired
       from password_reset_token where token_hash = ?`,
      [tokenHash],
    );
    if (rows.length === 0) return 'unknown';
    if (rows[0].spent) return 'spent';
    return rows[0].expired ? 'expired' : 'usable';
  }

  /** The customer a usable token belongs to, or null (unknown, used, superseded or expired). */
  async customerOfUsable(tokenHash: string): Promise<string | null> {
    const rows = await this.em.execute<{ customer_id: string }[]>(
      `select customer_id from password_reset_token
       where token_hash = ? and used_at is null and superseded_at is null and expires_at > now()`,
      [tokenHash],
    );
    return rows[0]?.customer_id ?? null;
  }

  /** Runs completeResetSql: the customer id, or null when the token was not usable (nothing written). */
  async completeReset(args: CompleteResetArgs): Promise<string | null> {
    const { text, params } = completeResetSql(args);
    const rows = await this.em.execute<{ customer_id: string }[]>(text, [...params]);
    return rows[0]?.customer_id ?? null;
  }
}
