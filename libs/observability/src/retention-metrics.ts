import { Counter, Gauge } from 'prom-client';
import { METRIC_PREFIX, MetricsRegistry, withTimeout } from './metrics';

/** Rows deleted by the worker's retention purge, by table. */
export class RetentionMetrics {
  readonly rowsPurged: Counter<'table'>;

  constructor(
    readonly metrics: MetricsRegistry,
    tables: readonly string[],
  ) {
    this.rowsPurged = new Counter({
      name: `${METRIC_PREFIX}rows_purged_total`,
      help: 'Rows deleted by the retention purge, by table.',
      labelNames: ['table'],
      registers: [metrics.registry],
    });
    for (const table of tables) this.rowsPurged.labels(table).inc(0);
  }
}

/** Anything that can tell, per table, how old its oldest row is (the worker's retention purge). */
export interface OldestRowSource {
  oldestRowAges(): Promise<Record<string, number>>;
}

/**
 * The age of each table's oldest row, read from the database at scrape time. This is the gauge to
 * alert on: it stays below retention + interval while the purge works, and keeps growing when the
 * purge stops running (a stale value recorded after the last run could not show that). A scrape
 * while the database is down still answers, without this gauge.
 */
export function registerOldestRowGauge(metrics: MetricsRegistry, source: OldestRowSource, timeoutMs = 2000): void {
  const oldest = new Gauge({
    name: `${METRIC_PREFIX}retention_oldest_row_age_seconds`,
    help:
      'Seconds since the oldest row of a table started to age (tokens: expiry or revocation; audit, delivery log: ' +
      'creation; outbox: relay); 0 when none has. Read at scrape time.',
    labelNames: ['table'],
    registers: [metrics.registry],
    async collect() {
      oldest.reset();
      try {
        const ages = await withTimeout(source.oldestRowAges(), timeoutMs);
        for (const [table, age] of Object.entries(ages)) oldest.labels(table).set(age);
      } catch {
        /* left out of this scrape */
      }
    },
  });
}
