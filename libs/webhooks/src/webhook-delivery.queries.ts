import { defineQueries, rawSql, Sql, sql } from '@customer-access/database';
import { OutboxMessageSql, WebhookEventPayload } from '@customer-access/notification';

const EXAMPLE_EVENT: WebhookEventPayload = {
  id: '00000000-0000-4000-8000-0000000000c1',
  type: 'customer.created',
  timestamp: '2026-12-06T10:00:00.000Z',
  data: { customerId: '00000000-0000-4000-8000-000000000001' },
};
const EXAMPLE_IDS = ['00000000-0000-4000-8000-0000000000c1', '00000000-0000-4000-8000-0000000000c2'];

/** A pending delivery as the deliverer claims it, with what it needs of its endpoint. */
export interface ClaimedDeliveryRow {
  id: string;
  eventId: string;
  /** The body to send: `{type, timestamp, data}`. */
  payload: Record<string, unknown>;
  attempts: number;
  /** The event's time (as text, as raw rows carry timestamps). */
  createdAt: string;
  /** The claim: `next_attempt_at` as the claim set it (text, exact); the outcome is written only while it still holds. */
  lease: string;
  endpointId: string;
  url: string;
  enabled: boolean;
  secretSealed: string;
  /** The rotated-out secret while its 24 h last, else null. */
  previousSecretSealed: string | null;
}

/** One attempt's outcome, as recordAttempts writes it. */
export interface AttemptRow {
  id: string;
  lease: string;
  status: string;
  code: number | null;
  error: string | null;
  /** ISO time of the next attempt (pending), else null. */
  next: string | null;
}

/**
 * What a claimed delivery carries of its endpoint (ClaimedDeliveryRow's last five fields), as SQL
 * expressions over `webhook_endpoint e`: one list for the claim (claimDue) and the fan-out's own claim
 * (addedByEvent), so that both sign with the same secrets; the rotated-out one only while its 24 h last.
 */
const CLAIMED_ENDPOINT_FIELDS: ReadonlyArray<[keyof ClaimedDeliveryRow, string]> = [
  ['endpointId', 'e.id'],
  ['url', 'e.url'],
  ['enabled', 'e.enabled'],
  ['secretSealed', 'e.secret_sealed'],
  ['previousSecretSealed', 'case when e.previous_secret_expires_at > now() then e.previous_secret_sealed end'],
];
/** The fields as a select list (`e.id as "endpointId", …`). */
const claimedEndpointColumns = rawSql(CLAIMED_ENDPOINT_FIELDS.map(([name, expression]) => `${expression} as "${name}"`).join(', '));
/** The fields as jsonb_build_object's name/value pairs (`'endpointId', e.id, …`). */
const claimedEndpointPairs = rawSql(CLAIMED_ENDPOINT_FIELDS.map(([name, expression]) => `'${name}', ${expression}`).join(', '));

/**
 * A fan-out's claim for the deliverer of the process that runs it (WebhookDeliveries.reserve): at
 * most `room` of the deliveries it adds are claimed by the insert itself, their `next_attempt_at`
 * `leaseMs` ahead as a claim's, so that no claim statement and no second update of the row follow.
 */
export interface FanOutClaim {
  room: number;
  leaseMs: number;
}

/** A delivery a fan-out added: claimed by it (FanOutClaim) or left due now for any worker's claim. */
export interface AddedDeliveryRow {
  id: string;
  eventId: string;
  endpointId: string;
  payload: Record<string, unknown>;
  createdAt: string;
  claimed: boolean;
  lease: string;
}

/**
 * One pending delivery per endpoint that wants an event of `events` (a relation whose rows have the
 * event as `payload`): the enabled endpoints subscribed to its type, or webhook.test's one endpoint
 * whatever it subscribed to. Idempotent: unique event id and endpoint. With `claim`, up to its room
 * of them are inserted claimed (see FanOutClaim), and the rows returned say which.
 */
