-- Generated from customer-data.queries.ts by `npm run db:sql` (a sample of each statement); `npm run db:check` fails when it is stale.

-- CustomerDataSql.customer
--   $1 = "00000000-0000-4000-8000-000000000001"
select
  id,
  email,
  website_code as "websiteCode",
  store_view_code as "storeViewCode",
  first_name as "firstName",
  last_name as "lastName",
  locale,
  failed_login_count as "failedLoginCount",
  locked_until as "lockedUntil",
  password_changed_at as "passwordChangedAt",
  invited_at as "invitedAt",
  created_at as "createdAt",
  updated_at as "updatedAt"
from
  customer
where
  id = $1;

-- CustomerDataSql.accessTokens
--   $1 = "00000000-0000-4000-8000-000000000001"
select
  id,
  created_at as "createdAt",
  expires_at as "expiresAt",
  revoked_at as "revokedAt"
from
  access_token
where
  customer_id = $1
order by
  created_at;

-- CustomerDataSql.passwordResetTokens
--   $1 = "00000000-0000-4000-8000-000000000001"
select
  id,
  origin,
  created_at as "createdAt",
  expires_at as "expiresAt",
  used_at as "usedAt",
  superseded_at as "supersededAt"
from
  password_reset_token
where
  customer_id = $1
order by
  created_at;

-- CustomerDataSql.emails
--   $1 = "00000000-0000-4000-8000-000000000001"
select
  id,
  template,
  origin,
  locale,
  store_view_code as "storeViewCode",
  status,
  attempts,
  requested_at as "requestedAt",
  sent_at as "sentAt",
  message_id as "messageId",
  smtp_response as "smtpResponse",
  last_error as "lastError",
  updated_at as "updatedAt"
from
  email_log
where
  customer_id = $1
order by
  requested_at;

-- CustomerDataSql.outboxMessages
--   $1 = "00000000-0000-4000-8000-000000000001"
--   $2 = "00000000-0000-4000-8000-000000000001"
select
  id,
  job_name as "jobName",
  created_at as "createdAt",
  relayed_at as "relayedAt"
from
  outbox_message
where
  payload ->> 'customerId' = $1
  or payload -> 'data' ->> 'customerId' = $2
order by
  created_at;

-- CustomerDataSql.webhookDeliveries
--   $1 = "00000000-0000-4000-8000-000000000001"
select
  id,
  event_id as "eventId",
  endpoint_id as "endpointId",
  type,
  status,
  attempts,
  last_response_code as "lastResponseCode",
  created_at as "createdAt",
  delivered_at as "deliveredAt"
from
  webhook_delivery
where
  payload -> 'data' ->> 'customerId' = $1
order by
  created_at;

-- CustomerDataSql.auditEvents
--   $1 = "00000000-0000-4000-8000-000000000001"
select
  id,
  action,
  details,
  created_at as "createdAt"
from
  admin_audit_event
where
  customer_id = $1
order by
  id;

-- CustomerDataSql.eraseEmails
--   $1 = "00000000-0000-4000-8000-000000000001"
delete from email_log
where
  customer_id = $1;

-- CustomerDataSql.eraseOutboxMessages
--   $1 = "00000000-0000-4000-8000-000000000001"
--   $2 = "00000000-0000-4000-8000-000000000001"
delete from outbox_message
where
  payload ->> 'customerId' = $1
  or payload -> 'data' ->> 'customerId' = $2;

-- CustomerDataSql.eraseWebhookDeliveries
--   $1 = "00000000-0000-4000-8000-000000000001"
delete from webhook_delivery
where
  payload -> 'data' ->> 'customerId' = $1;

-- CustomerDataSql.eraseCustomer
--   $1 = "00000000-0000-4000-8000-000000000001"
delete from customer
where
  id = $1;

-- CustomerDataSql.scrubAuditEvents
--   $1 = "00000000-0000-4000-8000-000000000001"
update admin_audit_event
set
  details = '{}'::jsonb
where
  customer_id = $1;
