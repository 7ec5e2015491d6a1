import { type RedisConnection, WORKER_HEARTBEAT_KEY } from '@customer-access/redis';
import { hostname } from 'node:os';

/**
 * Liveness of the workers, seen from Redis: each worker process refreshes its entry in a sorted
 * set (score = time of its last beat) while it consumes the queue; the API's readiness check
 * counts the entries that are recent enough.
 */
export const HEARTBEAT_INTERVAL_MS = 5_000;
/** A worker not heard from for this long counts as gone (three missed beats, with slack). */
export const WORKER_STALE_AFTER_MS = 20_000;
/** Entries older than this are deleted by any beat, so a crashed worker's entry goes away. */
const FORGET_AFTER_MS = 24 * 3600_000;

export function workerInstanceId(): string {
  return `${hostname()}:${process.pid}`;
}

/** Records that worker `id` is alive now, and drops entries of workers gone for a day. */
export async function recordWorkerHeartbeat(redis: RedisConnection, id: string, now = Date.now()): Promise<void> {
  await redis
    .multi()
    .zadd(WORKER_HEARTBEAT_KEY, now, id)
    .zremrangebyscore(WORKER_HEARTBEAT_KEY, '-inf', now - FORGET_AFTER_MS)
    .pexpire(WORKER_HEARTBEAT_KEY, FORGET_AFTER_MS)
    .exec();
}

/** Removes worker `id` at shutdown, so readiness stops counting it at once. */
export async function removeWorkerHeartbeat(redis: RedisConnection, id: string): Promise<void> {
  await redis.zrem(WORKER_HEARTBEAT_KEY, id);
}

export interface WorkersSeen {
  /** Workers that beat within WORKER_STALE_AFTER_MS. */
  alive: number;
  /** Milliseconds since the most recent beat of any worker; null when none was ever seen. */
  lastSeenMsAgo: number | null;
}

export async function workersSeen(redis: RedisConnection, now = Date.now()): Promise<WorkersSeen> {
  const [alive, latest] = await Promise.all([
    redis.zcount(WORKER_HEARTBEAT_KEY, now - WORKER_STALE_AFTER_MS, '+inf'),
    redis.zrevrange(WORKER_HEARTBEAT_KEY, 0, 0, 'WITHSCORES'),
  ]);
  const lastBeat = latest.length === 2 ? Number(latest[1]) : null;
  return { alive, lastSeenMsAgo: lastBeat === null ? null : Math.max(0, now - lastBeat) };
}