const insertDeliveries = (events: Sql, claim?: FanOutClaim): Sql<{ id: string; eventId: string }> =>
  sql<{
    id: string;
    eventId: string;
  }>`insert into webhook_delivery (id, event_id, endpoint_id, type, payload, status, attempts, next_attempt_at, created_at)
      select gen_random_uuid(), (m.payload->>'id')::uuid, e.id, m.payload->>'type',
        jsonb_build_object('type', m.payload->'type', 'timestamp', m.payload->'timestamp', 'data', m.payload->'data'),
        'pending', 0, ${
          claim
            ? sql`case when row_number() over () <= ${claim.room}::int then clock_timestamp() + ${claim.leaseMs} * interval '1 millisecond' else now() end`
            : rawSql('now()')
        }, now()
      from ${events} m join webhook_endpoint e on case
        when m.payload->>'endpointId' is not null then e.id = (m.payload->>'endpointId')::uuid
        else e.enabled and e.events @> jsonb_build_array(m.payload->'type') end
      on conflict (event_id, endpoint_id) do nothing
      returning id, event_id as "eventId"${
        claim
          ? rawSql(
              ', endpoint_id as "endpointId", payload, created_at as "createdAt", next_attempt_at > created_at as claimed, next_attempt_at::text as lease',
            )
          : rawSql('')
      }`;

