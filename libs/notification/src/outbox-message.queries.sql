-- Generated from outbox-message.queries.ts by `npm run db:sql` (a sample of each statement); `npm run db:check` fails when it is stale.

-- OutboxMessageSql.insert #1
--   $1 = "00000000-0000-4000-8000-0000000000b1"
--   $2 = "password-changed"
insert into
  outbox_message (id, job_name, payload, created_at)
select
  $1,
  $2,
  jsonb_build_object('customerId', id),
  now()
from
  customer
limit
  1;

-- OutboxMessageSql.insert #2
--   $1 = "00000000-0000-4000-8000-0000000000b1"
--   $2 = "password-changed"
insert into
  outbox_message (id, job_name, payload, created_at, relayed_at)
select
  $1,
  $2,
  jsonb_build_object('customerId', id),
  now(),
  now()
from
  customer
limit
  1;

-- OutboxMessageSql.add
--   $1 = "00000000-0000-4000-8000-0000000000b1"
--   $2 = "password-changed"
--   $3 = "{\"customerId\":\"00000000-0000-4000-8000-000000000001\"}"
insert into
  outbox_message (id, job_name, payload, created_at)
select
  $1,
  $2,
  $3::jsonb,
  now();

-- OutboxMessageSql.lockPending
--   $1 = "00000000-0000-4000-8000-0000000000b1"
--   $2 = "00000000-0000-4000-8000-0000000000b2"
select
  id,
  job_name as "jobName",
  payload
from
  outbox_message
where
  id in ($1, $2)
  and relayed_at is null
for update
  skip locked;

-- OutboxMessageSql.lockOldestPending
--   $1 = 100
select
  id,
  job_name as "jobName",
  payload
from
  outbox_message
where
  relayed_at is null
order by
  created_at
limit
  $1
for update
  skip locked;

-- OutboxMessageSql.markPendingRelayedReturning
--   $1 = "00000000-0000-4000-8000-0000000000b1"
--   $2 = "00000000-0000-4000-8000-0000000000b2"
update outbox_message
set
  relayed_at = now()
where
  id in ($1, $2)
  and relayed_at is null
returning
  payload;

-- OutboxMessageSql.markRelayed
--   $1 = "00000000-0000-4000-8000-0000000000b1"
--   $2 = "00000000-0000-4000-8000-0000000000b2"
update outbox_message
set
  relayed_at = now()
where
  id in ($1, $2);
