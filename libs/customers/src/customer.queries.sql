-- Generated from customer.queries.ts by `npm run db:sql` (a sample of each statement); `npm run db:check` fails when it is stale.

-- CustomerSql.contact #1
--   $1 = "ana@example.com"
--   $2 = "base"
select
  id,
  email,
  first_name as "firstName",
  last_name as "lastName",
  locale,
  password_changed_at as "passwordChangedAt",
  website_code as "websiteCode",
  store_view_code as "storeViewCode"
from
  customer
where
  email = $1
  and website_code = $2;

-- CustomerSql.contact #2
--   $1 = "ana@example.com"
select
  id,
  email,
  first_name as "firstName",
  last_name as "lastName",
  locale,
  password_changed_at as "passwordChangedAt",
  website_code as "websiteCode",
  store_view_code as "storeViewCode"
from
  customer
where
  email = $1
order by
  created_at
limit
  1;

-- CustomerSql.contact #3
--   $1 = "00000000-0000-4000-8000-000000000001"
select
  id,
  email,
  first_name as "firstName",
  last_name as "lastName",
  locale,
  password_changed_at as "passwordChangedAt",
  website_code as "websiteCode",
  store_view_code as "storeViewCode"
from
  customer
where
  id = $1;

-- CustomerSql.contactsOf
select
  s.n,
  c.*
from
  (
    select
      1 as n,
      null::uuid as "customerId",
      'ana@example.com'::text as email,
      'base'::text as "websiteCode"
  ) s
  cross join lateral (
    (
      select
        id,
        email,
        first_name as "firstName",
        last_name as "lastName",
        locale,
        password_changed_at as "passwordChangedAt",
        website_code as "websiteCode",
        store_view_code as "storeViewCode"
      from
        customer
      where
        id = s."customerId"
    )
    union all
    (
      select
        id,
        email,
        first_name as "firstName",
        last_name as "lastName",
        locale,
        password_changed_at as "passwordChangedAt",
        website_code as "websiteCode",
        store_view_code as "storeViewCode"
      from
        customer
      where
        email = s.email
        and website_code = s."websiteCode"
    )
    union all
    (
      select
        id,
        email,
        first_name as "firstName",
        last_name as "lastName",
        locale,
        password_changed_at as "passwordChangedAt",
        website_code as "websiteCode",
        store_view_code as "storeViewCode"
      from
        customer
      where
        s."customerId" is null
        and s."websiteCode" is null
        and email = s.email
      order by
        created_at
      limit
        1
    )
  ) c;

-- CustomerSql.locale
--   $1 = "00000000-0000-4000-8000-000000000001"
select
  locale
from
  customer
where
  id = $1;

-- CustomerSql.email
--   $1 = "00000000-0000-4000-8000-000000000001"
select
  email
from
  customer
where
  id = $1;

-- CustomerSql.setPassword
--   $1 = "$argon2id$v=19$m=19456,t=2,p=1$c2FsdA$aGFzaA"
--   $2 = "00000000-0000-4000-8000-000000000001"
update customer
set
  password_hash = $1,
  password_changed_at = now(),
  failed_login_count = 0,
  locked_until = null,
  updated_at = now()
where
  id = $2
returning
  id;

-- CustomerSql.recordFailedLogin
--   $1 = 5
--   $2 = 15
--   $3 = 5
--   $4 = "00000000-0000-4000-8000-000000000001"
--   $5 = "00000000-0000-4000-8000-0000000000c1"
--   $6 = "webhook-event"
--   $7 = "00000000-0000-4000-8000-0000000000c1"
--   $8 = "customer.locked"
with
  counted as (
    update customer
    set
      locked_until = case
        when failed_login_count + 1 >= $1 then now() + $2 * interval '1 minute'
        else locked_until
      end,
      failed_login_count = case
        when failed_login_count + 1 >= $3 then 0
        else failed_login_count + 1
      end,
      updated_at = now()
    where
      id = $4
    returning
      id,
      email,
      first_name as "firstName",
      last_name as "lastName",
      locale,
      password_changed_at as "passwordChangedAt",
      website_code as "websiteCode",
      store_view_code as "storeViewCode",
      locked_until as "lockedUntil",
      failed_login_count = 0
      and locked_until > now() as "justLocked"
  )
