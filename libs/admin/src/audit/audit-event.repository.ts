import { EntityManager } from '@mikro-orm/postgresql';
import { Injectable } from '@nestjs/common';
import { AuditAction, AuditEvent, AuditEventView } from './audit-event.entity';

export interface NewAuditEvent {
  adminId: string;
  adminEmail: string;
  action: AuditAction;
  customerId: string | null;
  clientIp: string | null;
  details: Record<string, unknown>;
}

export interface AuditEventQuery {
  customerId?: string;
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

  async list(query: AuditEventQuery): Promise<{ items: AuditEventView[]; total: number }> {
    const [events, total] = await this.em.fork().findAndCount(AuditEvent, query.customerId ? { customerId: query.customerId } : {}, {
      // admin_audit_event_customer_idx: a customer's trail, newest first.
      orderBy: { id: 'desc' },
      limit: query.pageSize,
      offset: (query.page - 1) * query.pageSize,
    });
    return { items: events.map(toView), total };
  }
}

function toView(event: AuditEvent): AuditEventView {
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
