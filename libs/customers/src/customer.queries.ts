import { Sql, sql } from '@customer-access/database';

/**
 * Stores a new password hash for the customer `customerId` selects (an SQL expression, so a
 * larger statement can take it from a CTE): the change is dated and any lockout lifted.
 * Returns the id of the changed row.
 */
export const setPasswordSql = (customerId: Sql, passwordHash: string): Sql =>
  sql`update customer set password_hash = ${passwordHash}, password_changed_at = now(), failed_login_count = 0,
        locked_until = null, updated_at = now()
      where id = ${customerId}
      returning id`;
