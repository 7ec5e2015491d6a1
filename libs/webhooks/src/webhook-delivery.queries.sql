-- Generated from webhook-delivery.queries.ts by `npm run db:sql` (a sample of each statement); `npm run db:check` fails when it is stale.

-- WebhookDeliverySql.fanOut #1
--   $1 = "00000000-0000-4000-8000-0000000000c1"
--   $2 = "customer.created"
--   $3 = "{\"type\":\"customer.created\",\"timestamp\":\"2026-12-06T10:00:00.000Z\",\"data\":{\"customerId\":\"00000000-0000-4000-8000-000000000001\"}}"
--   $4 = "customer.created"
--   $5 = "00000000-0000-4000-8000-0000000000c1"
with
  added as (
    insert into
      webhook_delivery (
        id,
        event_id,
        endpoint_id,
        type,
        payload,
        status,
        attempts,
        next_attempt_at,
        created_at
      )
    select
      gen_random_uuid(),
      $1,
      e.id,
      $2,
      $3::jsonb,
      'pending',
      0,
      now(),
      now()
    from
      webhook_endpoint e
    where
      e.enabled
      and e.events @> jsonb_build_array($4::text)
    on conflict (event_id, endpoint_id) do nothing
    returning
      id
  )
select
  id
from
  added
union
select
  id
from
  webhook_delivery
where
  event_id = $5
  and status = 'pending';

-- WebhookDeliverySql.fanOut #2
--   $1 = "00000000-0000-4000-8000-0000000000c1"
--   $2 = "webhook.test"
--   $3 = "{\"type\":\"webhook.test\",\"timestamp\":\"2026-12-06T10:00:00.000Z\",\"data\":{\"customerId\":\"00000000-0000-4000-8000-000000000001\"}}"
--   $4 = "00000000-0000-4000-8000-0000000000d1"
--   $5 = "00000000-0000-4000-8000-0000000000c1"
with
  added as (
    insert into
      webhook_delivery (
        id,
        event_id,
        endpoint_id,
        type,
        payload,
        status,
        attempts,
        next_attempt_at,
        created_at
      )
    select
      gen_random_uuid(),
      $1,
      e.id,
      $2,
      $3::jsonb,
      'pending',
      0,
      now(),
      now()
    from
      webhook_endpoint e
    where
      e.id = $4
    on conflict (event_id, endpoint_id) do nothing
    returning
      id
  )
select
  id
from
  added
union
select
  id
from
  webhook_delivery
where
  event_id = $5
  and status = 'pending';

-- WebhookDeliverySql.oldestPendingAge
select
  coalesce(
    extract(
      epoch
      from
        now() - min(created_at)
    ),
    0
  )::float8 as seconds
from
  webhook_delivery
where
  status = 'pending';
