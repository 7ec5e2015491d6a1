import { Sql, sql } from '@customer-access/database';

/** Revokes every live access token of the customer `customerId` selects (an SQL expression). */
export const revokeLiveTokensSql = (customerId: Sql): Sql =>
  sql`update access_token set revoked_at = now()
      where customer_id = ${customerId} and revoked_at is null and expires_at > now()`;
