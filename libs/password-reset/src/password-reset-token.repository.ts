import { EntityManager } from '@mikro-orm/postgresql';
import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { CompleteResetArgs, completeResetSql } from './complete-reset.query';
import { ResetOrigin } from './password-reset-token.entity';

/** Whether a token may still be used; 'spent' = used or superseded, 'unknown' = never issued (or purged). */
export type TokenUsability = 'usable' | 'expired' | 'spent' | 'unknown';

/** The only door to the password_reset_token table. */
@Injectable()
export class PasswordResetTokenRepository {
  constructor(private readonly em: EntityManager) {}

  /**
   * Stores a new token and, atomically, supersedes the customer's outstanding ones: only the newest
   * link works.
   *
   * Performance (BENCHMARKS.md): one statement (a data-modifying CTE) instead of a transaction of
   * four (BEGIN, UPDATE, INSERT, COMMIT): one round trip per reset email instead of four. The UPDATE
   * and the INSERT see the same snapshot, so the UPDATE never touches the row being inserted.
   */
  async issueReplacing(
    customerId: string,
    tokenHash: string,
    origin: ResetOrigin,
    ttlHours: number,
  ): Promise<{ id: string; expiresAt: Date }> {
    const id = randomUUID();
    const rows = await this.em.execute<{ expires_at: Date }[]>(
      `with earlier as (
         update password_reset_token set superseded_at = now()
         where customer_id = ? and used_at is null and superseded_at is null
       )
       insert into password_reset_token (id, customer_id, token_hash, origin, created_at, expires_at)
       values (?, ?, ?, ?, now(), now() + ? * interval '1 hour') returning expires_at`,
      [customerId, id, customerId, tokenHash, origin, ttlHours],
    );
    return { id, expiresAt: new Date(rows[0].expires_at) };
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
