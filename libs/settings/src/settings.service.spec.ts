import type { EntityManager } from '@mikro-orm/postgresql';
import type { AppConfig } from '@customer-access/config';
import type { RedisConnection, RedisConnectionFactory } from '@customer-access/redis';
import { SettingsService } from './settings.service';

type Row = { id: number; values: Record<string, unknown>; updatedAt: Date };

/** A settings row read that answers when the test says so. */
function deferredRead(): { promise: Promise<Row | null>; answer: (row: Row | null) => void } {
  let answer!: (row: Row | null) => void;
  const promise = new Promise<Row | null>((resolve) => (answer = resolve));
  return { promise, answer };
}

function row(maxResetRequestsPerHour: number, updatedAt: string): Row {
  return { id: 1, values: { maxResetRequestsPerHour }, updatedAt: new Date(updatedAt) };
}

/** A SettingsService whose reads of the row are answered by the test, one per call, in call order. */
function serviceWithReads(storedRow: () => Row) {
  const reads: Array<ReturnType<typeof deferredRead>> = [];
  const tx = {
    findOne: async () => storedRow(),
    flush: async () => undefined,
    create: () => storedRow(),
  };
  const em = {
    fork: () => ({
      findOne: () => {
        const read = deferredRead();
        reads.push(read);
        return read.promise;
      },
      transactional: async <T>(work: (t: typeof tx) => Promise<T>) => work(tx),
    }),
  } as unknown as EntityManager;
  const redis = { publish: async () => 1 } as unknown as RedisConnection;
  const service = new SettingsService(em, {} as RedisConnectionFactory, redis, { settingsRefreshMs: 60_000 } as AppConfig);
  return { service, reads };
}

describe('SettingsService: a reload never puts an older version back', () => {
  it('keeps the newer version when two reloads answer out of order', async () => {
    const { service, reads } = serviceWithReads(() => row(5, '2026-12-07T10:00:00Z'));
    const slow = service.reload();
    const fast = service.reload();
    reads[1].answer(row(7, '2026-12-07T10:05:00Z'));
    await fast;
    reads[0].answer(row(5, '2026-12-07T10:00:00Z'));
    await slow;
    expect(service.current().maxResetRequestsPerHour).toBe(7);
  });

  it("keeps this process's own update when a reload that read before its commit answers after it", async () => {
    const { service, reads } = serviceWithReads(() => row(5, '2026-12-07T10:00:00Z'));
    const stale = service.reload();
    const after = await service.update({ maxResetRequestsPerHour: 7 });
    expect(after.maxResetRequestsPerHour).toBe(7);
    reads[0].answer(row(5, '2026-12-07T10:00:00Z'));
    await stale;
    expect(service.current().maxResetRequestsPerHour).toBe(7);
  });

  it('takes whatever the row holds when nothing changed during the read, an older stored time included (a restored database)', async () => {
    const { service, reads } = serviceWithReads(() => row(5, '2026-12-07T10:00:00Z'));
    const first = service.reload();
    reads[0].answer(row(7, '2026-12-07T10:05:00Z'));
    await first;
    const restored = service.reload();
    reads[1].answer(row(4, '2026-12-01T09:00:00Z'));
    await restored;
    expect(service.current().maxResetRequestsPerHour).toBe(4);
  });
});
