import { Entity, OptionalProps, PrimaryKey, Property } from '@mikro-orm/core';
import { randomUUID } from 'node:crypto';

/**
 * A receiver of webhooks, managed by administrators (docs/webhooks.md). The signing secret is kept
 * sealed (AES-256-GCM, WebhookSecrets), never in clear; after a rotation the previous one stays
 * valid until `previousSecretExpiresAt`, and both signatures are sent meanwhile.
 */
@Entity({ tableName: 'webhook_endpoint' })
export class WebhookEndpoint {
  [OptionalProps]?:
    'description' | 'enabled' | 'createdAt' | 'updatedAt' | 'previousSecretSealed' | 'previousSecretExpiresAt' | 'disabledReason';

  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  @Property({ type: 'text' })
  url!: string;

  /** The event types it wants (docs/webhooks.md, Types); a jsonb array of strings. */
  @Property({ type: 'json' })
  events!: string[];

  @Property({ type: 'text', default: '' })
  description: string = '';

  @Property({ type: 'boolean', default: true })
  enabled: boolean = true;

  /** Why the service turned it off (e.g. the receiver answered 410 Gone); null when an admin did, or while enabled. */
  @Property({ type: 'text', nullable: true })
  disabledReason: string | null = null;

  /** The `whsec_…` secret, sealed (WebhookSecrets). Never leaves the service but at creation and rotation. */
  @Property({ type: 'text', hidden: true, lazy: false })
  secretSealed!: string;

  @Property({ type: 'text', nullable: true, hidden: true })
  previousSecretSealed: string | null = null;

  @Property({ type: 'timestamptz', nullable: true })
  previousSecretExpiresAt: Date | null = null;

  @Property({ type: 'timestamptz', defaultRaw: 'now()' })
  createdAt: Date = new Date();

  @Property({ type: 'timestamptz', defaultRaw: 'now()', onUpdate: () => new Date() })
  updatedAt: Date = new Date();
}

/** An endpoint as admins see it: never a secret. */
export interface WebhookEndpointView {
  id: string;
  url: string;
  events: string[];
  description: string;
  enabled: boolean;
  disabledReason: string | null;
  /** While a rotated-out secret is still accepted: until when. */
  previousSecretExpiresAt: string | null;
  createdAt: string;
  updatedAt: string;
}

export function toEndpointView(e: WebhookEndpoint): WebhookEndpointView {
  const previous = e.previousSecretExpiresAt && e.previousSecretExpiresAt.getTime() > Date.now() ? e.previousSecretExpiresAt : null;
  return {
    id: e.id,
    url: e.url,
    events: e.events,
    description: e.description,
    enabled: e.enabled,
    disabledReason: e.disabledReason,
    previousSecretExpiresAt: previous ? previous.toISOString() : null,
    createdAt: new Date(e.createdAt).toISOString(),
    updatedAt: new Date(e.updatedAt).toISOString(),
  };
}
