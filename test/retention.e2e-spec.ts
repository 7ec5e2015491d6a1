import { Queue } from 'bullmq';
import { BULLMQ_PREFIX } from '../libs/redis/src/key-layout';
import { jsonLines, metricValue, scrape } from './support/ops';
import { ProcessGroup } from './support/processes';
import { freePort, ManagedProcess, Stack, startStack } from './support/stack';

/**
 * The retention purge in the real worker processes: a BullMQ job that two workers never run at the
 * same time, the first run soon after a worker starts, one log line per table and run, metrics.
 */
describe('retention purge with two workers', () => {
  let stack: Stack;
  let group: ProcessGroup;
  let second: ManagedProcess;
  const metricsUrls: string[] = [];
  let queue: Queue;

  // Small batches with a pause: a run over 12,000 rows takes seconds, long enough to overlap.
  const env = { RETENTION_BATCH_SIZE: '300', RETENTION_BATCH_PAUSE_MS: '40' };

  beforeAll(async () => {
    const [first, other] = [await freePort(), await freePort()];
    metricsUrls.push(`http://127.0.0.1:${first}`, `http://127.0.0.1:${other}`);
    stack = await startStack({ env: { ...env, WORKER_METRICS_PORT: String(first) } });
    group = new ProcessGroup(stack);
    second = await group.worker('worker-2', { WORKER_METRICS_PORT: String(other) });
    const url = new URL(stack.redisUrl);
    queue = new Queue('retention', {
      connection: { host: url.hostname, port: Number(url.port), db: stack.redisDbIndex, maxRetriesPerRequest: null },
      prefix: BULLMQ_PREFIX,
    });
  });

  afterAll(async () => {
    await queue?.close();
    await group?.stopAll();
    await stack?.stop();
  });

  const output = (): string[] => [...stack.logs.worker, ...second.output];
  const runsFinished = (): number => jsonLines(output()).lines.filter((l) => l.msg?.startsWith('Retention run finished')).length;

  it('runs a first purge within a minute of the workers starting, one log line per table', async () => {
    const deadline = Date.now() + 60_000;
    while (runsFinished() === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 200));
    expect(runsFinished()).toBeGreaterThan(0);
    const tableLines = jsonLines(output()).lines.filter((l) => typeof l.table === 'string' && l.msg?.startsWith('Retention:'));
    for (const table of ['access_token', 'password_reset_token', 'email_log', 'admin_audit_event', 'outbox_message', 'webhook_delivery']) {
      const line = tableLines.find((l) => l.table === table);
      expect(line).toEqual(expect.objectContaining({ table, rows: expect.any(Number), seconds: expect.any(Number), level: 'info' }));
    }
    expect(await queue.getGlobalConcurrency()).toBe(1);
    expect(await queue.getJobSchedulers()).toEqual([expect.objectContaining({ key: 'retention-purge', every: 60 * 60_000 })]);
  });

  it('only one purge runs at a time, however many runs are due on however many workers', async () => {
    const customer = (
      await stack.db.query(`insert into customer (id, email, password_hash, first_name, last_name)
      values (gen_random_uuid(), 'retention@example.com', 'x', 'R', 'T') returning id`)
    ).rows[0].id;
    await stack.db.query(
      `insert into access_token (id, customer_id, token_hash, expires_at)
       select gen_random_uuid(), $1, encode(sha256(i::text::bytea), 'hex'),
              case when i <= 12000 then now() - interval '2 days' - i * interval '1 second' else now() + interval '1 hour' end
       from generate_series(1, 12100) i`,
      [customer],
    );
    const finishedBefore = runsFinished();

    // Four runs due at once, two idle workers: without the queue's global concurrency, two would run together.
    await queue.addBulk([1, 2, 3, 4].map(() => ({ name: 'purge', data: {} })));

    const deadline = Date.now() + 90_000;
    while (runsFinished() < finishedBefore + 4 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 250));
    expect(runsFinished()).toBeGreaterThanOrEqual(finishedBefore + 4);

    // Every run's [start, finish] from both workers' logs, paired by job id: none may overlap another.
    type Span = { start?: number; end?: number };
    const runs = new Map<string, Span>();
    for (const line of jsonLines(output()).lines) {
      if (typeof line.jobId !== 'string' || line.queue !== 'retention') continue;
      const run: Span = runs.get(line.jobId) ?? {};
      if (line.msg === 'Retention run started') run.start = Date.parse(line.time);
      if (line.msg?.startsWith('Retention run finished')) run.end = Date.parse(line.time);
      runs.set(line.jobId, run);
    }
    const spans = [...runs.values()].filter((r) => r.start !== undefined && r.end !== undefined).sort((a, b) => a.start! - b.start!);
    expect(spans.length).toBeGreaterThanOrEqual(5);
    for (let i = 1; i < spans.length; i++) expect(spans[i].start!).toBeGreaterThanOrEqual(spans[i - 1].end!);
    // The run that found the 12,000 rows lasted long enough for a second run to have overlapped it.
    expect(Math.max(...spans.map((s) => s.end! - s.start!))).toBeGreaterThan(1000);

    const left = await stack.db.query(
      `select count(*)::int as n, count(*) filter (where expires_at > now())::int as live from access_token`,
    );
    expect(left.rows[0]).toEqual({ n: 100, live: 100 });

    // Both workers' counters together: each purged row counted once.
    const counted = await Promise.all(
      metricsUrls.map(async (u) => metricValue(await scrape(u), 'customer_access_rows_purged_total', { table: 'access_token' }) ?? 0),
    );
    expect(counted.reduce((a, b) => a + b, 0)).toBe(12_000);
    const text = await scrape(metricsUrls[0]);
    expect(metricValue(text, 'customer_access_retention_oldest_row_age_seconds', { table: 'access_token' })).toBe(0);
    expect(metricValue(text, 'customer_access_retention_oldest_row_age_seconds', { table: 'admin_audit_event' })).toBe(0);
    expect(metricValue(text, 'customer_access_queue_jobs', { queue: 'retention', state: 'completed' })).toBeGreaterThanOrEqual(5);
    expect(metricValue(text, 'customer_access_queue_jobs', { queue: 'retention', state: 'failed' })).toBe(0);
  });
});
