import { FilterQuery } from '@mikro-orm/core';
import { EntityManager } from '@mikro-orm/postgresql';
import { Injectable } from '@nestjs/common';
import { AuditAction, AuditEvent, AuditEventView } from './audit-event.entity';

/** An event as stored; AuditService adds the customer's name. */
export type AuditEventRecord = Omit<AuditEventView, 'customerName'>;

export interface NewAuditEvent {
  /** Null for an action from the CLI (adminEmail is then CLI_ACTOR). */
  adminId: string | null;
  adminEmail: string;
  action: AuditAction;
  customerId: string | null;
  clientIp: string | null;
  details: Record<string, unknown>;
}

/** Filters of the audit log; `from` is inclusive and `to` exclusive. */
export interface AuditEventFilter {
  customerId?: string;
  adminId?: string;
  action?: AuditAction;
  from?: Date;
  to?: Date;
}

export interface AuditEventQuery extends AuditEventFilter {
  page: number;
  pageSize: number;
}

/** The only door to the admin_audit_event table. Inserts only: the trail is never edited. */
@Injectable()
export class AuditEventRepository {
  constructor(private readonly em: EntityManager) {}

  /**
   * Pass a transactional `em` to record the event together with the action it describes. A plain
   * INSERT (no unit of work): the database fills id and created_at.
   */
  async insert(event: NewAuditEvent, em: EntityManager = this.em): Promise<void> {
    await em.insert(AuditEvent, event);
  }

  async list(query: AuditEventQuery): Promise<{ items: AuditEventRecord[]; total: number }> {
    const [events, total] = await this.em.fork().findAndCount(AuditEvent, where(query), {
      // admin_audit_event_customer_idx: a customer's trail, newest first.
      orderBy: { id: 'desc' },
      limit: query.pageSize,
      offset: (query.page - 1) * query.pageSize,
    });
    return { items: events.map(toView), total };
  }

  /**
   * The filtered events, newest first, a batch at a time (keyset on id, so a long export costs
   * the same per row at its end as at its start). For the CSV export.
   */
  async *each(filter: AuditEventFilter, batchSize = 1000): AsyncGenerator<AuditEventRecord[]> {
    let before: string | undefined;
    for (;;) {
      const condition = where(filter);
      const events = await this.em.fork().find(AuditEvent, before ? { $and: [condition, { id: { $lt: before } }] } : condition, {
        orderBy: { id: 'desc' },
        limit: batchSize,
      });
      if (events.length === 0) return;
      yield events.map(toView);
      if (events.length < batchSize) return;
      before = events[events.length - 1].id;
    }
  }
}

function where(filter: AuditEventFilter): FilterQuery<AuditEvent> {
  const createdAt = { ...(filter.from && { $gte: filter.from }), ...(filter.to && { $lt: filter.to }) };
  return {
    ...(filter.customerId && { customerId: filter.customerId }),
    ...(filter.adminId && { adminId: filter.adminId }),
    ...(filter.action && { action: filter.action }),
    ...(Object.keys(createdAt).length > 0 && { createdAt }),
  };
}

function toView(event: AuditEvent): AuditEventRecord {
  return {
    id: String(event.id),
    createdAt: new Date(event.createdAt).toISOString(),
    action: event.action,
    adminId: event.adminId,
    adminEmail: event.adminEmail,
    customerId: event.customerId,
    clientIp: event.clientIp,
    details: event.details ?? {},
  };
}
