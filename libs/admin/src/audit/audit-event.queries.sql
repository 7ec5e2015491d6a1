-- Generated from audit-event.queries.ts by `npm run db:sql` (a sample of each statement); `npm run db:check` fails when it is stale.

-- AuditEventSql.insert
--   $1 = null
--   $2 = "cli"
--   $3 = "admin.unlocked"
--   $4 = null
--   $5 = null
--   $6 = "{\"targetAdminId\":\"00000000-0000-4000-8000-000000000001\",\"targetAdminEmail\":\"admin@example.com\",\"wasLocked\":true}"
insert into
  admin_audit_event (admin_id, admin_email, action, customer_id, client_ip, details)
values
  ($1, $2, $3, $4, $5, $6::jsonb);
