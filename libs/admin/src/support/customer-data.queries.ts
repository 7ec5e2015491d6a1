import { defineQueries, Sql, sql } from '@customer-access/database';

const EXAMPLE_ID = '00000000-0000-4000-8000-000000000001';

/**
 * Everything stored about one customer, across the tables that hold it (docs/api.md, "Customer data:
 * export and erasure"): GET /admin/customers/:id/export reads it, DELETE /admin/customers/:id erases
 * it. The selects name their columns: no password hash, token hash or job payload ever leaves.
 */
export const CustomerDataSql = defineQueries(
  {
    customer: (customerId: string): Sql<Record<string, unknown>> =>
      sql`select id, email, website_code as "websiteCode", store_view_code as "storeViewCode", first_name as "firstName",
            last_name as "lastName", locale, failed_login_count as "failedLoginCount", locked_until as "lockedUntil",
            password_changed_at as "passwordChangedAt", invited_at as "invitedAt", created_at as "createdAt", updated_at as "updatedAt"
          from customer where id = ${customerId}`,

    accessTokens: (customerId: string): Sql<Record<string, unknown>> =>
      sql`select id, created_at as "createdAt", expires_at as "expiresAt", revoked_at as "revokedAt"
          from access_token where customer_id = ${customerId} order by created_at`,

    passwordResetTokens: (customerId: string): Sql<Record<string, unknown>> =>
      sql`select id, origin, created_at as "createdAt", expires_at as "expiresAt", used_at as "usedAt", superseded_at as "supersededAt"
          from password_reset_token where customer_id = ${customerId} order by created_at`,

    emails: (customerId: string): Sql<Record<string, unknown>> =>
      sql`select id, template, origin, locale, store_view_code as "storeViewCode", status, attempts, requested_at as "requestedAt",
            sent_at as "sentAt", message_id as "messageId", smtp_response as "smtpResponse", last_error as "lastError", updated_at as "updatedAt"
          from email_log where customer_id = ${customerId} order by requested_at`,

    /**
     * Emails, jobs and webhook events queued about the customer (a job names them at the top, an
     * event in its `data`); the payload itself stays inside: it may name an admin.
     */
    outboxMessages: (customerId: string): Sql<Record<string, unknown>> =>
      sql`select id, job_name as "jobName", created_at as "createdAt", relayed_at as "relayedAt"
          from outbox_message where payload->>'customerId' = ${customerId} or payload->'data'->>'customerId' = ${customerId}
          order by created_at`,

    /** Webhook deliveries of events about the customer (what was sent where and when; not the body). */
    webhookDeliveries: (customerId: string): Sql<Record<string, unknown>> =>
      sql`select id, event_id as "eventId", endpoint_id as "endpointId", type, status, attempts,
            last_response_code as "lastResponseCode", created_at as "createdAt", delivered_at as "deliveredAt"
          from webhook_delivery where payload->'data'->>'customerId' = ${customerId} order by created_at`,

    /** What admins did about the customer (the admin's own identity is the admin's data, not the customer's). */
    auditEvents: (customerId: string): Sql<Record<string, unknown>> =>
      sql`select id, action, details, created_at as "createdAt"
          from admin_audit_event where customer_id = ${customerId} order by id`,

    eraseEmails: (customerId: string): Sql => sql`delete from email_log where customer_id = ${customerId}`,

    eraseOutboxMessages: (customerId: string): Sql =>
      sql`delete from outbox_message where payload->>'customerId' = ${customerId} or payload->'data'->>'customerId' = ${customerId}`,

    eraseWebhookDeliveries: (customerId: string): Sql =>
      sql`delete from webhook_delivery where payload->'data'->>'customerId' = ${customerId}`,

    /** Tokens and reset tokens go with the row (on delete cascade). */
    eraseCustomer: (customerId: string): Sql => sql`delete from customer where id = ${customerId}`,

    /** The audit trail keeps each event's action, time and the customer's id, and nothing else of theirs (an old email in `changes`). */
    scrubAuditEvents: (customerId: string): Sql =>
      sql`update admin_audit_event set details = '{}'::jsonb where customer_id = ${customerId}`,
  },
  {
    customer: [[EXAMPLE_ID]],
    accessTokens: [[EXAMPLE_ID]],
    passwordResetTokens: [[EXAMPLE_ID]],
    emails: [[EXAMPLE_ID]],
    outboxMessages: [[EXAMPLE_ID]],
    webhookDeliveries: [[EXAMPLE_ID]],
    auditEvents: [[EXAMPLE_ID]],
    eraseEmails: [[EXAMPLE_ID]],
    eraseOutboxMessages: [[EXAMPLE_ID]],
    eraseWebhookDeliveries: [[EXAMPLE_ID]],
    eraseCustomer: [[EXAMPLE_ID]],
    scrubAuditEvents: [[EXAMPLE_ID]],
  },
);
