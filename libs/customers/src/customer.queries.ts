import { rawSql, Sql, sql } from '@customer-access/database';

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

/** What an email to a customer needs of the account: where it goes, whom it greets, in which language. */
export interface CustomerContact {
  id: string;
  /** The stored (normalized) address: emails go here, never to a typed one. */
  email: string;
  firstName: string;
  locale: string;
  passwordChangedAt: Date;
}

/** The columns of a CustomerContact, read by {@link customerContactFromRow}. */
const CONTACT_COLUMNS = 'id, email, first_name, locale, password_changed_at';

export interface CustomerContactRow {
  id: string;
  email: string;
  first_name: string;
  locale: string;
  password_changed_at: Date | string;
}

/** Which customer: by the stored (normalized) address, or by id. */
export type CustomerSelector = { email: string } | { id: string };

/**
 * Selects the contact of the customer `selector` names, so that a larger statement can take it
 * from a CTE; its rows go through {@link customerContactFromRow}.
 */
export const customerContactSql = (selector: CustomerSelector): Sql =>
  'email' in selector
    ? sql`select ${rawSql(CONTACT_COLUMNS)} from customer where email = ${selector.email}`
    : sql`select ${rawSql(CONTACT_COLUMNS)} from customer where id = ${selector.id}`;

export const customerContactFromRow = (row: CustomerContactRow): CustomerContact => ({
  id: row.id,
  email: row.email,
  firstName: row.first_name,
  locale: row.locale,
  passwordChangedAt: new Date(row.password_changed_at),
});

/** The stored language of the customer `customerId` selects (an SQL expression), as a scalar subquery. */
export const customerLocaleSql = (customerId: Sql): Sql => sql`(select locale from customer where id = ${customerId})`;
