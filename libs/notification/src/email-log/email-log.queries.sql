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
--   $1 = "00000000-0000-4000-8000-0000000000c1"
--   $2 = "00000000-0000-4000-8000-000000000001"
--   $3 = "password-reset"
--   $4 = "admin"
--   $5 = "en"
--   $6 = "default"
--   $7 = "sent"
--   $8 = 1
--   $9 = "2026-01-01T00:00:00.000Z"
--   $10 = "sent"
--   $11 = "<m@x>"
--   $12 = null
--   $13 = null
--   $14 = null
--   $15 = "00000000-0000-4000-8000-0000000000c2"
--   $16 = "00000000-0000-4000-8000-000000000001"
--   $17 = "password-reset"
--   $18 = "admin"
--   $19 = "en"
--   $20 = "default"
--   $21 = "retrying"
--   $22 = 2
--   $23 = "2026-01-01T00:00:00.000Z"
--   $24 = "retrying"
--   $25 = null
--   $26 = null
--   $27 = "421 try later"
--   $28 = "00000000-0000-4000-8000-0000000000d1"
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
values
  (
    $1,
    $2,
    $3,
    $4,
    $5,
    $6,
    $7,
    $8,
    $9,
    case
      when $10 = 'sent' then now()
    end,
    $11,
    $12,
    $13,
    $14,
    now()
  ),
  (
    $15,
    $16,
    $17,
    $18,
    $19,
    $20,
    $21,
    $22,
    $23,
    case
      when $24 = 'sent' then now()
    end,
    $25,
    $26,
    $27,
    $28,
    now()
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
