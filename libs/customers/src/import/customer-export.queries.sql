-- Generated from customer-export.queries.ts by `npm run db:sql` (a sample of each statement); `npm run db:check` fails when it is stale.

-- CustomerExportSql.magento #1
select
  email,
  website_code as "_website",
  store_view_code as "_store",
  first_name as firstname,
  last_name as lastname,
  '' as password_hash,
  to_char(created_at at time zone 'UTC', 'YYYY-MM-DD HH24:MI:SS') as created_at
from
  customer
order by
  website_code,
  email;

-- CustomerExportSql.magento #2
select
  email,
  website_code as "_website",
  store_view_code as "_store",
  first_name as firstname,
  last_name as lastname,
  case
    when password_hash = '!no-usable-password' then ''
    else password_hash
  end as password_hash,
  to_char(created_at at time zone 'UTC', 'YYYY-MM-DD HH24:MI:SS') as created_at
from
  customer
order by
  website_code,
  email;

-- CustomerExportSql.ndjson #1
select
  json_strip_nulls(
    json_build_object(
      'email',
      email,
      'firstName',
      first_name,
      'lastName',
      last_name,
      'locale',
      locale,
      'website',
      website_code,
      'storeView',
      store_view_code,
      'passwordHash',
      nullif('', ''),
      'createdAt',
      to_char(created_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')
    )
  )::text as line
from
  customer
order by
  website_code,
  email;

-- CustomerExportSql.ndjson #2
select
  json_strip_nulls(
    json_build_object(
      'email',
      email,
      'firstName',
      first_name,
      'lastName',
      last_name,
      'locale',
      locale,
      'website',
      website_code,
      'storeView',
      store_view_code,
      'passwordHash',
      nullif(
        case
          when password_hash = '!no-usable-password' then ''
          else password_hash
        end,
        ''
      ),
      'createdAt',
      to_char(created_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')
    )
  )::text as line
from
  customer
order by
  website_code,
  email;

-- CustomerExportSql.count
select
  count(*)::int as count
from
  customer;
