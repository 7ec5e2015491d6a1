import { defineQueries, rawSql, Sql, sql } from './sql';

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
  /**
   * The index the batches read, named for the plan check and docs/operations.md: on `agedFrom`, or,
   * with `per`, on (`per.column`, `agedFrom`).
   */
  index: string;
  /**
   * Rows purged parent by parent instead of through an index of their own on `agedFrom`: every row
   * references a parent (`column`, not null, deleted with it), and `index` leads with `column`. A
   * batch then reads one parent's oldest rows past retention through `index`, so it reads only the
   * rows it deletes, however many parents there are; the run goes through the parents one after the
   * other ({@link PurgeSql.parents}). For tables that write one index fewer per row (webhook
   * deliveries, per endpoint).
   */
  per?: { table: string; key: string; column: string };
}

export interface PurgedBatch {
  deleted: number;
  /** The latest `agedFrom` among the deleted rows (exact, as text), where the next batch starts. */
  last: string | null;
}

const EXAMPLE_TARGET: PurgeTarget = {
  table: 'email_log',
  key: 'id',
  agedFrom: 'requested_at',
  index: 'email_log_requested_at_idx',
};
const EXAMPLE_PER_TARGET: PurgeTarget = {
  table: 'webhook_delivery',
  key: 'id',
  agedFrom: 'created_at',
  index: 'webhook_delivery_endpoint_created_idx',
  per: { table: 'webhook_endpoint', key: 'id', column: 'endpoint_id' },
};

/**
 * The retention purge's raw SQL, for any {@link PurgeTarget} (the worker's retention rules name
 * them; their names and expressions are constants, never input).
 */
export const PurgeSql = defineQueries(
  {
    /**
     * One batch: the `limit` oldest rows past retention (of one parent, with `per`), picked through
     * the index on `agedFrom` (with `per`, on the parent's column and `agedFrom`), deleted by primary
     * key in one short statement.
     *
     * - `= any(array(...))` rather than `in (select ...)`: the ids reach the delete as one array, so
     *   it is always a primary-key index scan; with `in`, the planner may hash-join against a
     *   sequential scan of the whole table (it did on a 22k-row table).
     * - `for update skip locked`: a row a request holds right now is left for the next run, so the
     *   purge never waits on a request; a request only ever waits on a row that is past retention.
     * - `after` (keyset): each batch starts where the previous one stopped, instead of walking again
     *   over the index entries of rows just deleted (dead until vacuum), so batch 400 costs what
     *   batch 1 did. `>=` keeps rows that share the boundary instant.
     */
    batch: (
      target: PurgeTarget,
      retentionSeconds: number,
      limit: number,
      after: string | null,
      parent: string | null = null,
    ): Sql<PurgedBatch> => {
      const [table, key, agedFrom] = [rawSql(target.table), rawSql(target.key), rawSql(target.agedFrom)];
      if (!target.per !== (parent === null))
        throw new Error(`${target.table}: a batch names a parent exactly when the target is purged per parent`);
      const ofParent = target.per ? sql`${rawSql(target.per.column)} = ${parent} and ` : rawSql('');
      const keyset = after === null ? rawSql('') : sql`\n      and ${agedFrom} >= ${after}::timestamptz`;
      return sql`with gone as (
  delete from ${table} where ${key} = any(array(
    select ${key} from ${table}
    where ${ofParent}${agedFrom} < now() - make_interval(secs => ${retentionSeconds})${keyset}
    order by ${agedFrom}
    limit ${limit}
    for update skip locked))
  returning ${agedFrom} as aged_from)
select count(*)::int as deleted, max(aged_from)::text as last from gone`;
    },

    /** With `per`: the parents whose rows a run purges, one after the other (as text). */
    parents: (target: PurgeTarget): Sql<{ key: string }> => {
      if (!target.per) throw new Error(`${target.table} is not purged per parent`);
      const [parent, parentKey] = [rawSql(target.per.table), rawSql(target.per.key)];
      return sql`select ${parentKey}::text as key from ${parent} order by ${parentKey}`;
    },

    /**
     * Seconds since the oldest row's `agedFrom` (null when the table is empty). min() over the
     * indexed expression reads one index entry.
     */
    oldestRowAge: (target: PurgeTarget): Sql<{ age: number | null }> => {
      const [table, agedFrom] = [rawSql(target.table), rawSql(target.agedFrom)];
      if (!target.per) return sql`select extract(epoch from now() - min(${agedFrom}))::float8 as age from ${table}`;
      // With `per`: each parent's oldest, one index entry each.
      const [parent, parentKey, column] = [rawSql(target.per.table), rawSql(target.per.key), rawSql(target.per.column)];
      return sql`select extract(epoch from now() - min(r.aged_from))::float8 as age from ${parent} p cross join lateral (
  select ${agedFrom} as aged_from from ${table} where ${column} = p.${parentKey} order by ${agedFrom} limit 1) r`;
    },
  },
  {
    batch: [
      [EXAMPLE_TARGET, 90 * 86_400, 5000, null],
      [EXAMPLE_TARGET, 90 * 86_400, 5000, '2026-01-01 00:00:00+00'],
      [EXAMPLE_PER_TARGET, 30 * 86_400, 5000, '2026-01-01 00:00:00+00', '00000000-0000-4000-8000-000000000000'],
    ],
    parents: [[EXAMPLE_PER_TARGET]],
    oldestRowAge: [[EXAMPLE_TARGET], [EXAMPLE_PER_TARGET]],
  },
);
