import { QueryResult } from '@mikro-orm/core';
import { EntityManager } from '@mikro-orm/postgresql';
import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { sql } from '@customer-access/database';
import { revokeLiveTokensSql } from './access-token.queries';

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
    await this.em.execute(
      `insert into access_token (id, customer_id, token_hash, created_at, expires_at)
       values (?, ?, ?, now(), now() + ? * interval '1 second')`,
      [randomUUID(), customerId, tokenHash, ttlSeconds],
      'run',
    );
  }

  async findActive(tokenHash: string): Promise<AuthenticatedCustomer | null> {
    const rows = await this.em.execute<{ id: string; customer_id: string }[]>(
      'select id, customer_id from access_token where token_hash = ? and revoked_at is null and expires_at > now()',
      [tokenHash],
    );
    return rows[0] ? { customerId: rows[0].customer_id, tokenId: rows[0].id } : null;
  }

  async revokeByHash(tokenHash: string): Promise<boolean> {
    const result = await this.em.execute<QueryResult>(
      'update access_token set revoked_at = now() where token_hash = ? and revoked_at is null',
      [tokenHash],
      'run',
    );
    return result.affectedRows > 0;
  }

  /**
   * Revokes every live token of a customer in one statement; pass a transactional `em` to join it.
   * A completed password reset runs the same SQL (revokeLiveTokensSql) inside its own statement.
   */
  async revokeAllForCustomer(customerId: string, em: EntityManager = this.em): Promise<number> {
    const { text, params } = revokeLiveTokensSql(sql`${customerId}`);
    const result = await em.execute<QueryResult>(text, [...params], 'run');
    return result.affectedRows;
  }

  async countActiveByCustomer(customerIds: string[]): Promise<Map<string, number>> {
    const counts = new Map<string, number>(customerIds.map((id) => [id, 0]));
    if (customerIds.length === 0) return counts;
    const rows = await this.em.execute<{ customer_id: string; count: string }[]>(
      `select customer_id, count(*) as count from access_token
       where customer_id in (?) and revoked_at is null and expires_at > now() group by customer_id`,
      [customerIds],
    );
    for (const row of rows) counts.set(row.customer_id, Number(row.count));
    return counts;
  }
}
