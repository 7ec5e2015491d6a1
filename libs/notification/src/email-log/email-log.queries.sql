-- Generated from email-log.queries.ts by `npm run db:sql` (a sample of each statement); `npm run db:check` fails when it is stale.

-- EmailLogSql.insertQueued
--   $1 = "00000000-0000-4000-8000-0000000000c1"
--   $2 = "00000000-0000-4000-8000-000000000001"
--   $3 = "password-reset"
--   $4 = "admin"
--   $5 = "en"
insert into
  email_log (
    id,
    customer_id,
    template,
    origin,
    locale,
    status,
    attempts,
    requested_at,
    updated_at
  )
values
  ($1, $2, $3, $4, $5, 'queued', 0, now(), now());

-- EmailLogSql.upsertAttempts
--   $1 = "00000000-0000-4000-8000-0000000000c1"
--   $2 = "00000000-0000-4000-8000-000000000001"
--   $3 = "password-reset"
--   $4 = "admin"
--   $5 = "en"
--   $6 = "sent"
--   $7 = 1
--   $8 = "2026-01-01T00:00:00.000Z"
--   $9 = "sent"
--   $10 = "<m@x>"
--   $11 = null
--   $12 = null
--   $13 = null
--   $14 = "00000000-0000-4000-8000-0000000000c2"
--   $15 = "00000000-0000-4000-8000-000000000001"
--   $16 = "password-reset"
--   $17 = "admin"
--   $18 = "en"
--   $19 = "retrying"
--   $20 = 2
--   $21 = "2026-01-01T00:00:00.000Z"
--   $22 = "retrying"
--   $23 = null
--   $24 = null
--   $25 = "421 try later"
--   $26 = "00000000-0000-4000-8000-0000000000d1"
insert into
  email_log (
    id,
    customer_id,
    template,
    origin,
    locale,
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
    case
      when $9 = 'sent' then now()
    end,
    $10,
    $11,
    $12,
    $13,
    now()
  ),
  (
    $14,
    $15,
    $16,
    $17,
    $18,
    $19,
    $20,
    $21,
    case
      when $22 = 'sent' then now()
    end,
    $23,
    $24,
    $25,
    $26,
    now()
  )
on conflict (id) do update
set
  locale = excluded.locale,
  status = excluded.status,
  attempts = excluded.attempts,
  sent_at = excluded.sent_at,
  message_id = excluded.message_id,
  smtp_response = excluded.smtp_response,
  last_error = coalesce(excluded.last_error, email_log.last_error),
  reset_token_id = coalesce(excluded.reset_token_id, email_log.reset_token_id),
  updated_at = now();
