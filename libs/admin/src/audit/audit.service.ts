import { EntityManager } from '@mikro-orm/postgresql';
import { Injectable } from '@nestjs/common';
import { AdminActor } from '../access/admin-request';
import { AuditAction, AuditEventView } from './audit-event.entity';
import { AuditEventQuery, AuditEventRepository } from './audit-event.repository';

export interface DeniedAttempt {
  customerId: string | null;
  permission: string | null;
  method: string;
  route: string;
}

/**
 * Records admin actions. Each use case passes only non-secret context (counts, setting values,
 * route names): never a password, hash or token.
 */
@Injectable()
export class AuditService {
  constructor(private readonly events: AuditEventRepository) {}

  record(
    actor: AdminActor,
    action: AuditAction,
    customerId: string | null,
    details: Record<string, unknown> = {},
    em?: EntityManager,
  ): Promise<void> {
    return this.events.insert({ adminId: actor.id, adminEmail: actor.email, action, customerId, clientIp: actor.ip || null, details }, em);
  }

  recordDenied(actor: AdminActor, attempt: DeniedAttempt): Promise<void> {
    const { customerId, ...details } = attempt;
    return this.record(actor, AuditAction.AccessDenied, customerId, details);
  }

  list(query: AuditEventQuery): Promise<{ items: AuditEventView[]; total: number }> {
    return this.events.list(query);
  }
}
