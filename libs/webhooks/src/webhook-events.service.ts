import { EntityManager } from '@mikro-orm/postgresql';
import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { runStatement, selectRows, Sql } from '@customer-access/database';
import { OutboxService, WebhookEventPayload } from '@customer-access/notification';
import { WebhookEventSql } from './webhook-event.queries';
import { WebhookEventType } from './webhook-events';

/**
 * Records webhook events in the caller's transaction (the outbox), and relays them once committed.
 * An event is never produced for a change that rolled back, and a committed one is never lost: what
 * the relay misses, the worker's outbox sweep sends.
 */
@Injectable()
export class WebhookEvents {
  constructor(private readonly outbox: OutboxService) {}

  /** See WebhookEventSql.forCustomer. Returns the event written (null without a customer); relay it with relay() once committed. */
  async recordForCustomer(
    em: EntityManager,
    type: WebhookEventType,
    contact: Sql,
    extra: Record<string, string | number> = {},
  ): Promise<WebhookEventPayload | null> {
    const [row] = await selectRows(em, WebhookEventSql.forCustomerWith(randomUUID(), type, contact, extra));
    return row?.payload ?? null;
  }

  /** After the commit: relays events whose content the caller holds (best effort; the sweep repairs). */
  async relay(events: Array<WebhookEventPayload | null>): Promise<void> {
    await this.outbox.enqueueWebhookEvents(events.filter((e): e is WebhookEventPayload => e !== null));
  }

  async recordTest(em: EntityManager, endpointId: string): Promise<string> {
    const id = randomUUID();
    await runStatement(em, WebhookEventSql.test(id, endpointId));
    return id;
  }

  /** After the commit: relays the events at once (best effort; an id that wrote no row is ignored). */
  async relayCommitted(...ids: string[]): Promise<void> {
    await Promise.all(ids.map((id) => this.outbox.relayCommitted(id)));
  }
}
