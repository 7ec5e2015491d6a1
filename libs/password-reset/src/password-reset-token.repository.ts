import { EntityManager } from '@mikro-orm/postgresql';
import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import {
  CustomerContact,
  customerContactFromRow,
  CustomerContactRow,
  customerContactSql,
  customerLocaleSql,
  CustomerSelector,
} from '@customer-access/customers';
import { rawSql, sql } from '@customer-access/database';
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
   * `customer` names, supersedes their outstanding tokens and stores the new one. Null (and
   * nothing written) when no customer matches. Only the newest link works: the UPDATE and the
   * INSERT see the same snapshot, so the UPDATE never touches the row being inserted.
   *
   * Performance (BENCHMARKS.md, worker): was a MikroORM findOne and then issueReplacing, two round
   * trips and an entity hydration per email. On this machine a round trip to PostgreSQL costs the
   * worker more CPU (socket writes, wake-ups) than rendering the email does.
   */
  async issueForCustomer(
    customer: CustomerSelector,
    tokenHash: string,
    origin: ResetOrigin,
    ttlHours: number,
  ): Promise<{ customer: CustomerContact; id: string; expiresAt: Date } | null> {
    const id = randomUUID();
    const query = sql`with customer as materialized (${customerContactSql(customer)}),
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

  /**
   * Whether a token may be used, and the stored language of its customer (for the reset page), in
   * one round trip: the page used to ask twice more (the token's customer, then the customer).
   */
  async inspect(tokenHash: string): Promise<{ usability: TokenUsability; customerLocale?: string }> {
    const query = sql`select used_at is not null or superseded_at is not null as spent, expires_at <= now() as expired,
         ${customerLocaleSql(rawSql('password_reset_token.customer_id'))} as locale
       from password_reset_token where token_hash = ${tokenHash}`;
    const rows = await this.em.execute<{ spent: boolean; expired: boolean; locale: string | null }[]>(query.text, [...query.params]);
    if (rows.length === 0) return { usability: 'unknown' };
    if (rows[0].spent) return { usability: 'spent' };
    if (rows[0].expired) return { usability: 'expired' };
    return { usability: 'usable', customerLocale: rows[0].locale ?? undefined };
  }

  /** Runs completeResetSql: the customer id, or null when the token was not usable (nothing written). */
  async completeReset(args: CompleteResetArgs): Promise<string | null> {
    const { text, params } = completeResetSql(args);
    const rows = await this.em.execute<{ customer_id: string }[]>(text, [...params]);
    return rows[0]?.customer_id ?? null;
  }
}
