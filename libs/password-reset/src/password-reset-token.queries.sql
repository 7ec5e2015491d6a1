-- Generated from password-reset-token.queries.ts by `npm run db:sql` (a sample of each statement); `npm run db:check` fails when it is stale.

-- PasswordResetTokenSql.issueForCustomers
--   $1 = "[{\"n\":0,\"email\":\"ana@example.com\",\"websiteCode\":\"base\",\"tokenId\":\"00000000-0000-4000-8000-0000000000e1\",\"tokenHash\":\"bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb\",\"origin\":\"storefront\",\"ttlHours\":1,\"eventId\":\"00000000-0000-4000-8000-0000000000c1\"},{\"n\":1,\"customerId\":\"00000000-0000-4000-8000-000000000001\",\"tokenId\":\"00000000-0000-4000-8000-0000000000e2\",\"tokenHash\":\"bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb\",\"origin\":\"admin\",\"ttlHours\":1,\"eventId\":\"00000000-0000-4000-8000-0000000000c2\"}]"
--   $2 = "webhook-event"
--   $3 = "customer.password_reset.requested"
--   $4 = 64
--   $5 = 50000
with
  job as materialized (
    select
      *
    from
      jsonb_to_recordset($1::jsonb) as j (
        n int,
        "customerId" uuid,
        email text,
        "websiteCode" text,
        "tokenId" uuid,
        "tokenHash" text,
        origin text,
        "ttlHours" numeric,
        "eventId" uuid
      )
  ),
  customer as materialized (
    select
      s.n,
      c.*
    from
      job s
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
      ) c
  ),
  earlier as (
    update password_reset_token
    set
      superseded_at = now()
    where
      customer_id = any (
        array(
          select
            id
          from
            customer
        )
      )
      and used_at is null
      and superseded_at is null
  ),
  issued as (
    insert into
      password_reset_token (id, customer_id, token_hash, origin, created_at, expires_at, superseded_at)
    select
      job."tokenId",
      customer.id,
      job."tokenHash",
      job.origin,
      now(),
      now() + job."ttlHours" * interval '1 hour',
      case
        when row_number() over (
          partition by
            customer.id
          order by
            customer.n desc
        ) > 1 then now()
      end
    from
      customer
      join job using (n)
    returning
      id,
      expires_at
  ),
  event as (
    insert into
      outbox_message (id, job_name, payload, created_at, relayed_at)
    select
      c."eventId",
      $2,
      jsonb_build_object(
        'id',
        c."eventId"::text,
        'type',
        $3::text,
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
          customer.*,
          job."eventId"
        from
          customer
          join job using (n)
      ) c
    where
      true
    returning
      payload
  ),
  deliveries as (
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
        when row_number() over () <= $4::int then clock_timestamp() + $5 * interval '1 millisecond'
        else now()
      end,
      now()
    from
      event m
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
      next_attempt_at::text as lease
  ),
  added as (
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
      deliveries d
      join webhook_endpoint e on e.id = d."endpointId"
    group by
      d."eventId"
  )
select
  customer.*,
  issued.expires_at as "expiresAt",
  coalesce(added.deliveries, 0) as "webhookDeliveries",
  added.claimed as "claimedDeliveries"
from
  customer
  join job using (n)
  join issued on issued.id = job."tokenId"
  left join added on added."eventId" = job."eventId";

-- PasswordResetTokenSql.inspect
--   $1 = "bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb"
select
  used_at is not null
  or superseded_at is not null as spent,
  expires_at <= now() as expired,
  (
    select
      locale
    from
      customer
    where
      id = password_reset_token.customer_id
  ) as locale,
  (
    select
      email
    from
      customer
    where
      id = password_reset_token.customer_id
  ) as email
from
  password_reset_token
where
  token_hash = $1;

-- PasswordResetTokenSql.completeReset
--   $1 = "bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb"
--   $2 = "$argon2id$v=19$m=19456,t=2,p=1$c2FsdA$aGFzaA"
--   $3 = true
--   $4 = "00000000-0000-4000-8000-0000000000b1"
--   $5 = "password-changed"
--   $6 = "00000000-0000-4000-8000-0000000000c1"
--   $7 = "webhook-event"
--   $8 = "00000000-0000-4000-8000-0000000000c1"
--   $9 = "customer.password.changed"
--   $10 = "00000000-0000-4000-8000-0000000000c2"
--   $11 = "webhook-event"
--   $12 = "00000000-0000-4000-8000-0000000000c2"
--   $13 = "customer.tokens.revoked"
with
  target as materialized (
    select
      id,
      customer_id
    from
      password_reset_token
    where
      token_hash = $1
      and used_at is null
      and superseded_at is null
      and expires_at > now()
    for update
  ),
  consumed as (
    update password_reset_token
    set
      used_at = now()
    where
      id = (
        select
          id
        from
          target
      )
  ),
  superseded as (
    update password_reset_token
    set
      superseded_at = now()
    where
      customer_id = (
        select
          customer_id
        from
          target
      )
      and id <> (
        select
          id
        from
          target
      )
      and used_at is null
      and superseded_at is null
  ),
  changed as (
    update customer
    set
      password_hash = $2,
      password_changed_at = now(),
      failed_login_count = 0,
      locked_until = null,
      updated_at = now()
    where
      id = (
        select
          customer_id
        from
          target
      )
    returning
      id
  ),
  revoked as (
    update access_token
    set
      revoked_at = now()
    where
      customer_id = (
        select
          customer_id
        from
          target
        where
          $3::boolean
      )
      and revoked_at is null
      and expires_at > now()
    returning
      id
  ),
  outbox as (
    insert into
      outbox_message (id, job_name, payload, created_at)
    select
      $4,
      $5,
      jsonb_build_object('customerId', id),
      now()
    from
      changed
  ),
  changed_event as (
    insert into
      outbox_message (id, job_name, payload, created_at, relayed_at)
    select
      $6,
      $7,
      jsonb_build_object(
        'id',
        $8::text,
        'type',
        $9::text,
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
          first_name as "firstName",
          last_name as "lastName",
          locale,
          password_changed_at as "passwordChangedAt",
          website_code as "websiteCode",
          store_view_code as "storeViewCode"
        from
          customer
        where
          id = (
            select
              id
            from
              changed
          )
      ) c
    where
      true
    returning
      payload
  ),
  revoked_event as (
    insert into
      outbox_message (id, job_name, payload, created_at, relayed_at)
    select
      $10,
      $11,
      jsonb_build_object(
        'id',
        $12::text,
        'type',
        $13::text,
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
        ) || jsonb_build_object(
          'reason',
          'password_reset',
          'revoked',
          (
            select
              count(*)
            from
              revoked
          )
        )
      ),
      now(),
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
          id = (
            select
              id
            from
              changed
          )
      ) c
    where
      (
        select
          count(*)
        from
          revoked
      ) > 0
    returning
      payload
  ),
  deliveries as (
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
          changed_event
        union all
        select
          payload
        from
          revoked_event
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
  id as "customerId",
  (
    select
      count(*)::int
    from
      deliveries
  ) as deliveries
from
  changed;
