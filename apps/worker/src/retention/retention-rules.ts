import { RetentionConfig } from '@customer-access/config';
import { PurgeTarget } from '@customer-access/database';
import { ACCESS_TOKEN_RETIRED_AT } from '@customer-access/oauth';

/**
 * Every table that grows with traffic, and the instant from which each of its rows ages. The
 * index named here is declared on the table's entity (one source of the schema).
 */
export const PURGE_TARGETS = {
  accessTokens: { table: 'access_token', key: 'id', agedFrom: ACCESS_TOKEN_RETIRED_AT, index: 'access_token_retired_at_idx' },
  resetTokens: { table: 'password_reset_token', key: 'id', agedFrom: 'expires_at', index: 'password_reset_token_expires_at_idx' },
  emailLog: { table: 'email_log', key: 'id', agedFrom: 'requested_at', index: 'email_log_requested_at_idx' },
  auditEvents: { table: 'admin_audit_event', key: 'id', agedFrom: 'created_at', index: 'admin_audit_event_created_at_idx' },
  outbox: { table: 'outbox_message', key: 'id', agedFrom: 'relayed_at', index: 'outbox_message_relayed_at_idx' },
  // Per endpoint (few), through the endpoint's deliveries index: no index of its own on created_at.
  webhookDeliveries: {
    table: 'webhook_delivery',
    key: 'id',
    agedFrom: 'created_at',
    index: 'webhook_delivery_endpoint_created_idx',
    per: { table: 'webhook_endpoint', key: 'id', column: 'endpoint_id' },
  },
} satisfies Record<string, PurgeTarget>;

/** Relayed outbox rows are only kept to trace a relay; a day, as before (not configurable). */
export const OUTBOX_RETENTION_HOURS = 24;

export interface RetentionRule {
  target: PurgeTarget;
  /** How long a row is kept after `agedFrom`; 0 = forever (never purged). */
  keepForSeconds: number;
}

const HOUR = 3600;
const DAY = 24 * HOUR;

/** The rules in force, from the environment (docs/configuration.md). Order = purge order. */
export function retentionRules(config: RetentionConfig): RetentionRule[] {
  return [
    { target: PURGE_TARGETS.accessTokens, keepForSeconds: config.accessTokenHours * HOUR },
    { target: PURGE_TARGETS.resetTokens, keepForSeconds: config.resetTokenHours * HOUR },
    { target: PURGE_TARGETS.emailLog, keepForSeconds: config.emailLogDays * DAY },
    { target: PURGE_TARGETS.auditEvents, keepForSeconds: config.auditDays * DAY },
    { target: PURGE_TARGETS.outbox, keepForSeconds: OUTBOX_RETENTION_HOURS * HOUR },
    { target: PURGE_TARGETS.webhookDeliveries, keepForSeconds: config.webhookDeliveryDays * DAY },
  ];
}
