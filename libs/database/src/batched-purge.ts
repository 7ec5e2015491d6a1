import { EntityManager } from '@mikro-orm/postgresql';

/**
 * A table whose rows age out. `agedFrom` is the SQL expression (over the table's own columns) of
 * the instant a row starts to age: its expiry, its revocation, its creation. The table must have
 * an index on exactly that expression: every batch is then a range scan of that index, never a
 * sequential scan of the table (pinned by the medium test's EXPLAIN).
 */
export interface PurgeTarget {
  /** The table, also the `table` label of the metrics and the logs. */
  table: string;
  /** Its primary key column. */
  key: string;
  agedFrom: string;
  /** The index on `agedFrom`, named for the plan check and the README. */
  index: string;
}

export interface PurgedBatch {
  deleted: number;
  /** The latest `agedFrom` among the deleted rows (exact, as text), where the next batch starts. */
  last: string | null;
}

/**
 * SQL of one batch: the `limit` oldest rows past retention, picked through the index on
 * `agedFrom`, deleted by primary key in one short statement.
 *
 * - `= any(array(...))` rather than `in (select ...)`: the ids reach the delete as one array, so it
 *   is always a primary-key index scan; with `in`, the planner may hash-join against a sequential
 *   scan of the whole table (it did on a 22k-row table).
 * - `for update skip locked`: a row a request holds right now is left for the next run, so the
 *   purge never waits on a request; a request only ever waits on a row that is past retention.
 * - `after` (keyset): each batch starts where the previous one stopped, instead of walking again
 *   over the index entries of rows just deleted (dead until vacuum), so batch 400 costs what batch
 *   1 did. `>=` keeps rows that share the boundary instant.
 */
export function purgeBatchSql(target: PurgeTarget, keyset: boolean): string {
  const { table, key, agedFrom } = target;
  return `with gone as (
  delete from ${table} where ${key} = any(array(
    select ${key} from ${table}
    where ${agedFrom} < now() - make_interval(secs => ?)${keyset ? `\n      and ${agedFrom} >= ?::timestamptz` : ''}
    order by ${agedFrom}
    limit ?
    for update skip locked))
  returning ${agedFrom} as aged_from)
select count(*)::int as deleted, max(aged_from)::text as last from gone`;
}

/** Deletes one batch of rows older than `retentionSeconds`, starting at `after` when given. */
export async function purgeBatch(
  em: EntityManager,
  target: PurgeTarget,
  retentionSeconds: number,
  limit: number,
  after: string | null = null,
): Promise<PurgedBatch> {
  const params = after === null ? [retentionSeconds, limit] : [retentionSeconds, after, limit];
  const rows = await em.getConnection().execute<{ deleted: number; last: string | null }[]>(purgeBatchSql(target, after !== null), params);
  return { deleted: rows[0]?.deleted ?? 0, last: rows[0]?.last ?? null };
}

/**
 * Seconds since the oldest row's `agedFrom` (0 when the table is empty or its oldest row has not
 * started to age yet, e.g. only live tokens). min() over the indexed expression reads one index
 * entry.
 */
export async function oldestRowAgeSeconds(em: EntityManager, target: PurgeTarget): Promise<number> {
  const rows = await em
    .getConnection()
    .execute<{ age: number | null }[]>(`select extract(epoch from now() - min(${target.agedFrom}))::float8 as age from ${target.table}`);
  return Math.max(0, rows[0]?.age ?? 0);
}
