-- Generated from customer-invitation.queries.ts by `npm run db:sql` (a sample of each statement); `npm run db:check` fails when it is stale.

-- CustomerInvitationSql.uninvited
--   $1 = "00000000-0000-0000-0000-000000000000"
--   $2 = "base"
--   $3 = "base"
--   $4 = 100
select
  id,
  locale,
  store_view_code as "storeViewCode"
from
  customer
where
  password_hash = '!no-usable-password'
  and invited_at is null
  and id > $1
  and (
    $2::text is null
    or website_code = $3
  )
order by
  id
limit
  $4;

-- CustomerInvitationSql.markInvited
--   $1 = "00000000-0000-4000-8000-000000000001"
update customer
set
  invited_at = now(),
  updated_at = now()
where
  id = $1
  and invited_at is null
  and password_hash = '!no-usable-password'
returning
  id;
