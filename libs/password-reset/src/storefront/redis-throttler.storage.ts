import { Inject, Injectable } from '@nestjs/common';
import { ThrottlerStorage } from '@nestjs/throttler';
import { REDIS_CLIENT, RedisConnection, throttleCounterKey } from '@customer-access/redis';

/** @nestjs/throttler's record of one counted hit (the type is not exported from the package root). */
export type ThrottlerStorageRecord = Awaited<ReturnType<ThrottlerStorage['increment']>>;

/** One fixed-window counter, as @nestjs/throttler names its parts. */
export interface ThrottleCounter {
  throttlerName: string;
  /** The counter's key within its throttler (hashed: never an email address in clear). */
  key: string;
  /** Window length in milliseconds. */
  ttl: number;
  limit: number;
}

/**
 * Fixed-window counters, for each key in order: INCR, start the window (PEXPIRE) on the first hit,
 * read what is left of it. Stops after the first counter over its limit, as @nestjs/throttler's
 * guard stops at the first throttler that blocks: the counters after it are not counted. That is
 * what keeps an IP over its cap from using up email counters too. ARGV holds ttlMs, limit per key.
 * All keys share the throttle hash tag (libs/redis key-layout), so this is legal on a Cluster.
 */
const INCREMENT_SCRIPT = `
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

type ThrottleRedis = RedisConnection & { throttleIncrement(count: number, ...keysThenArgs: (string | number)[]): Promise<number[]> };

/**
 * @nestjs/throttler's storage on Redis, shared by every API instance, so a cap holds in total, not
 * per process. A counter over its limit is blocked until its window ends (Retry-After).
 * {@link incrementInOrder} counts all of a request's counters in one script call (one round trip);
 * {@link increment}, the ThrottlerStorage contract, is the same script for one counter.
 */
@Injectable()
export class RedisThrottlerStorage implements ThrottlerStorage {
  private readonly redis: ThrottleRedis;

  constructor(@Inject(REDIS_CLIENT) redis: RedisConnection) {
    redis.defineCommand('throttleIncrement', { lua: INCREMENT_SCRIPT });
    this.redis = redis as ThrottleRedis;
  }

  /**
   * Counts `counters` in order in one EVALSHA. Returns one record per counter counted; the list
   * ends at the first blocked counter (the ones after it were not counted).
   */
  async incrementInOrder(counters: readonly ThrottleCounter[]): Promise<ThrottlerStorageRecord[]> {
    // EVALSHA's arguments in one array: the keys, then ttlMs and limit per key.
    const n = counters.length;
    const keysThenArgs = new Array<string | number>(3 * n);
    for (let i = 0; i < n; i++) {
      const c = counters[i];
      keysThenArgs[i] = throttleCounterKey(c.throttlerName, c.key);
      keysThenArgs[n + 2 * i] = Math.max(1, Math.ceil(c.ttl));
      keysThenArgs[n + 2 * i + 1] = c.limit;
    }
    const reply = await this.redis.throttleIncrement(n, ...keysThenArgs);
    const records: ThrottlerStorageRecord[] = [];
    for (let i = 0; i < reply.length; i += 2) {
      const secondsLeft = Math.max(1, Math.ceil(reply[i + 1] / 1000));
      const isBlocked = reply[i] > counters[i / 2].limit;
      records.push({ totalHits: reply[i], timeToExpire: secondsLeft, isBlocked, timeToBlockExpire: isBlocked ? secondsLeft : 0 });
    }
    return records;
  }

  /** ThrottlerStorage: one counter. A blocked counter stays blocked until its window ends (blockDuration is not used). */
  async increment(key: string, ttl: number, limit: number, _blockDuration: number, throttlerName: string): Promise<ThrottlerStorageRecord> {
    const [record] = await this.incrementInOrder([{ throttlerName, key, ttl, limit }]);
    return record;
  }
}
