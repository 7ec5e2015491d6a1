import { defineQueries, rawSql, Sql, sql } from '@customer-access/database';
import { OutboxMessageSql, WEBHOOK_EVENT_JOB, WebhookEventPayload } from '@customer-access/notification';
import { WebhookEventType } from './webhook-events';

/** The event's time as ISO 8601 UTC with milliseconds, from the statement's clock. */
const NOW_ISO = rawSql(`to_char(now() at time zone 'utc', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`);

const EXAMPLE_ID = '00000000-0000-4000-8000-0000000000c1';
const EXAMPLE_CONTACT = rawSql(
  `select id, email, website_code as "websiteCode", store_view_code as "storeViewCode" from customer where id = '00000000-0000-4000-8000-000000000001'`,
);

const forCustomer = (
  id: string | Sql,
  type: WebhookEventType,
  contact: Sql,
  extra: Sql = rawSql(`'{}'::jsonb`),
  where: Sql = rawSql('true'),
  relayed = false,
): Sql<{ payload: WebhookEventPayload }> =>
  sql`${OutboxMessageSql.insert(
    id,
    WEBHOOK_EVENT_JOB,
    sql`jsonb_build_object('id', ${id}::text, 'type', ${type}::text, 'timestamp', ${NOW_ISO},
          'data', jsonb_build_object('customerId', c.id, 'email', c.email, 'websiteCode', c."websiteCode", 'storeViewCode', c."storeViewCode") || ${extra})`,
    sql`from (${contact}) c where ${where}`,
    relayed,
  )} returning payload`;

/**
 * Webhook events, written to the outbox (notification's outbox_message, through its insert) in the
 * statement or transaction of the change they report (docs/architecture.md, Outbox). Each insert
 * returns the payload it wrote, so that the caller can relay it at once (OutboxService.enqueueWebhookEvents).
 */
export const WebhookEventSql = defineQueries(
  {
    /**
     * Records event `id` of `type` about the customer `contact` selects (a select giving `id`,
     * `email`, `"websiteCode"`, `"storeViewCode"`: the customers lib's CustomerSql.contact, or a CTE
     * of the caller's statement); `extra` (a jsonb expression over `c`) joins `data`. No customer
     * row, no event. `id` may be an expression over `c` (e.g. `c."eventId"`): one event per row of a
     * contact relation of many customers. `relayed`: recorded as relayed, for a statement that also fans the event out
     * (WebhookDeliverySql.fanOut over the payloads returned); otherwise the caller relays it once committed.
     */
    forCustomer,

    /** As forCustomer, `extra` given as values (e.g. `{reason: 'force_sign_in', revoked: 2}`). */
    forCustomerWith: (
      id: string,
      type: WebhookEventType,
      contact: Sql,
      extra: Record<string, string | number>,
    ): Sql<{ payload: WebhookEventPayload }> => forCustomer(id, type, contact, sql`${JSON.stringify(extra)}::jsonb`),

    /** webhook.test for one endpoint. */
    test: (id: string, endpointId: string): Sql =>
      OutboxMessageSql.insert(
        id,
        WEBHOOK_EVENT_JOB,
        sql`jsonb_build_object('id', ${id}::text, 'type', ${WebhookEventType.Test}::text, 'timestamp', ${NOW_ISO},
              'endpointId', ${endpointId}::text, 'data', jsonb_build_object('message', 'This is a test event.'))`,
        rawSql(''),
      ),
  },
  {
    forCustomer: [
      [EXAMPLE_ID, WebhookEventType.CustomerCreated, EXAMPLE_CONTACT],
      [EXAMPLE_ID, WebhookEventType.TokensRevoked, EXAMPLE_CONTACT, rawSql(`jsonb_build_object('reason', 'password_reset', 'revoked', 2)`)],
      [EXAMPLE_ID, WebhookEventType.PasswordChanged, EXAMPLE_CONTACT, rawSql(`'{}'::jsonb`), rawSql('true'), true],
    ],
    forCustomerWith: [[EXAMPLE_ID, WebhookEventType.TokensRevoked, EXAMPLE_CONTACT, { reason: 'force_sign_in', revoked: 2 }]],
    test: [[EXAMPLE_ID, '00000000-0000-4000-8000-0000000000d1']],
  },
);
