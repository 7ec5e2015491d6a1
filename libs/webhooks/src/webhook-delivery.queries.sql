-- Generated from webhook-delivery.queries.ts by `npm run db:sql` (a sample of each statement); `npm run db:check` fails when it is stale.

-- WebhookDeliverySql.fanOut
--   $1 = "{\"id\":\"00000000-0000-4000-8000-0000000000c1\",\"type\":\"customer.created\",\"timestamp\":\"2026-12-06T10:00:00.000Z\",\"data\":{\"customerId\":\"00000000-0000-4000-8000-000000000001\"}}"
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
  (m.payload ->> 'id')::uuid,
  e.id,
  m.payload ->> 'type',
  jsonb_build_object(
    'type',
    m.payload -> 'type',
    'timestamp',
    m.payload -> 'timestamp',
    'data',
    m.payload -> 'data'
  ),
  'pending',
  0,
  now(),
  now()
from
  (
    select
      $1::jsonb as payload
  ) m
  join webhook_endpoint e on case
    when m.payload ->> 'endpointId' is not null then e.id = (m.payload ->> 'endpointId')::uuid
    else e.enabled
    and e.events @> jsonb_build_array(m.payload -> 'type')
  end
on conflict (event_id, endpoint_id) do nothing
returning
  id,
  event_id as "eventId";

-- WebhookDeliverySql.fanOutClaiming
--   $1 = 64
--   $2 = 50000
--   $3 = "{\"id\":\"00000000-0000-4000-8000-0000000000c1\",\"type\":\"customer.created\",\"timestamp\":\"2026-12-06T10:00:00.000Z\",\"data\":{\"customerId\":\"00000000-0000-4000-8000-000000000001\"}}"
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
  (m.payload ->> 'id')::uuid,
  e.id,
  m.payload ->> 'type',
  jsonb_build_object(
    'type',
    m.payload -> 'type',
    'timestamp',
    m.payload -> 'timestamp',
    'data',
    m.payload -> 'data'
  ),
  'pending',
  0,
  case
    when row_number() over () <= $1::int then clock_timestamp() + $2 * interval '1 millisecond'
    else now()
  end,
  now()
from
  (
    select
      $3::jsonb as payload
  ) m
  join webhook_endpoint e on case
    when m.payload ->> 'endpointId' is not null then e.id = (m.payload ->> 'endpointId')::uuid
    else e.enabled
    and e.events @> jsonb_build_array(m.payload -> 'type')
  end
on conflict (event_id, endpoint_id) do nothing
returning
  id,
  event_id as "eventId",
  endpoint_id as "endpointId",
  payload,
  created_at as "createdAt",
  next_attempt_at > created_at as claimed,
  next_attempt_at::text as lease;

-- WebhookDeliverySql.addedByEvent
select
  d."eventId",
  count(*)::int as deliveries,
  jsonb_agg(
    jsonb_build_object(
      'id',
      d.id,
      'eventId',
      d."eventId",
      'payload',
      d.payload,
      'attempts',
      0,
      'createdAt',
      d."createdAt",
      'lease',
      d.lease,
      'endpointId',
      e.id,
      'url',
      e.url,
      'enabled',
      e.enabled,
      'secretSealed',
      e.secret_sealed,
      'previousSecretSealed',
      case
        when e.previous_secret_expires_at > now() then e.previous_secret_sealed
      end
    )
  ) filter (
    where
      d.claimed
  ) as claimed
from
  (
    select
      id,
      event_id as "eventId",
      endpoint_id as "endpointId",
      payload,
      created_at as "createdAt",
      true as claimed,
      next_attempt_at::text as lease
    from
      webhook_delivery
  ) d
  join webhook_endpoint e on e.id = d."endpointId"
group by
  d."eventId";

-- WebhookDeliverySql.relayAndFanOut
--   $1 = "00000000-0000-4000-8000-0000000000c1"
--   $2 = "00000000-0000-4000-8000-0000000000c2"
with
  marked as (
    update outbox_message
    set
      relayed_at = now()
    where
      id in ($1, $2)
      and relayed_at is null
    returning
      payload
  ),
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
      (m.payload ->> 'id')::uuid,
      e.id,
      m.payload ->> 'type',
      jsonb_build_object(
        'type',
        m.payload -> 'type',
        'timestamp',
        m.payload -> 'timestamp',
        'data',
        m.payload -> 'data'
      ),
      'pending',
      0,
      now(),
      now()
    from
      marked m
      join webhook_endpoint e on case
        when m.payload ->> 'endpointId' is not null then e.id = (m.payload ->> 'endpointId')::uuid
        else e.enabled
        and e.events @> jsonb_build_array(m.payload -> 'type')
      end
    on conflict (event_id, endpoint_id) do nothing
    returning
      id,
      event_id as "eventId"
  )
select
  count(*)::int as deliveries
from
  added;

-- WebhookDeliverySql.fanOutOutbox
--   $1 = "00000000-0000-4000-8000-0000000000c1"
--   $2 = "00000000-0000-4000-8000-0000000000c2"
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
      (m.payload ->> 'id')::uuid,
      e.id,
      m.payload ->> 'type',
      jsonb_build_object(
        'type',
        m.payload -> 'type',
        'timestamp',
        m.payload -> 'timestamp',
        'data',
        m.payload -> 'data'
      ),
      'pending',
      0,
      now(),
      now()
    from
      (
        select
          payload
        from
          outbox_message
        where
          id in ($1, $2)
      ) m
      join webhook_endpoint e on case
        when m.payload ->> 'endpointId' is not null then e.id = (m.payload ->> 'endpointId')::uuid
        else e.enabled
        and e.events @> jsonb_build_array(m.payload -> 'type')
      end
    on conflict (event_id, endpoint_id) do nothing
    returning
      id,
      event_id as "eventId"
  )
