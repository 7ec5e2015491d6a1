import { EntityManager } from '@mikro-orm/postgresql';
import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { CustomerContact, customerContactFromRow, CustomerSelector } from '@customer-access/customers';
import { pooledRows, selectRows } from '@customer-access/database';
import { CompleteResetArgs, PasswordResetTokenSql } from './password-reset-token.queries';
import { ResetOrigin } from './password-reset-token.entity';
import type { UsableResetToken } from './password-reset.service';

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
   * Performance (docs/performance.md, worker): one round trip and no entity hydration per email; a
   * round trip to PostgreSQL costs the worker more CPU (socket writes, wake-ups) than rendering the
   * email does. Sent on a pooled connection (pooledRows), without the ORM's and knex's layers.
   */
  async issueForCustomer(
    customer: CustomerSelector,
    tokenHash: string,
    origin: ResetOrigin,
    ttlHours: number,
  ): Promise<{ customer: CustomerContact; id: string; expiresAt: Date; webhookDeliveries: number } | null> {
    const id = randomUUID();
    const [row] = await pooledRows(
      this.em,
      PasswordResetTokenSql.issueForCustomer(customer, id, tokenHash, origin, ttlHours, randomUUID()),
    );
    if (!row) return null;
    return {
      customer: customerContactFromRow(row),
      id,
      expiresAt: new Date(row.expiresAt),
      webhookDeliveries: row.webhookDeliveries,
    };
  }

  /**
   * Whether a token may be used, and the stored language of its customer (for the reset page), in
   * one round trip (the reset page asks for both on every view).
   */
  async inspect(tokenHash: string): Promise<{ usability: TokenUsability } & Partial<UsableResetToken>> {
    const rows = await selectRows(this.em, PasswordResetTokenSql.inspect(tokenHash));
    if (rows.length === 0) return { usability: 'unknown' };
    if (rows[0].spent) return { usability: 'spent' };
    if (rows[0].expired) return { usability: 'expired' };
    return { usability: 'usable', customerLocale: rows[0].locale ?? undefined, customerEmail: rows[0].email ?? undefined };
  }

  /**
   * Runs PasswordResetTokenSql.completeReset: the customer id and how many webhook deliveries the
   * statement added, or null when the token was not usable (nothing written).
   */
  async completeReset(args: CompleteResetArgs): Promise<{ customerId: string; deliveries: number } | null> {
    const [row] = await selectRows(this.em, PasswordResetTokenSql.completeReset(args));
    return row ? { customerId: row.customerId, deliveries: row.deliveries } : null;
  }
}
