import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { Cluster } from 'ioredis';
import { BULLMQ_PREFIX } from './key-layout';
import { createRedisConnection, standaloneOptions } from './redis-connections';

const ROOT = join(__dirname, '..', '..', '..');

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (name === 'node_modules' || name === 'dist') return [];
    if (statSync(path).isDirectory()) return sources(path);
    return /\.ts$/.test(name) && !name.endsWith('.spec.ts') ? [path] : [];
  });
}

/** The slot-deciding part of a key: the first non-empty `{...}`, else the whole key (Redis Cluster spec). */
function hashTag(key: string): string {
  const open = key.indexOf('{');
  const close = open >= 0 ? key.indexOf('}', open + 1) : -1;
  return open >= 0 && close > open + 1 ? key.slice(open + 1, close) : key;
}

describe('Redis connections of the three forms', () => {
  it('one Redis: options from REDIS_URL, failing fast for request paths', () => {
    const options = standaloneOptions(
      { kind: 'single', url: 'redis://:secret@cache:6380/3' },
      { name: 'commands', behaviour: 'fail-fast' },
    );
    expect(options).toMatchObject({
      host: 'cache',
      port: 6380,
      db: 3,
      password: 'secret',
      enableOfflineQueue: false,
      maxRetriesPerRequest: 1,
    });
  });

  it('auto-pipelines only the connection that asks for it (the shared command connection), never on a Cluster', () => {
    const single = { kind: 'single' as const, url: 'redis://cache:6379' };
    expect(standaloneOptions(single, { name: 'commands', behaviour: 'fail-fast', autoPipelining: true }).enableAutoPipelining).toBe(true);
    expect(standaloneOptions(single, { name: 'bullmq-producer', behaviour: 'fail-fast' }).enableAutoPipelining).toBeUndefined();
    const cluster = createRedisConnection(
      { kind: 'cluster', nodes: [{ host: '127.0.0.1', port: 1 }] },
      { name: 'commands', behaviour: 'fail-fast', autoPipelining: true },
    );
    try {
      expect((cluster as Cluster).options.enableAutoPipelining).toBe(false);
    } finally {
      cluster.disconnect();
    }
  });

  it('Sentinel: asks the sentinels for the named primary; BullMQ workers get maxRetriesPerRequest null', () => {
    const sentinels = [{ host: 's1', port: 26379 }];
    const options = standaloneOptions(
      { kind: 'sentinel', sentinels, name: 'mymaster' },
      { name: 'w', behaviour: 'patient', bullmqBlocking: true },
    );
    expect(options).toMatchObject({ sentinels, name: 'mymaster', role: 'master', maxRetriesPerRequest: null });
    // ioredis' failoverDetector can end a reconnecting connection for good (see standaloneOptions).
    expect(options.failoverDetector).toBeUndefined();
    expect(options.host).toBeUndefined();
  });

  it('Cluster: a Cluster instance over the seed nodes, per-node options failing fast', async () => {
    const connection = createRedisConnection(
      { kind: 'cluster', nodes: [{ host: '127.0.0.1', port: 1 }] },
      { name: 'commands', behaviour: 'fail-fast' },
    );
    try {
      expect(connection).toBeInstanceOf(Cluster);
      expect((connection as Cluster).options).toMatchObject({ enableOfflineQueue: false, redisOptions: { maxRetriesPerRequest: 1 } });
    } finally {
      connection.disconnect();
    }
  });
});

describe('key layout on a Redis Cluster', () => {
  it("BullMQ's prefix is a hash tag, so all of a queue's keys share a slot", () => {
    const tags = new Set(['wait', 'id', 'events', '42', 'repeat'].map((k) => hashTag(`${BULLMQ_PREFIX}:mail:${k}`)));
    expect([...tags]).toEqual(['customer-access']);
  });

  it('no KEYS or SCAN over the keyspace anywhere in apps/ or libs/', () => {
    const files = ['apps', 'libs'].flatMap((dir) => sources(join(ROOT, dir)));
    expect(files.length).toBeGreaterThan(20);
    const pattern = /\.(keys|scan|scanStream)\s*\(\s*['"`]|['"`](KEYS|SCAN)['"`]/;
    expect(files.filter((f) => pattern.test(readFileSync(f, 'utf8'))).map((f) => relative(ROOT, f))).toEqual([]);
  });
});
