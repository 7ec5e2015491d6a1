import { request } from 'node:http';
import { metricsScrapeAllowed } from './metrics-auth';
import { MetricsServer } from './metrics-server';
import { ApiMetrics, MetricsRegistry, registerQueueGauges, WorkerMetrics } from './metrics';

function get(port: number, path: string, headers: Record<string, string> = {}): Promise<{ status: number; body: string; type?: string }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, headers }, (res) => {
      let body = '';
      res.on('data', (c) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body, type: res.headers['content-type'] }));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('metrics', () => {
  it('registries are per process and label every series with the app', async () => {
    const api = new ApiMetrics(new MetricsRegistry('api', { defaultMetrics: false }));
    const again = new ApiMetrics(new MetricsRegistry('api', { defaultMetrics: false }));
    api.resetsFailed.labels('RESET_TOKEN_EXPIRED').inc();
    const text = await api.metrics.metrics();
    expect(text).toContain('customer_access_password_resets_failed_total{reason="RESET_TOKEN_EXPIRED",app="api"} 1');
    expect(text).toContain('customer_access_password_resets_requested_total{origin="storefront",app="api"} 0');
    expect(await again.metrics.metrics()).not.toContain('reason="RESET_TOKEN_EXPIRED"');
  });

  it('exposes the worker counters for every job name from the start', async () => {
    const worker = new WorkerMetrics(new MetricsRegistry('worker', { defaultMetrics: false }), ['password-reset-requested']);
    worker.emailsRetried.labels('password-reset-requested').inc(2);
    const text = await worker.metrics.metrics();
    expect(text).toContain('customer_access_emails_sent_total{job="password-reset-requested",app="worker"} 0');
    expect(text).toContain('customer_access_emails_failed_total{job="password-reset-requested",app="worker"} 0');
    expect(text).toContain('customer_access_emails_retried_total{job="password-reset-requested",app="worker"} 2');
  });

  it('reads queue counts at scrape time, and reports a queue it cannot read as down', async () => {
    const metrics = new MetricsRegistry('api', { defaultMetrics: false });
    registerQueueGauges(
      metrics,
      [
        { name: 'mail', getJobCounts: async () => ({ waiting: 3, active: 1, failed: 2 }) },
        { name: 'broken', getJobCounts: () => Promise.reject(new Error('Connection is closed')) },
        { name: 'slow', getJobCounts: () => new Promise(() => undefined) },
      ],
      100,
    );
    const text = await metrics.metrics();
    expect(text).toContain('customer_access_queue_jobs{queue="mail",state="waiting",app="api"} 3');
    expect(text).toContain('customer_access_queue_jobs{queue="mail",state="active",app="api"} 1');
    expect(text).toContain('customer_access_queue_jobs{queue="mail",state="failed",app="api"} 2');
    expect(text).toContain('customer_access_queue_up{queue="mail",app="api"} 1');
    expect(text).toContain('customer_access_queue_up{queue="broken",app="api"} 0');
    expect(text).toContain('customer_access_queue_up{queue="slow",app="api"} 0');
  });

  it('checks a metrics token in constant time, and is open without one', () => {
    const token = 'scrape-token-0123456789';
    expect(metricsScrapeAllowed(undefined, undefined)).toBe(true);
    expect(metricsScrapeAllowed(token, `Bearer ${token}`)).toBe(true);
    expect(metricsScrapeAllowed(token, `bearer ${token}`)).toBe(true);
    expect(metricsScrapeAllowed(token, `Bearer ${token}x`)).toBe(false);
    expect(metricsScrapeAllowed(token, token)).toBe(false);
    expect(metricsScrapeAllowed(token, undefined)).toBe(false);
  });

  describe('worker metrics server', () => {
    const metrics = new WorkerMetrics(new MetricsRegistry('worker'), ['password-changed']);
    let server: MetricsServer;
    let port: number;

    afterEach(async () => {
      await server?.close();
    });

    it('serves GET /metrics in the Prometheus text format, and nothing else', async () => {
      server = new MetricsServer(metrics.metrics, undefined);
      port = await server.listen(0, '127.0.0.1');
      const res = await get(port, '/metrics');
      expect(res.status).toBe(200);
      expect(res.type).toContain('text/plain');
      expect(res.body).toContain('customer_access_emails_sent_total{job="password-changed",app="worker"} 0');
      expect(res.body).toContain('process_cpu_user_seconds_total');
      expect((await get(port, '/')).status).toBe(404);
    });

    it('asks for the token when METRICS_TOKEN is set', async () => {
      server = new MetricsServer(metrics.metrics, 'scrape-token-0123456789');
      port = await server.listen(0, '127.0.0.1');
      expect((await get(port, '/metrics')).status).toBe(401);
      expect((await get(port, '/metrics', { authorization: 'Bearer scrape-token-0123456789' })).status).toBe(200);
    });

    it('rejects when the port is taken, so the caller can carry on without metrics', async () => {
      server = new MetricsServer(metrics.metrics, undefined);
      port = await server.listen(0, '127.0.0.1');
      const second = new MetricsServer(metrics.metrics, undefined);
      await expect(second.listen(port, '127.0.0.1')).rejects.toMatchObject({ code: 'EADDRINUSE' });
    });
  });
});
