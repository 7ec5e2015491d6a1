import { defineQueries, Sql, sql } from '@customer-access/database/sql';

/**
 * The columns a batch COPYs into `customer`, in this order (customer-import.ts writes the lines).
 * The others take their defaults: updated_at now(), failed_login_count 0, locked_until and
 * invited_at null.
 */
export const COPY_COLUMNS = [
  'id',
  'email',
  'website_code',
  'store_view_code',
  'first_name',
  'last_name',
  'locale',
  'password_hash',
  'password_changed_at',
  'created_at',
] as const;

/** The COPY of a batch's new customers (binary format); not EXPLAINable, so not among the queries below. */
export const COPY_INTO_CUSTOMER = `copy customer (${COPY_COLUMNS.join(', ')}) from stdin with (format binary)`;

/**
 * The import's statements (docs/importing.md). A batch's addresses and websites travel as one text
 * parameter each, a line per row (an email and a website code hold no line break), split by the
 * server: no per-row parameter, no array literal to build.
 */
export const CustomerImportSql = defineQueries(
  {
    /**
     * The start of a batch's transaction: the transaction's time, which rows without created_at get,
     * in microseconds since 2000-01-01 UTC (a timestamptz in COPY's binary format).
     */
    startBatch: (): Sql<{ nowMicros: string }> =>
      sql`select ((extract(epoch from now()) - 946684800) * 1000000)::int8::text as "nowMicros"`,

    /**
     * The rows of a batch (1-based, in the order given) whose address already has an account in that
     * website (in any website with accountSharingScope = global): these are skipped, the rest COPYed.
     */
    existing: (emails: string, websiteCodes: string, scope: string): Sql<{ n: number }> =>
      sql`select t.n::int as n
          from unnest(string_to_array(${emails}, E'\n'), string_to_array(${websiteCodes}, E'\n')) with ordinality as t(email, website_code, n)
          where exists (select 1 from customer c where c.email = t.email and (${scope} = 'global' or c.website_code = t.website_code))`,

    /**
     * Under accountSharingScope = global: the transaction-scoped advisory lock of every address in the
     * batch, the very lock registration and an admin's email change take (CustomerSql.lockEmail, same
     * key: `customer-email:` and the normalized address), so a registration of one of these addresses
     * in another website waits for the batch's commit and then sees its row (EMAIL_TAKEN), and a batch
     * waits for a registration in progress and then skips its address. In address order, so two
     * imports at once cannot deadlock. Run before `existing`, which then sees what the lock holders
     * committed.
     */
    lockEmails: (emails: string): Sql<{ locked: number }> =>
      sql`select count(pg_advisory_xact_lock(hashtextextended('customer-email:' || e.email, 0)))::int as locked
          from (select distinct email from unnest(string_to_array(${emails}, E'\n')) as t(email) order by email) e`,

    /** Every store view with its website and locale, for checking the rows' `_website`/`_store`. */
    storeViews: (): Sql<{ code: string; websiteCode: string; locale: string | null }> =>
      sql`select code, website_code as "websiteCode", locale from store_view order by website_code, code`,

    /** The settings the import follows (defaults when not set). */
    settings: (): Sql<{ accountSharingScope: string | null; defaultLocale: string | null }> =>
      sql`select values->>'accountSharingScope' as "accountSharingScope", values->>'defaultLocale' as "defaultLocale"
          from settings where id = 1`,
  },
  {
    startBatch: [[]],
    existing: [['ana@example.com\nbo@example.com', 'base\nbase', 'website']],
    lockEmails: [['ana@example.com\nbo@example.com']],
    storeViews: [[]],
    settings: [[]],
  },
);
