import { defineQueries, Sql, sql } from '@customer-access/database';
import { WebhookEventPayload } from '@customer-access/notification';

const EXAMPLE_EVENT: WebhookEventPayload = {
  id: '00000000-0000-4000-8000-0000000000c1',
  type: 'customer.created',
  timestamp: '2026-12-06T10:00:00.000Z',
  data: { customerId: '00000000-0000-4000-8000-000000000001' },
};

/** The raw SQL of the webhook_delivery table (docs/development.md, "Raw SQL"). */
export const WebhookDeliverySql = defineQueries(
  {
    /**
     * One pending delivery per enabled endpoint that wants the event (webhook.test: its one
     * endpoint, whatever it subscribed to). Idempotent: a second fan-out of the same event adds
     * nothing (unique event id and endpoint). Returns the event's pending deliveries, new or not.
     */
    fanOut: (event: WebhookEventPayload): Sql<{ id: string }> => {
      const body = JSON.stringify({ type: event.type, timestamp: event.timestamp, data: event.data });
      const target = event.endpointId
        ? sql`e.id = ${event.endpointId}`
        : sql`e.enabled and e.events @> jsonb_build_array(${event.type}::text)`;
      return sql`with added as (
           insert into webhook_delivery (id, event_id, endpoint_id, type, payload, status, attempts, next_attempt_at, created_at)
           select gen_random_uuid(), ${event.id}, e.id, ${event.type}, ${body}::jsonb, 'pending', 0, now(), now()
           from webhook_endpoint e where ${target}
           on conflict (event_id, endpoint_id) do nothing
           returning id
         )
         select id from added
         union
         select id from webhook_delivery where event_id = ${event.id} and status = 'pending'`;
    },

    /** Age in seconds of the oldest pending delivery (0 when none). */
    oldestPendingAge: (): Sql<{ seconds: number }> =>
      sql`select coalesce(extract(epoch from now() - min(created_at)), 0)::float8 as seconds
          from webhook_delivery where status = 'pending'`,
  },
  {
    fanOut: [[EXAMPLE_EVENT], [{ ...EXAMPLE_EVENT, type: 'webhook.test', endpointId: '00000000-0000-4000-8000-0000000000d1' }]],
    oldestPendingAge: [[]],
  },
);
