import { defineQueries, rawSql, Row, Sql, sql } from '@customer-access/database';
import { MailJob, MailJobPayload, OutboxJobName, WebhookEventPayload } from './mail-jobs';
import { OutboxMessage } from './outbox-message.entity';

/** A pending message as the relay reads it. */
export type OutboxRow = Row<OutboxMessage, 'id'> & { jobName: OutboxJobName; payload: MailJobPayload | WebhookEventPayload };

const EXAMPLE_IDS = ['00000000-0000-4000-8000-0000000000b1', '00000000-0000-4000-8000-0000000000b2'];

/**
 * Records outbox message `id` (or an SQL expression over `from`'s rows, one id each): one row per row of `from` (e.g. `from changed`, a CTE of the caller's
 * statement; an empty clause records exactly one), its payload built by the SQL expression `payload`.
 * `relayed`: recorded as already relayed, for a statement that does the relay's work itself (a
 * webhook event fanned out to its deliveries in the statement that writes it).
 */
const insert = (id: string | Sql, jobName: OutboxJobName, payload: Sql, from: Sql, relayed = false): Sql =>
  relayed
    ? sql`insert into outbox_message (id, job_name, payload, created_at, relayed_at)
      select ${id}, ${jobName}, ${payload}, now(), now() ${from}`
    : sql`insert into outbox_message (id, job_name, payload, created_at)
      select ${id}, ${jobName}, ${payload}, now() ${from}`;

/** The raw SQL of the outbox_message table (docs/development.md, "Raw SQL"). */
export const OutboxMessageSql = defineQueries(
  {
    insert,

    /** Records one message with its payload. */
    add: <N extends MailJob>(id: string, jobName: N, payload: MailJobPayload<N>): Sql =>
      insert(id, jobName, sql`${JSON.stringify(payload)}::jsonb`, rawSql('')),

    /** The given messages if still pending, locked for the relay; others' locks are skipped. */
    lockPending: (ids: string[]): Sql<OutboxRow> =>
      sql`select id, job_name as "jobName", payload from outbox_message
          where id in (${ids}) and relayed_at is null for update skip locked`,

    /** The oldest pending messages (the sweep), locked for the relay; others' locks are skipped. */
    lockOldestPending: (limit: number): Sql<OutboxRow> =>
      sql`select id, job_name as "jobName", payload from outbox_message
          where relayed_at is null order by created_at limit ${limit} for update skip locked`,

    /**
     * Marks the given messages relayed if still pending and returns their payloads, for a relay that
     * acts on them in the same statement (libs/webhooks fans webhook events out to their deliveries).
     */
    markPendingRelayedReturning: (ids: string[]): Sql<{ payload: WebhookEventPayload }> =>
      sql`update outbox_message set relayed_at = now() where id in (${ids}) and relayed_at is null returning payload`,

    /** Marks messages relayed: the relay's own, locked in its transaction (lockPending, lockOldestPending). */
    markRelayed: (ids: string[]): Sql => sql`update outbox_message set relayed_at = now() where id in (${ids})`,
  },
  {
    insert: [
      [EXAMPLE_IDS[0], MailJob.PasswordChanged, rawSql(`jsonb_build_object('customerId', id)`), rawSql('from customer limit 1')],
      [EXAMPLE_IDS[0], MailJob.PasswordChanged, rawSql(`jsonb_build_object('customerId', id)`), rawSql('from customer limit 1'), true],
    ],
    add: [[EXAMPLE_IDS[0], MailJob.PasswordChanged, { customerId: '00000000-0000-4000-8000-000000000001' }]],
    lockPending: [[EXAMPLE_IDS]],
    lockOldestPending: [[100]],
    markPendingRelayedReturning: [[EXAMPLE_IDS]],
    markRelayed: [[EXAMPLE_IDS]],
  },
);
