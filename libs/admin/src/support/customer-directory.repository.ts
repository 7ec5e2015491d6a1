import { EntityManager } from '@mikro-orm/postgresql';
import { Injectable } from '@nestjs/common';
import { CustomerView, toCustomerView } from '@customer-access/customers';

export interface CustomerSearch {
  /** Matched anywhere in the email, first name, last name or full name, case-insensitively. */
  search?: string;
  page: number;
  pageSize: number;
}

interface CustomerRow {
  id: string;
  email: string;
  first_name: string;
  last_name: string;
  locale: string;
  created_at: Date;
}

/**
 * The admin grid's read model of the customer table: a paged search projected to the columns an
 * admin may see. It selects no secret column, so none can leak from here. Writes to customers stay
 * with CustomerRepository.
 */
@Injectable()
export class CustomerDirectoryRepository {
  constructor(private readonly em: EntityManager) {}

  async search(query: CustomerSearch): Promise<{ items: CustomerView[]; total: number }> {
    const term = query.search?.normalize('NFKC').trim() ?? '';
    const pattern = `%${escapeLike(term)}%`;
    // '!' as the LIKE escape: no backslash for the SQL string, knex, and JS to disagree about.
    const where = term
      ? `where email ilike ? escape '!' or first_name ilike ? escape '!' or last_name ilike ? escape '!'
           or (first_name || ' ' || last_name) ilike ? escape '!'`
      : '';
    const params = term ? [pattern, pattern, pattern, pattern] : [];
    const [rows, count] = await Promise.all([
      this.em.execute<CustomerRow[]>(
        `select id, email, first_name, last_name, locale, created_at from customer ${where}
         order by created_at desc, id limit ? offset ?`,
        [...params, query.pageSize, (query.page - 1) * query.pageSize],
      ),
      this.em.execute<{ total: string }[]>(`select count(*) as total from customer ${where}`, params),
    ]);
    return {
      items: rows.map((r) =>
        toCustomerView({
          id: r.id,
          email: r.email,
          firstName: r.first_name,
          lastName: r.last_name,
          locale: r.locale,
          createdAt: r.created_at,
        }),
      ),
      total: Number(count[0]?.total ?? 0),
    };
  }
}

/** Makes `%`, `_` and the escape character itself match literally. */
export function escapeLike(value: string): string {
  return value.replace(/[!%_]/g, (c) => `!${c}`);
}
