import { defineQueries, rawSql, Sql, sql } from '@customer-access/database/sql';
import { NO_USABLE_PASSWORD } from '../no-usable-password';

/** The stored hash, or '' (without --with-password-hashes, and for an account without a usable password). */
const hashColumn = (withHashes: boolean): Sql =>
  withHashes ? sql`case when password_hash = ${rawSql(`'${NO_USABLE_PASSWORD}'`)} then '' else password_hash end` : rawSql(`''`);

/**
 * customers:export (docs/importing.md): every customer, in the shape customers:import reads back.
 * Parameterless (COPY takes none): the statements are run as `copy (…) to stdout`, streamed.
 */
export const CustomerExportSql = defineQueries(
  {
    /** Magento 2 "Customers Main File" columns; created_at as Magento writes it (UTC). */
    magento: (withHashes: boolean): Sql =>
      sql`select email, website_code as "_website", store_view_code as "_store", first_name as firstname, last_name as lastname,
            ${hashColumn(withHashes)} as password_hash, to_char(created_at at time zone 'UTC', 'YYYY-MM-DD HH24:MI:SS') as created_at
          from customer order by website_code, email`,

    /** One JSON object a row, the NDJSON import's keys (passwordHash only with hashes, and only when usable). */
    ndjson: (withHashes: boolean): Sql =>
      sql`select json_strip_nulls(json_build_object('email', email, 'firstName', first_name, 'lastName', last_name, 'locale', locale,
            'website', website_code, 'storeView', store_view_code, 'passwordHash', nullif(${hashColumn(withHashes)}, ''),
            'createdAt', to_char(created_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')))::text as line
          from customer order by website_code, email`,

    count: (): Sql<{ count: number }> => sql`select count(*)::int as count from customer`,
  },
  { magento: [[false], [true]], ndjson: [[false], [true]], count: [[]] },
);
