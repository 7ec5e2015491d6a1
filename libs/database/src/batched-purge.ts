import { EntityManager } from '@mikro-orm/postgresql';
import { PurgedBatch, PurgeSql, PurgeTarget } from './purge.queries';
import { selectRows } from './sql';

/**
 * The text of a batch's statement (PurgeSql.batch) for a target without `per`, positional
 * parameters: `$1` the retention in seconds, then with `keyset` the instant to start after, then
 * the batch size.
 */
export function purgeBatchSql(target: PurgeTarget, keyset: boolean): string {
  return PurgeSql.batch(target, 0, 0, keyset ? '' : null).text;
}

/**
 * Deletes one batch of rows older than `retentionSeconds`, starting at `after` when given; of
 * `parent` only, for a target purged per parent.
 */
export async function purgeBatch(
  em: EntityManager,
  target: PurgeTarget,
  retentionSeconds: number,
  limit: number,
  after: string | null = null,
  parent: string | null = null,
): Promise<PurgedBatch> {
  const [row] = await selectRows(em, PurgeSql.batch(target, retentionSeconds, limit, after, parent));
  return { deleted: row?.deleted ?? 0, last: row?.last ?? null };
}

/** The parents a run goes through for a target purged per parent; `[null]` (the whole table) for any other. */
export async function purgeParents(em: EntityManager, target: PurgeTarget): Promise<(string | null)[]> {
  if (!target.per) return [null];
  return (await selectRows(em, PurgeSql.parents(target))).map((row) => row.key);
}

/**
 * Seconds since the oldest row's `agedFrom` (0 when the table is empty or its oldest row has not
 * started to age yet, e.g. only live tokens).
 */
export async function oldestRowAgeSeconds(em: EntityManager, target: PurgeTarget): Promise<number> {
  const [row] = await selectRows(em, PurgeSql.oldestRowAge(target));
  return Math.max(0, row?.age ?? 0);
}
