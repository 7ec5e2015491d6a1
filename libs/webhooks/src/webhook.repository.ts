import { EntityManager } from '@mikro-orm/postgresql';
import { Injectable } from '@nestjs/common';
import { preparedRows, runStatement, selectRows } from '@customer-access/database';
import { WebhookEventPayload } from '@customer-access/notification';
import { WebhookDelivery, WebhookDeliveryView } from './webhook-delivery.entity';
import { AttemptRow, ClaimedDeliveryRow, WebhookDeliverySql } from './webhook-delivery.queries';
import { WebhookEndpoint } from './webhook-endpoint.entity';

export interface NewEndpoint {
  id: string;
  url: string;
  events: string[];
  description: string;
  enabled: boolean;
  secretSealed: string;
}

export type EndpointChanges = Partial<Pick<WebhookEndpoint, 'url' | 'events' | 'description' | 'enabled'>>;

/** An endpoint's secrets as sealed at rest (WebhookSecrets), for re-keying. */
export interface SealedEndpointSecrets {
  id: string;
  secretSealed: string;
  previousSecretSealed: string | null;
  previousSecretExpiresAt: Date | null;
}

function toDeliveryView(d: WebhookDelivery): WebhookDeliveryView {
  return {
    id: d.id,
    eventId: d.eventId,
    endpointId: d.endpoint.id,
    type: d.type,
    status: d.status,
    attempts: d.attempts,
    lastResponseCode: d.lastResponseCode,
    lastError: d.lastError,
    nextAttemptAt: d.status === 'pending' && d.nextAttemptAt ? new Date(d.nextAttemptAt).toISOString() : null,
    deliveredAt: d.deliveredAt ? new Date(d.deliveredAt).toISOString() : null,
    createdAt: new Date(d.createdAt).toISOString(),
  };
}

/** The only door to webhook_endpoint and webhook_delivery. */
@Injectable()
export class WebhookRepository {
  constructor(private readonly em: EntityManager) {}

  async insertEndpoint(data: NewEndpoint, em: EntityManager): Promise<WebhookEndpoint> {
    const endpoint = em.create(WebhookEndpoint, data);
    await em.persistAndFlush(endpoint);
    return endpoint;
  }

  listEndpoints(): Promise<WebhookEndpoint[]> {
    return this.em.fork().find(WebhookEndpoint, {}, { orderBy: { createdAt: 'asc', id: 'asc' } });
  }

  findEndpoint(id: string, em: EntityManager = this.em.fork()): Promise<WebhookEndpoint | null> {
    return em.findOne(WebhookEndpoint, { id });
  }

  async updateEndpoint(id: string, changes: Partial<WebhookEndpoint>, em: EntityManager): Promise<void> {
    await em.nativeUpdate(WebhookEndpoint, { id }, { ...changes, updatedAt: new Date() });
  }

  /** Deletes the endpoint and (cascade) its deliveries. Returns whether it existed. */
  async deleteEndpoint(id: string, em: EntityManager): Promise<boolean> {
    return (await em.nativeDelete(WebhookEndpoint, { id })) > 0;
  }

  /** For re-keying (`admin:mfa-rekey`): every endpoint's sealed secrets, in the caller's transaction. */
  async sealedSecrets(em: EntityManager): Promise<SealedEndpointSecrets[]> {
    const rows = await em.find(WebhookEndpoint, {}, { fields: ['id', 'secretSealed', 'previousSecretSealed', 'previousSecretExpiresAt'] });
    return rows.map((r) => ({
      id: r.id,
      secretSealed: r.secretSealed,
      previousSecretSealed: r.previousSecretSealed,
      previousSecretExpiresAt: r.previousSecretExpiresAt,
    }));
  }

