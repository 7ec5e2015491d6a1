import { Inject, Injectable } from '@nestjs/common';
import { ThrottlerStorage } from '@nestjs/throttler';
import type { ThrottlerStorageRecord } from '@nestjs/throttler/dist/throttler-storage-record.interface';
import { REDIS_CLIENT, RedisConnection } from '@customer-access/redis';

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

/**
 * Every throttle counter carries the same hash tag, so all of them live in one Redis Cluster slot.
 * That is by design: INCREMENT_ALL_SCRIPT counts all of a request's counters (per IP and per email
 * on the forgot route) in one call, and a script may only touch keys of one slot. No tag narrower
 * than "all counters" can work, since a call's keys must share a tag while a key must keep the same
 * name in every call (the IP counter is shared by requests for many emails, and each email counter
 * by many IPs), so the counters form one connected group.
 * Sharing a slot is cheap: each counter is a tiny string with a TTL, touched by one EVALSHA per
 * throttled request (only the reset routes are throttled), far below what one Redis node serves;
 * the node holding the slot is a Cluster primary with its own replica and failover like any other.
 * Spreading the counters instead would cost one round trip per counter (see BENCHMARKS.md).
 */
export const THROTTLE_KEY_PREFIX = '{customer-access:throttle}:';

/**
 * All of a request's counters in one round trip (performance, see BENCHMARKS.md): the same
 * fixed-window step as INCREMENT_SCRIPT for each key in the guard's order, stopping after the
 * first counter over its limit, exactly as the sequential guard would (it throws there, so later
 * counters are not counted). ARGV holds ttlMs, limit for each key. Single RedisConnection (not Cluster).
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
  constructor(@Inject(REDIS_CLIENT) private readonly redis: RedisConnection) {
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
      this.redis as RedisConnection & { throttleIncrementAll(n: number, ...a: (string | number)[]): Promise<number[]> }
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
      this.redis as RedisConnection & { throttleIncrement(k: string, ttl: number): Promise<[number, number]> }
    ).throttleIncrement(`${THROTTLE_KEY_PREFIX}${throttlerName}:${key}`, Math.max(1, Math.ceil(ttl)))) as [number, number];
    const secondsLeft = Math.max(1, Math.ceil(ttlMs / 1000));
    const isBlocked = hits > limit;
    return { totalHits: hits, timeToExpire: secondsLeft, isBlocked, timeToBlockExpire: isBlocked ? secondsLeft : 0 };
  }
}
