-- Generated from access-token.queries.ts by `npm run db:sql` (a sample of each statement); `npm run db:check` fails when it is stale.

-- AccessTokenSql.insert
--   $1 = "00000000-0000-4000-8000-0000000000a1"
--   $2 = "00000000-0000-4000-8000-000000000001"
--   $3 = "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
--   $4 = 3600
insert into
  access_token (id, customer_id, token_hash, created_at, expires_at)
values
  ($1, $2, $3, now(), now() + $4 * interval '1 second');

-- AccessTokenSql.findActive
--   $1 = "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
select
  id,
  customer_id as "customerId"
from
  access_token
where
  token_hash = $1
  and revoked_at is null
  and expires_at > now();

-- AccessTokenSql.revokeByHash
--   $1 = "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
update access_token
set
  revoked_at = now()
where
  token_hash = $1
  and revoked_at is null;

-- AccessTokenSql.revokeLive
--   $1 = "00000000-0000-4000-8000-000000000001"
update access_token
set
  revoked_at = now()
where
  customer_id = $1
  and revoked_at is null
  and expires_at > now()
returning
  id;

-- AccessTokenSql.countActiveByCustomer
--   $1 = "00000000-0000-4000-8000-000000000001"
--   $2 = "00000000-0000-4000-8000-000000000002"
select
  customer_id as "customerId",
  count(*) as count
from
  access_token
where
  customer_id in ($1, $2)
  and revoked_at is null
  and expires_at > now()
group by
  customer_id;
