import { Entity, Index, ManyToOne, OptionalProps, PrimaryKey, Property, Unique } from '@mikro-orm/core';
import { randomUUID } from 'node:crypto';
import { WebhookEndpoint } from './webhook-endpoint.entity';

export const DELIVERY_STATUSES = ['pending', 'delivered', 'failed', 'refused'] as const;
/**
 * `pending`: to be sent (again) at `nextAttemptAt`; `delivered`: a 2xx; `failed`: retries for 24 h
 * exhausted, 410 Gone, or the endpoint disabled; `refused`: the destination is not allowed (SSRF
 * rules, reason in `lastError`), nothing was sent.
 */
export type DeliveryStatus = (typeof DELIVERY_STATUSES)[number];

/**
 * One event for one endpoint. `eventId` is the `webhook-id` header: the same on every attempt, so
 * receivers can deduplicate (delivery is at least once).
 */
@Entity({ tableName: 'webhook_delivery' })
@Unique({ name: 'webhook_delivery_event_endpoint_unique', properties: ['eventId', 'endpoint'] })
// An endpoint's recent deliveries, newest first.
@Index({
  name: 'webhook_delivery_endpoint_created_idx',
  expression: 'create index "webhook_delivery_endpoint_created_idx" on "webhook_delivery" ("endpoint_id", "created_at" desc)',
})
// The workers' claims: due deliveries, oldest due first (WebhookDeliverySql.claimDue), however many
// wait for later (an endpoint down for hours). It also holds every pending row, so the pending
// metrics (WebhookDeliverySql.pendingSummary: the count, the oldest's created_at) read it and the
// pending rows, not the table; no index of their own, whose two entries per delivery (the insert's and
// the claim's) cost PostgreSQL more than a scrape every few seconds does (docs/performance.md).
@Index({
  name: 'webhook_delivery_due_idx',
  expression: `create index "webhook_delivery_due_idx" on "webhook_delivery" ("next_attempt_at") where status = 'pending'`,
})
export class WebhookDelivery {
  [OptionalProps]?: 'status' | 'attempts' | 'createdAt' | 'lastResponseCode' | 'lastError' | 'nextAttemptAt' | 'deliveredAt';

  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  @Property({ type: 'uuid' })
  eventId!: string;

  @ManyToOne(() => WebhookEndpoint, { deleteRule: 'cascade' })
  endpoint!: WebhookEndpoint;

  @Property({ type: 'text' })
  type!: string;

  /** The body sent: `{type, timestamp, data}`. Never a password, hash, token or link. */
  @Property({ type: 'json' })
  payload!: Record<string, unknown>;

  @Property({ type: 'text', default: 'pending' })
  status: DeliveryStatus = 'pending';

  @Property({ type: 'integer', default: 0 })
  attempts: number = 0;

  @Property({ type: 'integer', nullable: true })
  lastResponseCode: number | null = null;

  /** The last failure, or the refusal's reason. */
  @Property({ type: 'text', nullable: true })
  lastError: string | null = null;

  @Property({ type: 'timestamptz', nullable: true })
  nextAttemptAt: Date | null = null;

  @Property({ type: 'timestamptz', nullable: true })
  deliveredAt: Date | null = null;

  /**
   * The retention purge (WEBHOOK_DELIVERY_RETENTION_DAYS) reads it per endpoint, through
   * webhook_delivery_endpoint_created_idx: no index on it alone, whose three entries per delivery
   * (the insert's, the claim's, the outcome's) cost PostgreSQL more than the purge saves.
   */
  @Property({ type: 'timestamptz', defaultRaw: 'now()' })
  createdAt: Date = new Date();
}

/** A delivery as admins see it. */
export interface WebhookDeliveryView {
  id: string;
  eventId: string;
  endpointId: string;
  type: string;
  status: DeliveryStatus;
  attempts: number;
  lastResponseCode: number | null;
  lastError: string | null;
  nextAttemptAt: string | null;
  deliveredAt: string | null;
  createdAt: string;
}
