import { Inject, Injectable } from '@nestjs/common';
import { ThrottlerStorage } from '@nestjs/throttler';
import type { ThrottlerStorageRecord } from '@nestjs/throttler/dist/throttler-storage-record.interface';
import Redis from 'ioredis';
import { REDIS_CLIENT } from '@customer-access/redis';

/**
 * Fixed-window counter in one atomic round trip: INCR, set the window's expiry on the first hit,
 * read what is left of it. Shared by every API instance, so a cap holds in total, not per process.
 * A request over the limit is blocked until the window ends (Retry-After).
 */
const INCREMENT_SCRIPT = `
local hits = redis.call('INCR', KEYS[1])
if hits == 1 then redis.call('PEXPIRE', KEYS[1], ARGV[1]) end
local ttl = redis.call('PTTL', KEYS[1])
if ttl < 0 then redis.call('PEXPIRE', KEYS[1], ARGV[1]); ttl = tonumber(ARGV[1]) end
return {hits, ttl}
`;

export const THROTTLE_KEY_PREFIX = 'customer-access:throttle:';

/**
 * All of a request's counters in one round trip (performance, see BENCHMARKS.md): the same
 * fixed-window step as INCREMENT_SCRIPT for each key in the guard's order, stopping after the
 * first counter over its limit, exactly as the sequential guard would (it throws there, so later
 * counters are not counted). ARGV holds ttlMs, limit for each key. Single Redis (not Cluster).
 */
const INCREMENT_ALL_SCRIPT = `
local out = {}
for i, key in ipairs(KEYS) do
  local ttl = tonumber(ARGV[2 * i - 1])
  local hits = redis.call('INCR', key)
  if hits == 1 then redis.call('PEXPIRE', key, ttl) end
  local left = redis.call('PTTL', key)
  if left < 0 then redis.call('PEXPIRE', key, ttl); left = ttl end
  out[#out + 1] = hits
  out[#out + 1] = left
  if hits > tonumber(ARGV[2 * i]) then break end
end
return out
`;

export interface ThrottleCounter {
  key: string;
  ttl: number;
  limit: number;
  throttlerName: string;
}

@Injectable()
export class RedisThrottlerStorage implements ThrottlerStorage {
  constructor(@Inject(REDIS_CLIENT) private readonly redis: Redis) {
    this.redis.defineCommand('throttleIncrement', { numberOfKeys: 1, lua: INCREMENT_SCRIPT });
    this.redis.defineCommand('throttleIncrementAll', { lua: INCREMENT_ALL_SCRIPT });
  }

  /**
   * Counts several counters in one EVALSHA. Returns one record per counter counted, in order;
   * the list ends at the first blocked counter (the ones after it were not counted).
   */
  async incrementAll(counters: ThrottleCounter[]): Promise<ThrottlerStorageRecord[]> {
    const keys = counters.map((c) => `${THROTTLE_KEY_PREFIX}${c.throttlerName}:${c.key}`);
    const args = counters.flatMap((c) => [Math.max(1, Math.ceil(c.ttl)), c.limit]);
    const reply = (await (
      this.redis as Redis & { throttleIncrementAll(n: number, ...a: (string | number)[]): Promise<number[]> }
    ).throttleIncrementAll(keys.length, ...keys, ...args)) as number[];
    const records: ThrottlerStorageRecord[] = [];
    for (let i = 0; i < reply.length; i += 2) {
      const hits = reply[i];
      const secondsLeft = Math.max(1, Math.ceil(reply[i + 1] / 1000));
      const isBlocked = hits > counters[i / 2].limit;
      records.push({ totalHits: hits, timeToExpire: secondsLeft, isBlocked, timeToBlockExpire: isBlocked ? secondsLeft : 0 });
    }
    return records;
  }

  async increment(key: string, ttl: number, limit: number, _blockDuration: number, throttlerName: string): Promise<ThrottlerStorageRecord> {
    const [hits, ttlMs] = (await (
      this.redis as Redis & { throttleIncrement(k: string, ttl: number): Promise<[number, number]> }
    ).throttleIncrement(`${THROTTLE_KEY_PREFIX}${throttlerName}:${key}`, Math.max(1, Math.ceil(ttl)))) as [number, number];
    const secondsLeft = Math.max(1, Math.ceil(ttlMs / 1000));
    const isBlocked = hits > limit;
    return { totalHits: hits, timeToExpire: secondsLeft, isBlocked, timeToBlockExpire: isBlocked ? secondsLeft : 0 };
  }
}
