import { EntityManager } from '@mikro-orm/postgresql';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { setTimeout as sleep } from 'node:timers/promises';
import { APP_CONFIG, AppConfig } from '@customer-access/config';
import { oldestRowAgeSeconds, purgeBatch, purgeParents } from '@customer-access/database';
import { OldestRowSource, RetentionMetrics } from '@customer-access/observability';
import { RetentionRule, retentionRules } from './retention-rules';

export interface TablePurge {
  table: string;
  rows: number;
  seconds: number;
  /** 'kept forever' (retention 0) or 'stopped' (worker shutting down); absent when done. */
  note?: 'kept forever' | 'stopped';
}

/**
 * Deletes, table by table, the rows past their retention: batches of RETENTION_BATCH_SIZE rows
 * with RETENTION_BATCH_PAUSE_MS between them, until a batch comes back short (for a table purged
 * per parent, such as webhook deliveries per endpoint, so for each parent in turn). Runs in one worker
 * at a time (RetentionProcessor); stops between two batches when asked to (shutdown) and the next
 * run carries on where it stopped.
 */
@Injectable()
export class RetentionService implements OldestRowSource {
  private readonly logger = new Logger('Retention');
  readonly rules: RetentionRule[];

  constructor(
    private readonly em: EntityManager,
    @Inject(APP_CONFIG) private readonly config: Pick<AppConfig, 'retention'>,
    private readonly metrics: RetentionMetrics,
  ) {
    this.rules = retentionRules(config.retention);
  }

  async run(signal?: AbortSignal): Promise<TablePurge[]> {
    const results: TablePurge[] = [];
    for (const rule of this.rules) {
      if (signal?.aborted) break;
      const result = await this.purgeTable(rule, signal);
      results.push(result);
      // One line per table and run (table, rows, seconds), also when nothing was due.
      this.logger.log({
        msg: `Retention: ${result.note === 'kept forever' ? 'kept forever' : `purged ${result.rows} row(s)`} from ${result.table} in ${result.seconds} s${result.note === 'stopped' ? ' (stopped for shutdown)' : ''}`,
        table: result.table,
        rows: result.rows,
        seconds: result.seconds,
      });
    }
    return results;
  }

  async purgeTable({ target, keepForSeconds }: RetentionRule, signal?: AbortSignal): Promise<TablePurge> {
    const started = process.hrtime.bigint();
    const seconds = (): number => Math.round(Number(process.hrtime.bigint() - started) / 1e6) / 1000;
    if (keepForSeconds === 0) return { table: target.table, rows: 0, seconds: 0, note: 'kept forever' };
    const { batchSize, batchPauseMs } = this.config.retention;
    let rows = 0;
    const parents = await purgeParents(this.em, target);
    for (const [i, parent] of parents.entries()) {
      if (i > 0 && signal?.aborted) return { table: target.table, rows, seconds: seconds(), note: 'stopped' };
      let after: string | null = null;
      for (;;) {
        const batch = await purgeBatch(this.em, target, keepForSeconds, batchSize, after, parent);
        rows += batch.deleted;
        this.metrics.rowsPurged.labels(target.table).inc(batch.deleted);
        if (batch.deleted < batchSize) break;
        after = batch.last;
        if (signal?.aborted || !(await pause(batchPauseMs, signal)))
          return { table: target.table, rows, seconds: seconds(), note: 'stopped' };
      }
    }
    return { table: target.table, rows, seconds: seconds() };
  }

  /** For the oldest-row gauge, read at scrape time. */
  async oldestRowAges(): Promise<Record<string, number>> {
    const ages: Record<string, number> = {};
    for (const { target } of this.rules) ages[target.table] = await oldestRowAgeSeconds(this.em, target);
    return ages;
  }
}

/** Waits `ms`; false when `signal` aborted the wait. */
async function pause(ms: number, signal?: AbortSignal): Promise<boolean> {
  if (ms === 0) return true;
  try {
    await sleep(ms, undefined, { signal });
    return true;
  } catch {
    return false;
  }
}
