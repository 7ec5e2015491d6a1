import { defineQueries, Sql, sql } from '@customer-access/database/sql';

/** The staging table's columns in the order COPY receives them (CustomerImportStaging). */
export const STAGING_COLUMNS = [
  'batch_id',
  'line',
  'email',
  'website_code',
  'store_view_code',
  'first_name',
  'last_name',
  'locale',
  'password_hash',
  'created_at',
] as const;

/** The COPY statement of a batch (text format); not EXPLAINable, so not among the queries below. */
export const COPY_INTO_STAGING = `copy customer_import_staging (${STAGING_COLUMNS.join(', ')}) from stdin`;

const EXAMPLE_BATCH = '00000000-0000-4000-8000-000000000001';

/**
 * The import's statements (docs/importing.md): each batch is COPYed into customer_import_staging,
 * then inserted into customer by one statement, then deleted, in one transaction.
 */
export const CustomerImportSql = defineQueries(
  {
    /**
     * The batch's rows that have no account yet, as new customers, in one statement. An email that
     * already has an account in that website (or, with accountSharingScope = global, in any website)
     * is skipped: by the unique index, or by the exists test. Returns the new ids.
     *
     * The ids are time-ordered (UUIDv7 layout: 48 bits of milliseconds, version 7, then random bits
     * from gen_random_uuid): each batch lands at the right edge of the primary key's btree instead of
     * on random pages all over it, which halved the statement's time at 100k rows (bench/import.js).
     * They carry the import's time, not the customer's; nothing reads an id's version.
     */
    insertBatch: (batchId: string, scope: string): Sql<{ id: string }> =>
      sql`insert into customer (id, email, website_code, store_view_code, first_name, last_name, locale, password_hash,
            password_changed_at, created_at, updated_at)
          select encode(set_bit(set_bit(overlay(uuid_send(gen_random_uuid())
                   placing substring(int8send(floor(extract(epoch from clock_timestamp()) * 1000)::bigint) from 3) from 1 for 6),
                 52, 1), 53, 1), 'hex')::uuid,
            s.email, s.website_code, s.store_view_code, s.first_name, s.last_name, s.locale, s.password_hash,
            coalesce(s.created_at, now()), coalesce(s.created_at, now()), now()
          from customer_import_staging s
          where s.batch_id = ${batchId}
            and (${scope} <> 'global' or not exists (select 1 from customer c where c.email = s.email))
          order by s.line
          on conflict (email, website_code) do nothing
          returning id`,

    /**
     * Under accountSharingScope = global: the transaction-scoped advisory lock of every address in the
     * batch, the very lock registration and an admin's email change take (CustomerSql.lockEmail, same
     * key: `customer-email:` and the normalized address), so a registration of one of these addresses
     * in another website waits for the batch's commit and then sees its row (EMAIL_TAKEN), and a batch
     * waits for a registration in progress and then skips its address. In address order, so two
     * imports at once cannot deadlock. Run before insertBatch, whose snapshot then sees what the
     * lock holders committed.
     */
    lockEmails: (batchId: string): Sql<{ locked: number }> =>
      sql`select count(pg_advisory_xact_lock(hashtextextended('customer-email:' || s.email, 0)))::int as locked
          from (select distinct email from customer_import_staging where batch_id = ${batchId} order by email) s`,

    /** What insertBatch would write (a dry run): the batch's rows without an account. */
    countNew: (batchId: string, scope: string): Sql<{ count: number }> =>
      sql`select count(*)::int as count
          from customer_import_staging s
          where s.batch_id = ${batchId}
            and not exists (select 1 from customer c where c.email = s.email and (${scope} = 'global' or c.website_code = s.website_code))`,

    /** Empties the batch's rows, in its transaction. */
    clearBatch: (batchId: string): Sql => sql`delete from customer_import_staging where batch_id = ${batchId}`,

    /** Every store view with its website and locale, for checking the rows' `_website`/`_store`. */
    storeViews: (): Sql<{ code: string; websiteCode: string; locale: string | null }> =>
      sql`select code, website_code as "websiteCode", locale from store_view order by website_code, code`,

    /** The settings the import follows (defaults when not set). */
    settings: (): Sql<{ accountSharingScope: string | null; defaultLocale: string | null }> =>
      sql`select values->>'accountSharingScope' as "accountSharingScope", values->>'defaultLocale' as "defaultLocale"
          from settings where id = 1`,
  },
  {
    insertBatch: [[EXAMPLE_BATCH, 'website']],
    lockEmails: [[EXAMPLE_BATCH]],
    countNew: [[EXAMPLE_BATCH, 'website']],
    clearBatch: [[EXAMPLE_BATCH]],
    storeViews: [[]],
    settings: [[]],
  },
);
