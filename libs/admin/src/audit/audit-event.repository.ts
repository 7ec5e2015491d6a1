import { EntityManager } from '@mikro-orm/postgresql';
import { Injectable } from '@nestjs/common';
import { AuditAction, AuditEventView } from './audit-event.entity';

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

interface AuditEventRow {
  id: string;
  created_at: Date;
  action: AuditAction;
  admin_id: string | null;
  admin_email: string;
  customer_id: string | null;
  client_ip: string | null;
  details: Record<string, unknown>;
}

/** The only door to the admin_audit_event table. Inserts only: the trail is never edited. */
@Injectable()
export class AuditEventRepository {
  constructor(private readonly em: EntityManager) {}

  /** Pass a transactional `em` to record the event together with the action it describes. */
  async insert(event: NewAuditEvent, em: EntityManager = this.em): Promise<void> {
    await em.execute(
      `insert into admin_audit_event (admin_id, admin_email, action, customer_id, client_ip, details, created_at)
       values (?, ?, ?, ?, ?, ?::jsonb, now())`,
      [event.adminId, event.adminEmail, event.action, event.customerId, event.clientIp, JSON.stringify(event.details)],
      'run',
    );
  }

  async list(query: AuditEventQuery): Promise<{ items: AuditEventView[]; total: number }> {
    const where = query.customerId ? 'where customer_id = ?' : '';
    const params = query.customerId ? [query.customerId] : [];
    const [rows, count] = await Promise.all([
      this.em.execute<AuditEventRow[]>(
        `select id, created_at, action, admin_id, admin_email, customer_id, client_ip, details
         from admin_audit_event ${where} order by id desc limit ? offset ?`,
        [...params, query.pageSize, (query.page - 1) * query.pageSize],
      ),
      this.em.execute<{ total: string }[]>(`select count(*) as total from admin_audit_event ${where}`, params),
    ]);
    return { items: rows.map(toView), total: Number(count[0]?.total ?? 0) };
  }
}

function toView(row: AuditEventRow): AuditEventView {
  return {
    id: String(row.id),
    createdAt: new Date(row.created_at).toISOString(),
    action: row.action,
    adminId: row.admin_id,
    adminEmail: row.admin_email,
    customerId: row.customer_id,
    clientIp: row.client_ip,
    details: row.details ?? {},
  };
}
