import { EntityManager } from '@mikro-orm/postgresql';
import { Injectable, OnModuleInit } from '@nestjs/common';
import { GroupCommit } from '@customer-access/database';
import { OutboxService, WebhookEventRelay } from '@customer-access/notification';
import { ClaimedDeliveryRow } from './webhook-delivery.queries';
import { WebhookQueue } from './webhook-queue';
import { WebhookRepository } from './webhook.repository';

/**
 * The outbox relay's webhook part (plugged into notification's OutboxService at start-up): an event
 * is fanned out to one `webhook_delivery` row per subscribed endpoint by the statement that marks its
 * outbox row relayed, and the deliverers are woken only when rows were added. An event no endpoint
 * wants costs that one statement (shared by concurrent relays), no queue job.
 */
@Injectable()
export class WebhookRelay implements WebhookEventRelay, OnModuleInit {
  /** Relays of concurrent callers go together: one statement per batch (GroupCommit, docs/performance.md). */
  private readonly held = new GroupCommit<string>(async (ids) => {
    if ((await this.repository.relayAndFanOut(ids)) > 0) await this.queue.wake();
  });

  constructor(
    private readonly outbox: OutboxService,
    private readonly repository: WebhookRepository,
    private readonly queue: WebhookQueue,
  ) {}

  onModuleInit(): void {
    this.outbox.useWebhookRelay(this);
  }

  async relayHeld(ids: string[]): Promise<void> {
    await Promise.all(ids.map((id) => this.held.write(id)));
  }

  fanOutLocked(tx: EntityManager, ids: string[]): Promise<number> {
    return this.repository.fanOutOutbox(tx, ids);
  }

  wake(): Promise<void> {
    return this.queue.wake();
  }

  reserveClaims(): { room: number; leaseMs: number } {
    return this.queue.reserveClaims();
  }

  adoptClaimed(rows: unknown[], reserved: number): void {
    this.queue.adoptClaimed(rows as ClaimedDeliveryRow[], reserved);
  }
}
