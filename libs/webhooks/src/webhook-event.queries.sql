-- Generated from webhook-event.queries.ts by `npm run db:sql` (a sample of each statement); `npm run db:check` fails when it is stale.

-- WebhookEventSql.forCustomer #1
--   $1 = "00000000-0000-4000-8000-0000000000c1"
--   $2 = "webhook-event"
--   $3 = "00000000-0000-4000-8000-0000000000c1"
--   $4 = "customer.created"
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
      website_code as "websiteCode",
      store_view_code as "storeViewCode"
    from
      customer
    where
      id = '00000000-0000-4000-8000-000000000001'
  ) c
where
  true
returning
  payload;

-- WebhookEventSql.forCustomer #2
--   $1 = "00000000-0000-4000-8000-0000000000c1"
--   $2 = "webhook-event"
--   $3 = "00000000-0000-4000-8000-0000000000c1"
--   $4 = "customer.tokens.revoked"
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
    ) || jsonb_build_object('reason', 'password_reset', 'revoked', 2)
  ),
  now()
from
  (
    select
      id,
      email,
      website_code as "websiteCode",
      store_view_code as "storeViewCode"
    from
      customer
    where
      id = '00000000-0000-4000-8000-000000000001'
  ) c
where
  true
returning
  payload;

-- WebhookEventSql.forCustomer #3
--   $1 = "00000000-0000-4000-8000-0000000000c1"
--   $2 = "webhook-event"
--   $3 = "00000000-0000-4000-8000-0000000000c1"
--   $4 = "customer.password.changed"
insert into
  outbox_message (id, job_name, payload, created_at, relayed_at)
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
  now(),
  now()
from
  (
    select
      id,
      email,
      website_code as "websiteCode",
      store_view_code as "storeViewCode"
    from
      customer
    where
      id = '00000000-0000-4000-8000-000000000001'
  ) c
where
  true
returning
  payload;

-- WebhookEventSql.forCustomerWith
--   $1 = "00000000-0000-4000-8000-0000000000c1"
--   $2 = "webhook-event"
--   $3 = "00000000-0000-4000-8000-0000000000c1"
--   $4 = "customer.tokens.revoked"
--   $5 = "{\"reason\":\"force_sign_in\",\"revoked\":2}"
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
    ) || $5::jsonb
  ),
  now()
from
  (
    select
      id,
      email,
      website_code as "websiteCode",
      store_view_code as "storeViewCode"
    from
      customer
    where
      id = '00000000-0000-4000-8000-000000000001'
  ) c
where
  true
returning
  payload;

-- WebhookEventSql.test
--   $1 = "00000000-0000-4000-8000-0000000000c1"
--   $2 = "webhook-event"
--   $3 = "00000000-0000-4000-8000-0000000000c1"
--   $4 = "webhook.test"
--   $5 = "00000000-0000-4000-8000-0000000000d1"
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
    'endpointId',
    $5::text,
    'data',
    jsonb_build_object('message', 'This is a test event.')
  ),
  now();