  /**
   * Swaps an endpoint's sealed secrets only if both are still the ones that were read (a rotation
   * in between wins: no lost update). `previousSecretExpiresAt` goes with the previous secret.
   */
  async replaceSealedSecrets(
    from: SealedEndpointSecrets,
    to: Pick<SealedEndpointSecrets, 'secretSealed' | 'previousSecretSealed' | 'previousSecretExpiresAt'>,
    em: EntityManager,
  ): Promise<boolean> {
    const updated = await em.nativeUpdate(
      WebhookEndpoint,
      { id: from.id, secretSealed: from.secretSealed, previousSecretSealed: from.previousSecretSealed },
      { ...to },
    );
    return updated === 1;
  }

  async listDeliveries(endpointId: string, limit: number): Promise<WebhookDeliveryView[]> {
    const rows = await this.em
      .fork()
      .find(WebhookDelivery, { endpoint: endpointId }, { orderBy: { createdAt: 'desc', id: 'desc' }, limit });
    return rows.map(toDeliveryView);
  }

  findDelivery(id: string, em: EntityManager = this.em.fork()): Promise<WebhookDelivery | null> {
    return em.findOne(WebhookDelivery, { id }, { populate: ['endpoint'] });
  }

  /** Back to pending for one more attempt now (the Retry button). Returns whether it existed. */
  async requeueDelivery(id: string, em: EntityManager): Promise<boolean> {
    return (await em.nativeUpdate(WebhookDelivery, { id }, { status: 'pending', nextAttemptAt: new Date() })) > 0;
  }

  /** See WebhookDeliverySql.relayAndFanOut: the deliveries added. */
  async relayAndFanOut(ids: string[]): Promise<number> {
    const [row] = await selectRows(this.em, WebhookDeliverySql.relayAndFanOut(ids));
    return row?.deliveries ?? 0;
  }

  /** See WebhookDeliverySql.fanOutOutbox (in the sweep's transaction `tx`). */
  async fanOutOutbox(tx: EntityManager, ids: string[]): Promise<number> {
    const [row] = await selectRows(tx, WebhookDeliverySql.fanOutOutbox(ids));
    return row?.deliveries ?? 0;
  }

  /** See WebhookDeliverySql.fanOutEvent. */
  async fanOutEvent(event: WebhookEventPayload): Promise<number> {
    const [row] = await selectRows(this.em, WebhookDeliverySql.fanOutEvent(event));
    return row?.deliveries ?? 0;
  }

  /**
   * See WebhookDeliverySql.claimDue. Every worker runs it every WEBHOOK_POLL_MS even when idle: on a
   * pooled connection outside the ORM's layers, a prepared statement (preparedRows: parsed and
   * planned once per connection; docs/performance.md, webhooks).
   */
  claimDue(limit: number, leaseMs: number): Promise<ClaimedDeliveryRow[]> {
    return preparedRows(this.em, WebhookDeliverySql.claimDue(limit, leaseMs));
  }

  /**
   * See WebhookDeliverySql.recordAttempts: the outcomes of several attempts in one statement, a
   * prepared one (its text is the same for any number of outcomes: they are one jsonb parameter).
   */
  async recordAttempts(attempts: AttemptRow[]): Promise<void> {
    await preparedRows(this.em, WebhookDeliverySql.recordAttempts(attempts));
  }

  /** See WebhookDeliverySql.releaseClaims. */
  async releaseClaims(claims: Array<Pick<AttemptRow, 'id' | 'lease'>>): Promise<void> {
    await runStatement(this.em, WebhookDeliverySql.releaseClaims(claims));
  }

  /** Turns an endpoint off because its receiver said so (410 Gone). Returns whether it was on. */
  async disableEndpoint(id: string, reason: string): Promise<boolean> {
    return (
      (await this.em
        .fork()
        .nativeUpdate(WebhookEndpoint, { id, enabled: true }, { enabled: false, disabledReason: reason, updatedAt: new Date() })) > 0
    );
  }

  /** Pending deliveries and the age of the oldest (see WebhookDeliverySql.pendingSummary). */
  async pendingSummary(): Promise<{ pending: number; oldestSeconds: number }> {
    const [row] = await selectRows(this.em, WebhookDeliverySql.pendingSummary());
    return { pending: Number(row?.pending ?? 0), oldestSeconds: Number(row?.seconds ?? 0) };
  }
}
