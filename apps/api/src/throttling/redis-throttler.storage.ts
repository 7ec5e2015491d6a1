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

@Injectable()
export class RedisThrottlerStorage implements ThrottlerStorage {
  constructor(@Inject(REDIS_CLIENT) private readonly redis: Redis) {
    this.redis.defineCommand('throttleIncrement', { numberOfKeys: 1, lua: INCREMENT_SCRIPT });
  }

  async increment(key: string, ttl: number, limit: number, _blockDuration: number, throttlerName: string): Promise<ThrottlerStorageRecord> {
    const [hits, ttlMs] = (await (this.redis as Redis & { throttleIncrement(k: string, ttl: number): Promise<[number, number]> }).throttleIncrement(
      `${THROTTLE_KEY_PREFIX}${throttlerName}:${key}`,
      Math.max(1, Math.ceil(ttl)),
    )) as [number, number];
    const secondsLeft = Math.max(1, Math.ceil(ttlMs / 1000));
    const isBlocked = hits > limit;
    return { totalHits: hits, timeToExpire: secondsLeft, isBlocked, timeToBlockExpire: isBlocked ? secondsLeft : 0 };
  }
}
