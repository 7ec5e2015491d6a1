import { EntityManager } from '@mikro-orm/postgresql';
import { Inject, Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { DomainError, ErrorCode } from '@customer-access/common';
import { APP_CONFIG, AppConfig } from '@customer-access/config';
import { DestinationPolicy } from './destination-policy';
import { WebhookDeliveryView } from './webhook-delivery.entity';
import { toEndpointView, WebhookEndpoint, WebhookEndpointView } from './webhook-endpoint.entity';
import { WebhookEvents } from './webhook-events.service';
import { isWebhookEventType, WEBHOOK_EVENT_TYPES } from './webhook-events';
import { WebhookQueue } from './webhook-queue';
import { EndpointChanges, WebhookRepository } from './webhook.repository';
import { generateWebhookSecret, WebhookSecrets } from './webhook-secrets';

export interface EndpointInput {
  url: string;
  events: string[];
  description?: string;
  enabled?: boolean;
}

/** An endpoint with its secret: only the answers of creation and rotation carry one. */
export interface EndpointWithSecret extends WebhookEndpointView {
  secret: string;
}

/** How long a rotated-out secret is still accepted (both signatures are sent meanwhile). */
export const PREVIOUS_SECRET_HOURS = 24;

const notFound = () => new DomainError(ErrorCode.NotFound, 'Webhook endpoint not found.');

/**
 * Endpoints and their deliveries, for the admin use cases (libs/admin wraps each in its audited
 * transaction: the `em` passed in). Never returns a secret but from create and rotate.
 */
@Injectable()
export class WebhookEndpoints {
  readonly policy: DestinationPolicy;

  constructor(
    private readonly repository: WebhookRepository,
    private readonly secrets: WebhookSecrets,
    private readonly events: WebhookEvents,
    private readonly queue: WebhookQueue,
    @Inject(APP_CONFIG) config: AppConfig,
  ) {
    this.policy = new DestinationPolicy(config.webhooks.allowedHosts, config.nodeEnv === 'production');
  }

  async list(): Promise<WebhookEndpointView[]> {
    return (await this.repository.listEndpoints()).map(toEndpointView);
  }

  async get(id: string): Promise<WebhookEndpoint> {
    const endpoint = await this.repository.findEndpoint(id);
    if (!endpoint) throw notFound();
    return endpoint;
  }

  async create(em: EntityManager, input: EndpointInput): Promise<EndpointWithSecret> {
    this.check(input);
    const id = randomUUID();
    const secret = generateWebhookSecret();
    const endpoint = await this.repository.insertEndpoint(
      {
        id,
        url: input.url,
        events: [...new Set(input.events)],
        description: input.description?.trim() ?? '',
        enabled: input.enabled ?? true,
        secretSealed: this.secrets.seal(secret, id),
      },
      em,
    );
    return { ...toEndpointView(endpoint), secret };
  }

  /** Applies the given fields; returns the endpoint before and after. */
  async update(
    em: EntityManager,
    id: string,
    input: Partial<EndpointInput>,
  ): Promise<{ before: WebhookEndpointView; after: WebhookEndpointView }> {
    this.check(input);
    const endpoint = await this.repository.findEndpoint(id, em);
    if (!endpoint) throw notFound();
    const before = toEndpointView(endpoint);
    const changes: EndpointChanges & { disabledReason?: null } = {};
    if (input.url !== undefined) changes.url = input.url;
    if (input.events !== undefined) changes.events = [...new Set(input.events)];
    if (input.description !== undefined) changes.description = input.description.trim();
    if (input.enabled !== undefined) {
      changes.enabled = input.enabled;
      changes.disabledReason = null;
    }
    await this.repository.updateEndpoint(id, changes, em);
    return {
      before,
      after: toEndpointView(
        Object.assign(Object.create(WebhookEndpoint.prototype) as WebhookEndpoint, endpoint, changes, { updatedAt: new Date() }),
      ),
    };
  }

  async remove(em: EntityManager, id: string): Promise<WebhookEndpointView> {
    const endpoint = await this.repository.findEndpoint(id, em);
    if (!endpoint) throw notFound();
    await this.repository.deleteEndpoint(id, em);
    return toEndpointView(endpoint);
  }

  /** A new secret; the current one stays valid PREVIOUS_SECRET_HOURS (a previous one still in its window is dropped). */
  async rotate(em: EntityManager, id: string): Promise<EndpointWithSecret> {
    const endpoint = await this.repository.findEndpoint(id, em);
    if (!endpoint) throw notFound();
    const secret = generateWebhookSecret();
    const expiresAt = new Date(Date.now() + PREVIOUS_SECRET_HOURS * 3600_000);
    await this.repository.updateEndpoint(
      id,
      { secretSealed: this.secrets.seal(secret, id), previousSecretSealed: endpoint.secretSealed, previousSecretExpiresAt: expiresAt },
      em,
    );
    return { ...toEndpointView({ ...endpoint, previousSecretExpiresAt: expiresAt, updatedAt: new Date() } as WebhookEndpoint), secret };
  }

  /** Records a webhook.test event for the endpoint (relay it after the commit with relayTest). */
  async test(em: EntityManager, id: string): Promise<string> {
    if (!(await this.repository.findEndpoint(id, em))) throw notFound();
    return this.events.recordTest(em, id);
  }

  relayCommitted(eventId: string): Promise<void> {
    return this.events.relayCommitted(eventId);
  }

  async deliveries(endpointId: string, limit = 50): Promise<WebhookDeliveryView[]> {
    await this.get(endpointId);
    return this.repository.listDeliveries(endpointId, limit);
  }

  /** Back to pending, due now; returns the delivery's endpoint id. Call enqueueRetry after the commit. */
  async retry(em: EntityManager, deliveryId: string): Promise<{ endpointId: string; eventId: string; type: string }> {
    const delivery = await this.repository.findDelivery(deliveryId, em);
    if (!delivery) throw new DomainError(ErrorCode.NotFound, 'Webhook delivery not found.');
    if (delivery.status === 'delivered')
      throw new DomainError(ErrorCode.Validation, 'This delivery was delivered; there is nothing to retry.');
    await this.repository.requeueDelivery(deliveryId, em);
    return { endpointId: delivery.endpoint.id, eventId: delivery.eventId, type: delivery.type };
  }

  /** After the commit of retry(): wakes the deliverers (the row is due now; they would find it at their next poll anyway). */
  enqueueRetry(): Promise<void> {
    return this.queue.wake();
  }

  private check(input: Partial<EndpointInput>): void {
    if (input.url !== undefined) {
      const problem = this.policy.urlProblem(input.url);
      if (problem) throw new DomainError(ErrorCode.Validation, problem);
    }
    if (input.events !== undefined) {
      const unknown = input.events.filter((e) => !isWebhookEventType(e));
      if (unknown.length > 0) {
        throw new DomainError(ErrorCode.Validation, `events must be among ${WEBHOOK_EVENT_TYPES.join(', ')} (got ${unknown.join(', ')})`);
      }
      if (input.events.length === 0) throw new DomainError(ErrorCode.Validation, 'events must name at least one event type');
    }
  }
}
