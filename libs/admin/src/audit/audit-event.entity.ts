import { Entity, Index, OptionalProps, PrimaryKey, Property } from '@mikro-orm/core';
import { AuditAction } from './audit-actions';

export { AuditAction, CLI_ACTOR, SYSTEM_ACTOR } from './audit-actions';

/**
 * One admin action. Append-only, and without foreign keys on purpose: the trail must outlive the
 * admin and the customer it names. The admin's email is copied for the same reason.
 */
@Entity({ tableName: 'admin_audit_event' })
// A customer's trail, newest first.
@Index({
  name: 'admin_audit_event_customer_idx',
  expression:
    'create index "admin_audit_event_customer_idx" on "admin_audit_event" ("customer_id", "id" desc) where customer_id is not null',
})
export class AuditEvent {
  /** Filled by the database when not given. */
  [OptionalProps]?: 'createdAt' | 'details';

  /** An identity sequence: a strict "newest first" even for events within the same microsecond. */
  @PrimaryKey({ type: 'bigint', autoincrement: true, generated: 'identity' })
  id!: string;

  @Property({ type: 'uuid', nullable: true })
  adminId!: string | null;

  @Property({ type: 'text' })
  adminEmail!: string;

  @Property({ type: 'text' })
  action!: AuditAction;

  @Property({ type: 'uuid', nullable: true })
  customerId!: string | null;

  @Property({ type: 'text', nullable: true })
  clientIp!: string | null;

  /** Context of the action. Never a secret: callers pass only counts, names and setting values. */
  @Property({ type: 'json', defaultRaw: `'{}'::jsonb` })
  details: Record<string, unknown> = {};

  /** Indexed for the retention purge (AUDIT_RETENTION_DAYS). */
  @Index({ name: 'admin_audit_event_created_at_idx' })
  @Property({ type: 'timestamptz', defaultRaw: 'now()' })
  createdAt: Date = new Date();
}

/** An audit record as admins see it: who, what, whom, when, from which IP. */
export interface AuditEventView {
  id: string;
  createdAt: string;
  action: AuditAction;
  adminId: string | null;
  adminEmail: string;
  customerId: string | null;
  /** The customer's current first and last name; null without a customer or once it is deleted. */
  customerName: string | null;
  clientIp: string | null;
  details: Record<string, unknown>;
}
