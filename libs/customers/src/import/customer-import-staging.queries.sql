-- Generated from customer-import-staging.queries.ts by `npm run db:sql` (a sample of each statement); `npm run db:check` fails when it is stale.

-- CustomerImportSql.insertBatch
--   $1 = "00000000-0000-4000-8000-000000000001"
--   $2 = "website"
insert into
  customer (
    id,
    email,
    website_code,
    store_view_code,
    first_name,
    last_name,
    locale,
    password_hash,
    password_changed_at,
    created_at,
    updated_at
  )
select
  encode(
    set_bit(
      set_bit(
        overlay(
          uuid_send (gen_random_uuid()) placing substring(
            int8send (
              floor(
                extract(
                  epoch
                  from
                    clock_timestamp()
                ) * 1000
              )::bigint
            )
            from
              3
          )
          from
            1 for 6
        ),
        52,
        1
      ),
      53,
      1
    ),
    'hex'
  )::uuid,
  s.email,
  s.website_code,
  s.store_view_code,
  s.first_name,
  s.last_name,
  s.locale,
  s.password_hash,
  coalesce(s.created_at, now()),
  coalesce(s.created_at, now()),
  now()
from
  customer_import_staging s
where
  s.batch_id = $1
  and (
    $2 <> 'global'
    or not exists (
      select
        1
      from
        customer c
      where
        c.email = s.email
    )
  )
order by
  s.line
on conflict (email, website_code) do nothing
returning
  id;

-- CustomerImportSql.lockEmails
--   $1 = "00000000-0000-4000-8000-000000000001"
select
  count(pg_advisory_xact_lock(hashtextextended ('customer-email:' || s.email, 0)))::int as locked
from
  (
    select distinct
      email
    from
      customer_import_staging
    where
      batch_id = $1
    order by
      email
  ) s;

-- CustomerImportSql.countNew
--   $1 = "00000000-0000-4000-8000-000000000001"
--   $2 = "website"
select
  count(*)::int as count
from
  customer_import_staging s
where
  s.batch_id = $1
  and not exists (
    select
      1
    from
      customer c
    where
      c.email = s.email
      and (
        $2 = 'global'
        or c.website_code = s.website_code
      )
  );

-- CustomerImportSql.clearBatch
--   $1 = "00000000-0000-4000-8000-000000000001"
delete from customer_import_staging
where
  batch_id = $1;

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
