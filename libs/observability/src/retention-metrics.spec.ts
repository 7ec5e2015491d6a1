import { MetricsRegistry } from './metrics';
import { registerOldestRowGauge, RetentionMetrics } from './retention-metrics';

describe('retention metrics', () => {
  const registry = () => new MetricsRegistry('worker', { defaultMetrics: false });

  it('counts purged rows per table, every table present from the start at 0', async () => {
    const metrics = registry();
    const retention = new RetentionMetrics(metrics, ['access_token', 'admin_audit_event']);
    retention.rowsPurged.labels('access_token').inc(5000);
    const text = await metrics.metrics();
    expect(text).toContain('customer_access_rows_purged_total{table="access_token",app="worker"} 5000');
    expect(text).toContain('customer_access_rows_purged_total{table="admin_audit_event",app="worker"} 0');
  });

  it('reads the oldest-row ages at each scrape', async () => {
    const metrics = registry();
    let age = 10;
    registerOldestRowGauge(metrics, { oldestRowAges: async () => ({ access_token: age }) });
    expect(await metrics.metrics()).toContain('customer_access_retention_oldest_row_age_seconds{table="access_token",app="worker"} 10');
    age = 90_000;
    expect(await metrics.metrics()).toContain('customer_access_retention_oldest_row_age_seconds{table="access_token",app="worker"} 90000');
  });

  it('leaves the gauge out of a scrape when the database fails or does not answer in time; the scrape still answers', async () => {
    const metrics = registry();
    let source: () => Promise<Record<string, number>> = async () => ({ access_token: 1 });
    registerOldestRowGauge(metrics, { oldestRowAges: () => source() }, 50);
    expect(await metrics.metrics()).toContain('oldest_row_age_seconds{table="access_token"');
    source = () => Promise.reject(new Error('connection refused'));
    expect(await metrics.metrics()).not.toContain('oldest_row_age_seconds{');
    source = () => new Promise(() => undefined);
    expect(await metrics.metrics()).not.toContain('oldest_row_age_seconds{');
  });
});