insert into
  outbox_message (id, job_name, payload, created_at)
select
  $5,
  $6,
  jsonb_build_object(
    'id',
    $7::text,
    'type',
    $8::text,
    'timestamp',
    to_char(now() at time zone 'utc', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'),
    'data',
    jsonb_build_object(
      'customerId',
      c.id,
      'email',
      c.email,
      'websiteCode',
      c."websiteCode",
      'storeViewCode',
      c."storeViewCode"
    ) || jsonb_build_object('lockedUntil', c."lockedUntil")
  ),
  now()
from
  (
    select
      *
    from
      counted
  ) c
where
  c."justLocked"
returning
  payload;

-- CustomerSql.createdEvent
--   $1 = "00000000-0000-4000-8000-0000000000c1"
--   $2 = "webhook-event"
--   $3 = "00000000-0000-4000-8000-0000000000c1"
--   $4 = "customer.created"
--   $5 = "00000000-0000-4000-8000-000000000001"
insert into
  outbox_message (id, job_name, payload, created_at)
select
  $1,
  $2,
  jsonb_build_object(
    'id',
    $3::text,
    'type',
    $4::text,
    'timestamp',
    to_char(now() at time zone 'utc', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'),
    'data',
    jsonb_build_object(
      'customerId',
      c.id,
      'email',
      c.email,
      'websiteCode',
      c."websiteCode",
      'storeViewCode',
      c."storeViewCode"
    ) || '{}'::jsonb
  ),
  now()
from
  (
    select
      id,
      email,
      first_name as "firstName",
      last_name as "lastName",
      locale,
      password_changed_at as "passwordChangedAt",
      website_code as "websiteCode",
      store_view_code as "storeViewCode"
    from
      customer
    where
      id = $5
  ) c
where
  true
returning
  payload;

-- CustomerSql.replaceLegacyPasswordHash
--   $1 = "$argon2id$v=19$m=19456,t=2,p=1$c2FsdA$aGFzaA"
--   $2 = "00000000-0000-4000-8000-000000000001"
--   $3 = "a853b06f077b686f8a3af80c98acfca763cf10c0e03597c67e756f1c782d1ab0:8qnyO4H1OYIfGCUb:1"
update customer
set
  password_hash = $1,
  updated_at = now()
where
  id = $2
  and password_hash = $3
returning
  id;

-- CustomerSql.clearFailedLogins
--   $1 = "00000000-0000-4000-8000-000000000001"
update customer
set
  failed_login_count = 0,
  updated_at = now()
where
  id = $1
  and failed_login_count > 0;

-- CustomerSql.lockEmail
--   $1 = "customer-email:ana@example.com"
select
  pg_advisory_xact_lock(hashtextextended ($1, 0));

-- CustomerSql.emailExists
--   $1 = "ana@example.com"
select
  exists (
    select
      1
    from
      customer
    where
      email = $1
  ) as found;

-- CustomerSql.emailInTwoWebsites
select
  exists (
    select
      1
    from
      customer a
      join customer b on b.email = a.email
      and b.website_code > a.website_code
  ) as found;

-- CustomerSql.lockSharingScopeShared
--   $1 = "customer-access:account-sharing-scope"
select
  pg_advisory_xact_lock_shared(hashtextextended ($1, 0));

-- CustomerSql.lockSharingScopeExclusive
--   $1 = "customer-access:account-sharing-scope"
select
  pg_advisory_xact_lock(hashtextextended ($1, 0));

-- CustomerSql.sharingScopeIsGlobal
select
  coalesce(
    (
      select
        "values" ->> 'accountSharingScope' = 'global'
      from
        settings
      where
        id = 1
    ),
    false
  ) as global;
