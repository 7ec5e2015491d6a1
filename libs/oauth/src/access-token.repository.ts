import { EntityManager } from '@mikro-orm/postgresql';
import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { runStatement, selectRows } from '@customer-access/database';
import { AccessTokenSql } from './access-token.queries';

export interface AuthenticatedCustomer {
  customerId: string;
  tokenId: string;
}

/** The only door to the access_token table. Every check hits the database, so a revocation
 *  made through any instance is in force on every instance for the very next request. */
@Injectable()
export class AccessTokenRepository {
  constructor(private readonly em: EntityManager) {}

  async insert(customerId: string, tokenHash: string, ttlSeconds: number): Promise<void> {
    await runStatement(this.em, AccessTokenSql.insert(randomUUID(), customerId, tokenHash, ttlSeconds));
  }

  async findActive(tokenHash: string): Promise<AuthenticatedCustomer | null> {
    const [row] = await selectRows(this.em, AccessTokenSql.findActive(tokenHash));
    return row ? { customerId: row.customerId, tokenId: row.id } : null;
  }

  async revokeByHash(tokenHash: string): Promise<boolean> {
    return (await runStatement(this.em, AccessTokenSql.revokeByHash(tokenHash))) > 0;
  }

  /**
   * Revokes every live token of a customer in one statement; pass a transactional `em` to join it.
   * A completed password reset runs the same SQL (AccessTokenSql.revokeLive) inside its own statement.
   */
  revokeAllForCustomer(customerId: string, em: EntityManager = this.em): Promise<number> {
    return runStatement(em, AccessTokenSql.revokeLive(customerId));
  }

  async countActiveByCustomer(customerIds: string[]): Promise<Map<string, number>> {
    const counts = new Map<string, number>(customerIds.map((id) => [id, 0]));
    if (customerIds.length === 0) return counts;
    const rows = await selectRows(this.em, AccessTokenSql.countActiveByCustomer(customerIds));
    for (const row of rows) counts.set(row.customerId, Number(row.count));
    return counts;
  }
}
