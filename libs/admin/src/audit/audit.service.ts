import { EntityManager } from '@mikro-orm/postgresql';
import { Injectable } from '@nestjs/common';
import { AdminActor } from '../access/admin-request';
import { CustomerDirectoryRepository } from '../support/customer-directory.repository';
import { AuditAction, AuditEvent, AuditEventView, SYSTEM_ACTOR } from './audit-event.entity';
import { AuditEventFilter, AuditEventQuery, AuditEventRecord, AuditEventRepository } from './audit-event.repository';
import { toCsvRow } from './csv';

export interface DeniedAttempt {
  customerId: string | null;
  permission: string | null;
  method: string;
  route: string;
}

/** The CSV export's columns, in order (the header row). */
export const AUDIT_CSV_COLUMNS = [
  'id',
  'createdAt',
  'action',
  'adminId',
  'adminEmail',
  'customerId',
  'customerName',
  'clientIp',
  'details',
] as const satisfies readonly (keyof AuditEventView)[];

/**
 * Records admin actions. Each use case passes only non-secret context (counts, setting values,
 * route names): never a password, hash or token.
 */
@Injectable()
export class AuditService {
  constructor(
    private readonly events: AuditEventRepository,
    private readonly directory: CustomerDirectoryRepository,
  ) {}

  record(
    actor: AdminActor,
    action: AuditAction,
    customerId: string | null,
    details: Record<string, unknown> = {},
    em?: EntityManager,
  ): Promise<void> {
    // Done with an API key: recorded under the key, "API key {name} of {admin}" (its id in details).
    const key = actor.credential?.kind === 'api_key' ? actor.credential : null;
    return this.events.insert(
      {
        adminId: actor.id,
        adminEmail: key ? `API key ${key.name} of ${actor.email}` : actor.email,
        action,
        customerId,
        clientIp: actor.ip || null,
        details: key ? { ...details, apiKeyId: key.keyId } : details,
      },
      em,
    );
  }

  recordDenied(actor: AdminActor, attempt: DeniedAttempt): Promise<void> {
    const { customerId, ...details } = attempt;
    return this.record(actor, AuditAction.AccessDenied, customerId, details);
  }

  async list(query: AuditEventQuery): Promise<{ items: AuditEventView[]; total: number }> {
    const { items, total } = await this.events.list(query);
    return { items: await this.withNames(items), total };
  }

  /**
   * The filtered events as CSV (RFC 4180, UTF-8 with a byte-order mark so that spreadsheets read
   * names in any script), newest first, produced a batch at a time. Cells are neutralized against
   * formula injection (toCsvRow).
   */
  async *csv(filter: AuditEventFilter): AsyncGenerator<string> {
    yield `\ufeff${toCsvRow(AUDIT_CSV_COLUMNS)}`;
    for await (const batch of this.events.each(filter)) {
      const rows = (await this.withNames(batch)).map((event) =>
        toCsvRow(AUDIT_CSV_COLUMNS.map((column) => (column === 'details' ? JSON.stringify(event.details) : event[column]))),
      );
      yield rows.join('');
    }
  }

  private async withNames(events: AuditEventRecord[]): Promise<AuditEventView[]> {
    const names = await this.directory.namesByIds(events.flatMap((e) => (e.customerId ? [e.customerId] : [])));
    return events.map((e) => ({ ...e, customerName: (e.customerId && names.get(e.customerId)) ?? null }));
  }
}

/**
 * Records an action the service took by itself (adminEmail "system", no admin, no IP), for processes
 * without the admin module (the worker: a webhook endpoint disabled after 410 Gone).
 */
export async function recordSystemAuditEvent(
  em: EntityManager,
  action: AuditAction,
  details: Record<string, unknown>,
  customerId: string | null = null,
): Promise<void> {
  await em.insert(AuditEvent, { adminId: null, adminEmail: SYSTEM_ACTOR, action, customerId, clientIp: null, details });
}
