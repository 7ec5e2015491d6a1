-- Generated from email-log.queries.ts by `npm run db:sql` (a sample of each statement); `npm run db:check` fails when it is stale.

-- EmailLogSql.insertQueued
--   $1 = "00000000-0000-4000-8000-0000000000c1"
--   $2 = "00000000-0000-4000-8000-000000000001"
--   $3 = "password-reset"
--   $4 = "admin"
--   $5 = "en"
--   $6 = "default"
insert into
  email_log (
    id,
    customer_id,
    template,
    origin,
    locale,
    store_view_code,
    status,
    attempts,
    requested_at,
    updated_at
  )
values
  ($1, $2, $3, $4, $5, $6, 'queued', 0, now(), now());

-- EmailLogSql.upsertAttempts
--   $1 = "[{\"id\":\"00000000-0000-4000-8000-0000000000c1\",\"customerId\":\"00000000-0000-4000-8000-000000000001\",\"template\":\"password-reset\",\"origin\":\"admin\",\"locale\":\"en\",\"storeViewCode\":\"default\",\"status\":\"sent\",\"attempts\":1,\"requestedAt\":\"2026-01-01T00:00:00.000Z\",\"messageId\":\"<m@x>\",\"smtpResponse\":null,\"lastError\":null,\"resetTokenId\":null},{\"id\":\"00000000-0000-4000-8000-0000000000c2\",\"customerId\":\"00000000-0000-4000-8000-000000000001\",\"template\":\"password-reset\",\"origin\":\"admin\",\"locale\":\"en\",\"storeViewCode\":\"default\",\"status\":\"retrying\",\"attempts\":2,\"requestedAt\":\"2026-01-01T00:00:00.000Z\",\"messageId\":null,\"smtpResponse\":null,\"lastError\":\"421 try later\",\"resetTokenId\":\"00000000-0000-4000-8000-0000000000d1\"}]"
insert into
  email_log (
    id,
    customer_id,
    template,
    origin,
    locale,
    store_view_code,
    status,
    attempts,
    requested_at,
    sent_at,
    message_id,
    smtp_response,
    last_error,
    reset_token_id,
    updated_at
  )
select
  a.id,
  a."customerId",
  a.template,
  a.origin,
  a.locale,
  a."storeViewCode",
  a.status,
  a.attempts,
  a."requestedAt",
  case
    when a.status = 'sent' then now()
  end,
  a."messageId",
  a."smtpResponse",
  a."lastError",
  a."resetTokenId",
  now()
from
  jsonb_to_recordset($1::jsonb) as a (
    id uuid,
    "customerId" uuid,
    template text,
    origin text,
    locale text,
    "storeViewCode" text,
    status text,
    attempts int,
    "requestedAt" timestamptz,
    "messageId" text,
    "smtpResponse" text,
    "lastError" text,
    "resetTokenId" uuid
  )
on conflict (id) do update
set
  locale = excluded.locale,
  store_view_code = excluded.store_view_code,
  status = excluded.status,
  attempts = excluded.attempts,
  sent_at = excluded.sent_at,
  message_id = excluded.message_id,
  smtp_response = excluded.smtp_response,
  last_error = coalesce(excluded.last_error, email_log.last_error),
  reset_token_id = coalesce(excluded.reset_token_id, email_log.reset_token_id),
  updated_at = now();
