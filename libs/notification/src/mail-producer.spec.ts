import type { Queue } from 'bullmq';
import type { AppConfig } from '@customer-access/config';
import { MailJob } from './mail-jobs';
import { MailProducer } from './mail-producer';

/**
 * A queue whose adds settle when the test says so, recording what was added, how, and whether its
 * connection's socket was corked meanwhile. `cluster`: a connection without one socket.
 */
function fakeQueue({ cluster = false } = {}) {
  const socket = { corks: 0, cork: () => socket.corks++, uncork: () => socket.corks-- };
  const calls: Array<{
    kind: 'add' | 'addBulk';
    jobs: Array<{ name: string; data: unknown; jobId?: string }>;
    corked: boolean;
    settle: (error?: Error) => void;
  }> = [];
  const pending = (kind: 'add' | 'addBulk', jobs: Array<{ name: string; data: unknown; jobId?: string }>) =>
    new Promise<unknown>((resolve, reject) =>
      calls.push({ kind, jobs, corked: socket.corks > 0, settle: (error) => (error ? reject(error) : resolve({})) }),
    );
  const queue = {
    client: Promise.resolve(cluster ? { isCluster: true } : { stream: socket }),
    add: (name: string, data: unknown, opts: { jobId?: string }) => pending('add', [{ name, data, jobId: opts.jobId }]),
    addBulk: (jobs: Array<{ name: string; data: unknown; opts: { jobId?: string } }>) =>
      pending(
        'addBulk',
        jobs.map((j) => ({ name: j.name, data: j.data, jobId: j.opts.jobId })),
      ),
  };
  return { queue: queue as unknown as Queue, calls, socket };
}

const config = { mailRetryDelayMs: 1000, redis: { kind: 'single', url: 'redis://localhost' } } as unknown as AppConfig;
const turn = () => new Promise((resolve) => setImmediate(resolve));
const job = (i: number) => ({ email: `c${i}@example.com`, storeView: 'default' });

describe('MailProducer: the jobs of one turn of the event loop in one round trip', () => {
  it('adds the jobs enqueued together while the socket is corked (one write), and resolves each caller only once all are stored', async () => {
    const { queue, calls, socket } = fakeQueue();
    const producer = new MailProducer(queue, config);
    const settled: number[] = [];
    const all = [1, 2, 3].map((i) => producer.enqueue(MailJob.PasswordResetRequested, job(i)).then(() => settled.push(i)));
    await turn();
    expect(calls.map((c) => [c.kind, c.corked, c.jobs.map((j) => j.data)])).toEqual([
      ['add', true, [job(1)]],
      ['add', true, [job(2)]],
      ['add', true, [job(3)]],
    ]);
    await turn();
    expect(socket.corks).toBe(0); // uncorked in the next turn: the three commands leave together
    expect(settled).toEqual([]); // not before Redis answered
    calls[0].settle();
    calls[1].settle();
    await turn();
    expect(settled).toEqual([]); // the batch settles as one
    calls[2].settle();
    await Promise.all(all);
    expect(settled).toEqual([1, 2, 3]);
  });

  it('adds the jobs of one turn as one addBulk pipeline on a connection without one socket (Cluster)', async () => {
    const { queue, calls } = fakeQueue({ cluster: true });
    const producer = new MailProducer(queue, config);
    const all = [1, 2].map((i) => producer.enqueue(MailJob.PasswordResetRequested, job(i)));
    await turn();
    expect(calls.map((c) => [c.kind, c.jobs.map((j) => j.data)])).toEqual([['addBulk', [job(1), job(2)]]]);
    calls[0].settle();
    await Promise.all(all);
  });

  it('adds a lone job as it is, and starts a new batch in the next turn', async () => {
    const { queue, calls } = fakeQueue();
    const producer = new MailProducer(queue, config);
    const first = producer.enqueue(MailJob.PasswordResetRequested, job(1));
    await turn();
    const second = [2, 3].map((i) => producer.enqueue(MailJob.PasswordResetRequested, job(i)));
    await turn();
    expect(calls.map((c) => [c.kind, c.corked, c.jobs.length])).toEqual([
      ['add', false, 1],
      ['add', true, 1],
      ['add', true, 1],
    ]);
    for (const c of calls) c.settle();
    await Promise.all([first, ...second]);
  });

  it('fails every caller of a batch one of whose adds failed, and no other', async () => {
    const { queue, calls } = fakeQueue();
    const producer = new MailProducer(queue, config);
    const failing = [1, 2].map((i) => producer.enqueue(MailJob.PasswordResetRequested, job(i)));
    await turn();
    const later = producer.enqueue(MailJob.PasswordResetRequested, job(3));
    calls[0].settle();
    calls[1].settle(new Error('Connection is closed.'));
    for (const p of failing) await expect(p).rejects.toThrow('Connection is closed.');
    await turn();
    calls[2].settle();
    await expect(later).resolves.toBeUndefined();
  });

  it('adds a job with an id (the outbox relay) at once, on its own', async () => {
    const { queue, calls } = fakeQueue();
    const producer = new MailProducer(queue, config);
    const done = producer.enqueue(MailJob.PasswordChanged, { customerId: '0190a0d4-5b0e-7c3a-9f1e-2b3c4d5e6f70' }, 'outbox-1');
    expect(calls.map((c) => [c.kind, c.jobs[0].jobId])).toEqual([['add', 'outbox-1']]);
    calls[0].settle();
    await done;
  });

  it('never stores a job its schema refuses', async () => {
    const { queue, calls } = fakeQueue();
    const producer = new MailProducer(queue, config);
    await expect(producer.enqueue(MailJob.PasswordResetRequested, { email: 'no-at-sign' })).rejects.toThrow(/Invalid mail job/);
    await turn();
    expect(calls).toEqual([]);
  });
});
