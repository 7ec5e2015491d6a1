-- Generated from email-log.queries.ts by `npm run db:sql` (a sample of each statement); `npm run db:check` fails when it is stale.

-- EmailTimelineSql.forCustomer
--   $1 = "00000000-0000-4000-8000-000000000001"
--   $2 = 20
select
  l.id,
  l.template,
  l.origin,
  l.locale,
  l.store_view_code as "storeViewCode",
  l.status,
  l.attempts,
  l.requested_at as "requestedAt",
  l.sent_at as "sentAt",
  l.message_id as "messageId",
  l.last_error as "lastError",
  case
    when l.reset_token_id is null then null
    when t.id is null then 'expired'
    when t.used_at is not null then 'used'
    when t.superseded_at is not null then 'superseded'
    when t.expires_at <= now() then 'expired'
    else 'unused'
  end as link
from
  email_log l
  left join password_reset_token t on t.id = l.reset_token_id
where
  l.customer_id = $1
order by
  l.requested_at desc,
  l.id desc
limit
  $2;
