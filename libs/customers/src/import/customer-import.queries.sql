-- Generated from customer-import.queries.ts by `npm run db:sql` (a sample of each statement); `npm run db:check` fails when it is stale.

-- CustomerImportSql.startBatch
select
  (
    (
      extract(
        epoch
        from
          now()
      ) - 946684800
    ) * 1000000
  )::int8::text as "nowMicros";

-- CustomerImportSql.existing
--   $1 = "ana@example.com\nbo@example.com"
--   $2 = "base\nbase"
--   $3 = "website"
select
  t.n::int as n
from
  unnest(string_to_array($1, E'
'), string_to_array($2, E'
')) with ordinality as t (email, website_code, n)
where
  exists (
    select
      1
    from
      customer c
    where
      c.email = t.email
      and (
        $3 = 'global'
        or c.website_code = t.website_code
      )
  );

-- CustomerImportSql.lockEmails
--   $1 = "ana@example.com\nbo@example.com"
select
  count(pg_advisory_xact_lock(hashtextextended ('customer-email:' || e.email, 0)))::int as locked
from
  (
    select distinct
      email
    from
      unnest(string_to_array($1, E'
')) as t (email)
    order by
      email
  ) e;

-- CustomerImportSql.storeViews
select
  code,
  website_code as "websiteCode",
  locale
from
  store_view
order by
  website_code,
  code;

-- CustomerImportSql.settings
select
values
  ->> 'accountSharingScope' as "accountSharingScope",
values
  ->> 'defaultLocale' as "defaultLocale"
from
  settings
where
  id = 1;
