import { defineQueries, Sql, sql } from '@customer-access/database/sql';
import { AuditAction, CLI_ACTOR } from './audit-actions';
import type { NewAuditEvent } from './audit-event.repository';

/**
 * The audit trail's insert for the light CLI commands (admin-recovery.ts), on a plain pg connection;
 * the apps go through AuditEventRepository. The id and created_at are the database's.
 */
export const AuditEventSql = defineQueries(
  {
    insert: (event: NewAuditEvent): Sql =>
      sql`insert into admin_audit_event (admin_id, admin_email, action, customer_id, client_ip, details)
          values (${event.adminId}, ${event.adminEmail}, ${event.action}, ${event.customerId}, ${event.clientIp},
            ${JSON.stringify(event.details ?? {})}::jsonb)`,
  },
  {
    insert: [
      [
        {
          adminId: null,
          adminEmail: CLI_ACTOR,
          action: AuditAction.AdminUnlocked,
          customerId: null,
          clientIp: null,
          details: { targetAdminId: '00000000-0000-4000-8000-000000000001', targetAdminEmail: 'admin@example.com', wasLocked: true },
        },
      ],
    ],
  },
);