select
  count(*)::int as deliveries
from
  added;

-- WebhookDeliverySql.fanOutEvent #1
--   $1 = "{\"id\":\"00000000-0000-4000-8000-0000000000c1\",\"type\":\"customer.created\",\"timestamp\":\"2026-12-06T10:00:00.000Z\",\"data\":{\"customerId\":\"00000000-0000-4000-8000-000000000001\"}}"
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
      (m.payload ->> 'id')::uuid,
      e.id,
      m.payload ->> 'type',
      jsonb_build_object(
        'type',
        m.payload -> 'type',
        'timestamp',
        m.payload -> 'timestamp',
        'data',
        m.payload -> 'data'
      ),
      'pending',
      0,
      now(),
      now()
    from
      (
        select
          $1::jsonb as payload
      ) m
      join webhook_endpoint e on case
        when m.payload ->> 'endpointId' is not null then e.id = (m.payload ->> 'endpointId')::uuid
        else e.enabled
        and e.events @> jsonb_build_array(m.payload -> 'type')
      end
    on conflict (event_id, endpoint_id) do nothing
    returning
      id,
      event_id as "eventId"
  )
select
  count(*)::int as deliveries
from
  added;

-- WebhookDeliverySql.fanOutEvent #2
--   $1 = "{\"id\":\"00000000-0000-4000-8000-0000000000c1\",\"type\":\"webhook.test\",\"timestamp\":\"2026-12-06T10:00:00.000Z\",\"data\":{\"customerId\":\"00000000-0000-4000-8000-000000000001\"},\"endpointId\":\"00000000-0000-4000-8000-0000000000d1\"}"
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
      (m.payload ->> 'id')::uuid,
      e.id,
      m.payload ->> 'type',
      jsonb_build_object(
        'type',
        m.payload -> 'type',
        'timestamp',
        m.payload -> 'timestamp',
        'data',
        m.payload -> 'data'
      ),
      'pending',
      0,
      now(),
      now()
    from
      (
        select
          $1::jsonb as payload
      ) m
      join webhook_endpoint e on case
        when m.payload ->> 'endpointId' is not null then e.id = (m.payload ->> 'endpointId')::uuid
        else e.enabled
        and e.events @> jsonb_build_array(m.payload -> 'type')
      end
    on conflict (event_id, endpoint_id) do nothing
    returning
      id,
      event_id as "eventId"
  )
select
  count(*)::int as deliveries
from
  added;

-- WebhookDeliverySql.claimDue
--   $1 = 32
--   $2 = 50000
with
  due as (
    select
      id
    from
      webhook_delivery
    where
      status = 'pending'
      and next_attempt_at <= now()
    order by
      next_attempt_at
    limit
      $1
    for update
      skip locked
  ),
  claimed as (
    update webhook_delivery d
    set
      next_attempt_at = clock_timestamp() + $2 * interval '1 millisecond'
    from
      due
    where
      d.id = due.id
    returning
      d.id,
      d.event_id,
      d.endpoint_id,
      d.payload,
      d.attempts,
      d.created_at,
      d.next_attempt_at
  )
select
  c.id,
  c.event_id as "eventId",
  c.payload,
  c.attempts,
  c.created_at as "createdAt",
  c.next_attempt_at::text as lease,
  e.id as "endpointId",
  e.url as "url",
  e.enabled as "enabled",
  e.secret_sealed as "secretSealed",
  case
    when e.previous_secret_expires_at > now() then e.previous_secret_sealed
  end as "previousSecretSealed"
from
  claimed c
  join webhook_endpoint e on e.id = c.endpoint_id;

-- WebhookDeliverySql.recordAttempts
--   $1 = "[{\"id\":\"00000000-0000-4000-8000-0000000000c1\",\"lease\":\"2026-12-06 10:00:50.123456+00\",\"status\":\"delivered\",\"code\":204,\"error\":null,\"next\":null},{\"id\":\"00000000-0000-4000-8000-0000000000c2\",\"lease\":\"2026-12-06 10:00:50.123456+00\",\"status\":\"pending\",\"code\":500,\"error\":\"answered 500\",\"next\":\"2026-12-06T10:00:55.000Z\"}]"
update webhook_delivery d
set
  status = a.status,
  attempts = d.attempts + 1,
  last_response_code = a.code,
  last_error = a.error,
  next_attempt_at = a.next,
  delivered_at = case
    when a.status = 'delivered' then now()
  end
from
  jsonb_to_recordset($1::jsonb) as a (id uuid, lease timestamptz, status text, code int, error text, next timestamptz)
where
  d.id = a.id
  and d.status = 'pending'
  and d.next_attempt_at = a.lease;

-- WebhookDeliverySql.releaseClaims
--   $1 = "[{\"id\":\"00000000-0000-4000-8000-0000000000c1\",\"lease\":\"2026-12-06 10:00:50.123456+00\"}]"
update webhook_delivery d
set
  next_attempt_at = now()
from
  jsonb_to_recordset($1::jsonb) as a (id uuid, lease timestamptz)
where
  d.id = a.id
  and d.status = 'pending'
  and d.next_attempt_at = a.lease;

-- WebhookDeliverySql.pendingSummary
select
  count(*)::int as pending,
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
