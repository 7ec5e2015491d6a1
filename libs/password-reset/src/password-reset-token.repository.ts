import { EntityManager } from '@mikro-orm/postgresql';
import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { ResetOrigin } from './password-reset-token.entity';

export type TokenState = 'valid' | 'expired' | 'invalid';

/** The only door to the password_reset_token table. */
@Injectable()
export class PasswordResetTokenRepository {
  constructor(private readonly em: EntityManager) {}

  /**
   * Stores a new token and, atomically, removes the customer's earlier unused ones: only the
   * newest link works.
   *
   * Performance (BENCHMARKS.md): one statement (a data-modifying CTE) instead of a transaction of
   * four (BEGIN, DELETE, INSERT, COMMIT): one round trip per reset email instead of four. A single
   * statement is atomic by itself, and the DELETE and the INSERT see the same snapshot, so the
   * DELETE can never remove the row being inserted.
   */
  async replaceForCustomer(
    customerId: string,
    tokenHash: string,
    origin: ResetOrigin,
    ttlHours: number,
  ): Promise<{ id: string; expiresAt: Date }> {
    const id = randomUUID();
    const rows = await this.em.execute<{ expires_at: Date }[]>(
      `with earlier as (delete from password_reset_token where customer_id = ? and used_at is null)
       insert into password_reset_token (id, customer_id, token_hash, origin, created_at, expires_at)
       values (?, ?, ?, ?, now(), now() + ? * interval '1 hour') returning expires_at`,
      [customerId, id, customerId, tokenHash, origin, ttlHours],
    );
    return { id, expiresAt: new Date(rows[0].expires_at) };
  }

  async state(tokenHash: string): Promise<TokenState> {
    const rows = await this.em.execute<{ expired: boolean }[]>(
      'select expires_at <= now() as expired from password_reset_token where token_hash = ? and used_at is null',
      [tokenHash],
    );
    if (rows.length === 0) return 'invalid';
    return rows[0].expired ? 'expired' : 'valid';
  }

  /**
   * Completes a reset in ONE statement: consumes the token, stores the new password hash (and
   * lifts any lockout), deletes all the customer's reset tokens, revokes their access tokens when
   * `revokeAccessTokens`, and records the "password changed" outbox message. Returns the customer
   * id, or null when the token is unknown, used, superseded or expired (nothing is written then).
   *
   * Why one repository method writes four tables (BENCHMARKS.md, reset-confirm): the transaction
   * this replaces took 7 round trips to PostgreSQL (BEGIN, consume, set password, delete tokens,
   * revoke, outbox insert, COMMIT); this takes one. A single statement is atomic by itself, so the
   * outbox row still commits, or not, together with the password change (transactional outbox).
   * The other tables' own doors (CustomerRepository, AccessTokenRepository, OutboxService) point
   * here; keep the fragments below in line with them.
   *
   * Single use under concurrency: `target` locks the token row (FOR UPDATE) if it is unused and
   * unexpired. A concurrent execution with the same token blocks on that lock; once the first
   * commits, the row is gone (deleted by `consumed`), so under READ COMMITTED the waiter skips it,
   * `target` is empty and every other part of its statement writes nothing. Each row is modified
   * at most once per statement: the token row is locked, then deleted (not updated and deleted).
   */
  async consumeAndSetPassword(args: {
    tokenHash: string;
    passwordHash: string;
    revokeAccessTokens: boolean;
    outboxId: string;
    outboxJobName: string;
  }): Promise<string | null> {
    const rows = await this.em.execute<{ customer_id: string }[]>(
      `with target as materialized (
         select customer_id from password_reset_token
         where token_hash = ? and used_at is null and expires_at > now()
         for update
       ),
       consumed as (
         delete from password_reset_token where customer_id = (select customer_id from target)
       ),
       changed as ( -- CustomerRepository: new password, lockout lifted
         update customer set password_hash = ?, password_changed_at = now(), failed_login_count = 0,
           locked_until = null, updated_at = now()
         where id = (select customer_id from target)
         returning id
       ),
       revoked as ( -- AccessTokenRepository.revokeAllForCustomer
         update access_token set revoked_at = now()
         where ?::boolean and customer_id = (select customer_id from target)
           and revoked_at is null and expires_at > now()
       ),
       outbox as ( -- OutboxService.add, payload MailJobPayload<PasswordChanged>
         insert into outbox_message (id, job_name, payload, created_at)
         select ?, ?, jsonb_build_object('customerId', id), now() from changed
       )
       select id as customer_id from changed`,
      [args.tokenHash, args.passwordHash, args.revokeAccessTokens, args.outboxId, args.outboxJobName],
    );
    return rows[0]?.customer_id ?? null;
  }
}