/** The raw SQL of the webhook_delivery table (docs/development.md, "Raw SQL"). */
export const WebhookDeliverySql = defineQueries(
  {
    /**
     * The fan-out of webhook events written (as relayed) by the same statement: `events` is a relation
     * of their payloads (e.g. the union of the inserts' `returning payload`), so that the event, its
     * deliveries and the change it reports commit together and no relay statement follows. Returns
     * the deliveries' ids; wake the deliverers after the commit when there are any.
     */
    fanOut: (events: Sql): Sql<{ id: string; eventId: string }> => insertDeliveries(events),

    /**
     * The same fan-out, in a worker whose deliverer has room (`claim`): up to `claim.room` of the
     * deliveries are inserted claimed for it (one write of the row fewer than a claim statement's
     * update, and no claim statement), the others due now. Hand the claimed ones to the deliverer
     * after the commit (`addedByEvent` gives them with their endpoints); wake the deliverers for the others.
     */
    fanOutClaiming: (events: Sql, claim: FanOutClaim): Sql<AddedDeliveryRow> => insertDeliveries(events, claim) as Sql<AddedDeliveryRow>,

    /**
     * Per event of `added` (a relation of fanOutClaiming's rows): how many deliveries it got, and the
     * claimed ones as one jsonb array of ClaimedDeliveryRow with their endpoints (null when none).
     * Grouped once, not a subquery per event: a correlated one (tried) pushed the planner's estimate
     * of the token issue past jit_above_cost, and JIT compilation took PostgreSQL ~100 ms a statement.
     */
    addedByEvent: (added: Sql): Sql<{ eventId: string; deliveries: number; claimed: ClaimedDeliveryRow[] | null }> =>
      sql`select d."eventId", count(*)::int as deliveries,
           jsonb_agg(jsonb_build_object('id', d.id, 'eventId', d."eventId", 'payload', d.payload, 'attempts', 0,
             'createdAt', d."createdAt", 'lease', d.lease, ${claimedEndpointPairs}))
             filter (where d.claimed) as claimed
         from ${added} d join webhook_endpoint e on e.id = d."endpointId"
         group by d."eventId"`,

    /**
     * The relay of webhook events whose content the caller holds, in ONE statement: marks their
     * outbox rows relayed (only those still pending: a sweep that got there first did it all) and
     * adds their deliveries. Returns how many deliveries were added: none, no wake-up and no job.
     */
    relayAndFanOut: (ids: string[]): Sql<{ deliveries: number }> =>
      sql`with marked as (${OutboxMessageSql.markPendingRelayedReturning(ids)}),
         added as (${insertDeliveries(rawSql('marked'))})
         select count(*)::int as deliveries from added`,

    /** The sweep's fan-out, in its transaction (the rows locked, marked by the caller): the deliveries added. */
    fanOutOutbox: (ids: string[]): Sql<{ deliveries: number }> =>
      sql`with added as (${insertDeliveries(sql`(select payload from outbox_message where id in (${ids}))`)})
         select count(*)::int as deliveries from added`,

    /** An event held by a `webhook-event` job that an earlier version queued: its deliveries. */
    fanOutEvent: (event: WebhookEventPayload): Sql<{ deliveries: number }> =>
      sql`with added as (${insertDeliveries(sql`(select ${JSON.stringify(event)}::jsonb as payload)`)})
         select count(*)::int as deliveries from added`,

    /**
     * Claims up to `limit` due deliveries (pending, `next_attempt_at` passed), oldest due first, with
     * their endpoints: `next_attempt_at` moves `leaseMs` ahead, so a claim whose worker died lapses
     * and another worker (or the restarted one) sends it again. Rows another claim holds are skipped.
     */
    claimDue: (limit: number, leaseMs: number): Sql<ClaimedDeliveryRow> =>
      sql`with due as (
           select id from webhook_delivery where status = 'pending' and next_attempt_at <= now()
           order by next_attempt_at limit ${limit} for update skip locked
         ),
         claimed as (
           update webhook_delivery d set next_attempt_at = clock_timestamp() + ${leaseMs} * interval '1 millisecond'
           from due where d.id = due.id
           returning d.id, d.event_id, d.endpoint_id, d.payload, d.attempts, d.created_at, d.next_attempt_at
         )
         select c.id, c.event_id as "eventId", c.payload, c.attempts, c.created_at as "createdAt", c.next_attempt_at::text as lease,
           ${claimedEndpointColumns}
         from claimed c join webhook_endpoint e on e.id = c.endpoint_id`,

    /**
     * The outcomes of attempts, in one statement: each written only while its claim still holds
     * (still pending, `next_attempt_at` as claimed: a Retry or a delete meanwhile wins).
     */
    recordAttempts: (attempts: AttemptRow[]): Sql =>
      sql`update webhook_delivery d set status = a.status, attempts = d.attempts + 1, last_response_code = a.code,
           last_error = a.error, next_attempt_at = a.next, delivered_at = case when a.status = 'delivered' then now() end
         from jsonb_to_recordset(${JSON.stringify(attempts)}::jsonb)
           as a(id uuid, lease timestamptz, status text, code int, error text, next timestamptz)
         where d.id = a.id and d.status = 'pending' and d.next_attempt_at = a.lease`,

    /**
     * Claims handed back by a stopping worker (deliveries it claimed and did not start): due again
     * now, for any worker. Only while the claim still holds, as an outcome.
     */
    releaseClaims: (claims: Array<Pick<AttemptRow, 'id' | 'lease'>>): Sql =>
      sql`update webhook_delivery d set next_attempt_at = now()
         from jsonb_to_recordset(${JSON.stringify(claims)}::jsonb) as a(id uuid, lease timestamptz)
         where d.id = a.id and d.status = 'pending' and d.next_attempt_at = a.lease`,

    /**
     * Pending deliveries (the queue's depth) and the age in seconds of the oldest (0 when none): read
     * through webhook_delivery_due_idx, which holds every pending row (no index of its own: the metric
     * is read at scrape time, the index would be written by every delivery).
     */
    pendingSummary: (): Sql<{ pending: number; seconds: number }> =>
      sql`select count(*)::int as pending, coalesce(extract(epoch from now() - min(created_at)), 0)::float8 as seconds
          from webhook_delivery where status = 'pending'`,
  },
  {
    fanOut: [[sql`(select ${JSON.stringify(EXAMPLE_EVENT)}::jsonb as payload)`]],
    fanOutClaiming: [[sql`(select ${JSON.stringify(EXAMPLE_EVENT)}::jsonb as payload)`, { room: 64, leaseMs: 50_000 }]],
    addedByEvent: [
      [
        rawSql(
          `(select id, event_id as "eventId", endpoint_id as "endpointId", payload, created_at as "createdAt", true as claimed, next_attempt_at::text as lease from webhook_delivery)`,
        ),
      ],
    ],
    relayAndFanOut: [[EXAMPLE_IDS]],
    fanOutOutbox: [[EXAMPLE_IDS]],
    fanOutEvent: [[EXAMPLE_EVENT], [{ ...EXAMPLE_EVENT, type: 'webhook.test', endpointId: '00000000-0000-4000-8000-0000000000d1' }]],
    claimDue: [[32, 50_000]],
    recordAttempts: [
      [
        [
          { id: EXAMPLE_IDS[0], lease: '2026-12-06 10:00:50.123456+00', status: 'delivered', code: 204, error: null, next: null },
          {
            id: EXAMPLE_IDS[1],
            lease: '2026-12-06 10:00:50.123456+00',
            status: 'pending',
            code: 500,
            error: 'answered 500',
            next: '2026-12-06T10:00:55.000Z',
          },
        ],
      ],
    ],
    releaseClaims: [[[{ id: EXAMPLE_IDS[0], lease: '2026-12-06 10:00:50.123456+00' }]]],
    pendingSummary: [[]],
  },
);
