import { EntityManager } from '@mikro-orm/postgresql';
import { Injectable } from '@nestjs/common';
import { EndpointInput, EndpointWithSecret, WebhookDeliveryView, WebhookEndpoints, WebhookEndpointView } from '@customer-access/webhooks';
import { AdminActor } from '../access/admin-request';
import { AuditAction } from '../audit/audit-event.entity';
import { AuditService } from '../audit/audit.service';

const FIELDS = ['url', 'events', 'description', 'enabled'] as const;

/**
 * The admin routes of webhooks (docs/api.md, Webhooks; permission webhooks.manage): each change and
 * its audit event in one transaction. A secret appears only in the answers of create and rotate.
 */
@Injectable()
export class WebhooksAdminService {
  constructor(
    private readonly em: EntityManager,
    private readonly endpoints: WebhookEndpoints,
    private readonly audit: AuditService,
  ) {}

  async list(): Promise<{ items: WebhookEndpointView[] }> {
    return { items: await this.endpoints.list() };
  }

  create(actor: AdminActor, input: EndpointInput): Promise<EndpointWithSecret> {
    return this.em.fork().transactional(async (tx: EntityManager) => {
      const created = await this.endpoints.create(tx, input);
      await this.audit.record(
        actor,
        AuditAction.WebhookCreated,
        null,
        { endpointId: created.id, url: created.url, events: created.events, enabled: created.enabled },
        tx,
      );
      return created;
    });
  }

  update(actor: AdminActor, id: string, input: Partial<EndpointInput>): Promise<WebhookEndpointView> {
    return this.em.fork().transactional(async (tx: EntityManager) => {
      const { before, after } = await this.endpoints.update(tx, id, input);
      const changes = FIELDS.filter((f) => JSON.stringify(before[f]) !== JSON.stringify(after[f])).map((field) => ({
        field,
        from: before[field],
        to: after[field],
      }));
      if (changes.length > 0) await this.audit.record(actor, AuditAction.WebhookUpdated, null, { endpointId: id, changes }, tx);
      return after;
    });
  }

  async remove(actor: AdminActor, id: string): Promise<void> {
    await this.em.fork().transactional(async (tx: EntityManager) => {
      const removed = await this.endpoints.remove(tx, id);
      await this.audit.record(actor, AuditAction.WebhookDeleted, null, { endpointId: id, url: removed.url }, tx);
    });
  }

  rotateSecret(actor: AdminActor, id: string): Promise<EndpointWithSecret> {
    return this.em.fork().transactional(async (tx: EntityManager) => {
      const rotated = await this.endpoints.rotate(tx, id);
      await this.audit.record(
        actor,
        AuditAction.WebhookSecretRotated,
        null,
        { endpointId: id, previousSecretExpiresAt: rotated.previousSecretExpiresAt },
        tx,
      );
      return rotated;
    });
  }

  async test(actor: AdminActor, id: string): Promise<{ eventId: string }> {
    const eventId = await this.em.fork().transactional(async (tx: EntityManager) => {
      const eventId = await this.endpoints.test(tx, id);
      await this.audit.record(actor, AuditAction.WebhookTestSent, null, { endpointId: id, eventId }, tx);
      return eventId;
    });
    await this.endpoints.relayCommitted(eventId);
    return { eventId };
  }

  async deliveries(id: string): Promise<{ items: WebhookDeliveryView[] }> {
    return { items: await this.endpoints.deliveries(id) };
  }

  async retry(actor: AdminActor, deliveryId: string): Promise<void> {
    await this.em.fork().transactional(async (tx: EntityManager) => {
      const delivery = await this.endpoints.retry(tx, deliveryId);
      await this.audit.record(actor, AuditAction.WebhookDeliveryRetried, null, { deliveryId, ...delivery }, tx);
    });
    await this.endpoints.enqueueRetry();
  }
}
