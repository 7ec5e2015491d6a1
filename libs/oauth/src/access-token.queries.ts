import { defineQueries, Row, Sql, sql } from '@customer-access/database';
import { AccessToken } from './access-token.entity';

const EXAMPLE_CUSTOMER = '00000000-0000-4000-8000-000000000001';
const EXAMPLE_HASH = 'a'.repeat(64);

/** The raw SQL of the access_token table (docs/development.md, "Raw SQL"). */
export const AccessTokenSql = defineQueries(
  {
    insert: (id: string, customerId: string, tokenHash: string, ttlSeconds: number): Sql =>
      sql`insert into access_token (id, customer_id, token_hash, created_at, expires_at)
          values (${id}, ${customerId}, ${tokenHash}, now(), now() + ${ttlSeconds} * interval '1 second')`,

    findActive: (tokenHash: string): Sql<Row<AccessToken, 'id' | 'customerId'>> =>
      sql`select id, customer_id as "customerId" from access_token
          where token_hash = ${tokenHash} and revoked_at is null and expires_at > now()`,

    revokeByHash: (tokenHash: string): Sql =>
      sql`update access_token set revoked_at = now() where token_hash = ${tokenHash} and revoked_at is null`,

    /** Revokes every live access token of the customer `customerId` (an id, or an SQL expression selecting it). */
    revokeLive: (customerId: string | Sql): Sql =>
      sql`update access_token set revoked_at = now()
          where customer_id = ${customerId} and revoked_at is null and expires_at > now()
          returning id`,

    countActiveByCustomer: (customerIds: string[]): Sql<Row<AccessToken, 'customerId'> & { count: string }> =>
      sql`select customer_id as "customerId", count(*) as count from access_token
          where customer_id in (${customerIds}) and revoked_at is null and expires_at > now() group by customer_id`,
  },
  {
    insert: [['00000000-0000-4000-8000-0000000000a1', EXAMPLE_CUSTOMER, EXAMPLE_HASH, 3600]],
    findActive: [[EXAMPLE_HASH]],
    revokeByHash: [[EXAMPLE_HASH]],
    revokeLive: [[EXAMPLE_CUSTOMER]],
    countActiveByCustomer: [[[EXAMPLE_CUSTOMER, '00000000-0000-4000-8000-000000000002']]],
  },
);
