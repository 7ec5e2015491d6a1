import { raw } from '@mikro-orm/core';
import { EntityManager } from '@mikro-orm/postgresql';
import { Injectable } from '@nestjs/common';
import { Customer, CustomerView, toCustomerView } from '@customer-access/customers';

export interface CustomerSearch {
  /** Matched anywhere in the email, first name, last name or full name, case-insensitively. */
  search?: string;
  /** Only the customers of this website (a website code). */
  website?: string;
  page: number;
  pageSize: number;
}

/**
 * The admin grid's read model of the customer table: a paged search projected to the columns an
 * admin may see. It loads no secret column, so none can leak from here. Writes to customers stay
 * with CustomerRepository.
 */
@Injectable()
export class CustomerDirectoryRepository {
  constructor(private readonly em: EntityManager) {}

  async search(query: CustomerSearch): Promise<{ items: CustomerView[]; total: number }> {
    const term = query.search?.normalize('NFKC').trim() ?? '';
    const pattern = { $ilike: `%${escapeLike(term)}%` };
    const where = {
      ...(term
        ? { $or: [{ email: pattern }, { firstName: pattern }, { lastName: pattern }, { [raw(`first_name || ' ' || last_name`)]: pattern }] }
        : {}),
      ...(query.website ? { websiteCode: query.website } : {}),
    };
    const [customers, total] = await this.em.fork().findAndCount(Customer, where, {
      fields: ['id', 'email', 'firstName', 'lastName', 'locale', 'websiteCode', 'storeViewCode', 'createdAt'],
      // customer_created_at_idx: newest first, id as the tie-breaker for a stable order.
      orderBy: [{ createdAt: 'desc' }, { id: 'asc' }],
      limit: query.pageSize,
      offset: (query.page - 1) * query.pageSize,
    });
    return { items: customers.map(toCustomerView), total };
  }

  /** Names of the given customers (for the audit log); a deleted customer is absent. One query. */
  async namesByIds(ids: readonly string[]): Promise<Map<string, string>> {
    const unique = [...new Set(ids)];
    if (unique.length === 0) return new Map();
    const customers = await this.em.fork().find(Customer, { id: { $in: unique } }, { fields: ['id', 'firstName', 'lastName'] });
    return new Map(customers.map((c) => [c.id, `${c.firstName} ${c.lastName}`]));
  }
}

/** Makes `%`, `_` and the escape character (PostgreSQL's default, a backslash) match literally. */
export function escapeLike(value: string): string {
  return value.replace(/[\\%_]/g, (c) => `\\${c}`);
}
