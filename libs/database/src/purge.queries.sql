-- Generated from purge.queries.ts by `npm run db:sql` (a sample of each statement); `npm run db:check` fails when it is stale.

-- PurgeSql.batch #1
--   $1 = 7776000
--   $2 = 5000
with
  gone as (
    delete from email_log
    where
      id = any (
        array(
          select
            id
          from
            email_log
          where
            requested_at < now() - make_interval(secs => $1)
          order by
            requested_at
          limit
            $2
          for update
            skip locked
        )
      )
    returning
      requested_at as aged_from
  )
select
  count(*)::int as deleted,
  max(aged_from)::text as last
from
  gone;

-- PurgeSql.batch #2
--   $1 = 7776000
--   $2 = "2026-01-01 00:00:00+00"
--   $3 = 5000
with
  gone as (
    delete from email_log
    where
      id = any (
        array(
          select
            id
          from
            email_log
          where
            requested_at < now() - make_interval(secs => $1)
            and requested_at >= $2::timestamptz
          order by
            requested_at
          limit
            $3
          for update
            skip locked
        )
      )
    returning
      requested_at as aged_from
  )
select
  count(*)::int as deleted,
  max(aged_from)::text as last
from
  gone;

-- PurgeSql.batch #3
--   $1 = "00000000-0000-4000-8000-000000000000"
--   $2 = 2592000
--   $3 = "2026-01-01 00:00:00+00"
--   $4 = 5000
with
  gone as (
    delete from webhook_delivery
    where
      id = any (
        array(
          select
            id
          from
            webhook_delivery
          where
            endpoint_id = $1
            and created_at < now() - make_interval(secs => $2)
            and created_at >= $3::timestamptz
          order by
            created_at
          limit
            $4
          for update
            skip locked
        )
      )
    returning
      created_at as aged_from
  )
select
  count(*)::int as deleted,
  max(aged_from)::text as last
from
  gone;

-- PurgeSql.parents
select
  id::text as key
from
  webhook_endpoint
order by
  id;

-- PurgeSql.oldestRowAge #1
select
  extract(
    epoch
    from
      now() - min(requested_at)
  )::float8 as age
from
  email_log;

-- PurgeSql.oldestRowAge #2
select
  extract(
    epoch
    from
      now() - min(r.aged_from)
  )::float8 as age
from
  webhook_endpoint p
  cross join lateral (
    select
      created_at as aged_from
    from
      webhook_delivery
    where
      endpoint_id = p.id
    order by
      created_at
    limit
      1
  ) r;
