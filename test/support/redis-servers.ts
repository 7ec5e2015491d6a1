import { ChildProcess, spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Redis, { Cluster } from 'ioredis';
import { freePort, settlesWithin } from './stack';

/**
 * Real Redis topologies on loopback for the infra tests: a 3-primary Redis Cluster and a
 * Sentinel-managed primary with one replica and 3 sentinels. Every server binds 127.0.0.1 on a free
 * port, keeps its files in a temporary directory, and is stopped (and the directory removed) by
 * `stop()`; every wait is bounded.
 */

export interface ServerProcess {
  name: string;
  port: number;
  child: ChildProcess;
  output: string[];
  exited: Promise<void>;
  exitCode: number | null;
}

/** What a test needs of a topology: the processes' environment and a client for the harness. */
export interface RedisTopologyUnderTest {
  /** REDIS_CLUSTER_NODES, or REDIS_SENTINELS with REDIS_SENTINEL_NAME. */
  env: Record<string, string>;
  /** A client of the same form for the harness's own reads (typed as Redis: same commands). */
  connect(): Redis;
  stop(): Promise<void>;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const running = new Set<ChildProcess>();
process.once('exit', () => {
  for (const child of running) child.kill('SIGKILL');
});

function startServer(name: string, port: number, args: string[]): ServerProcess {
  const child = spawn('redis-server', args, { stdio: ['ignore', 'pipe', 'pipe'] });
  running.add(child);
  const proc: ServerProcess = { name, port, child, output: [], exitCode: null, exited: Promise.resolve() };
  const capture = (chunk: Buffer) => proc.output.push(chunk.toString('utf8'));
  child.stdout!.on('data', capture);
  child.stderr!.on('data', capture);
  proc.exited = new Promise((done) => {
    child.once('exit', (code, signal) => {
      proc.exitCode = code ?? (signal ? 128 : -1);
      running.delete(child);
      done();
    });
    child.once('error', (error) => {
      proc.output.push(`[spawn error] ${error.message}`);
      proc.exitCode = -1;
      running.delete(child);
      done();
    });
  });
  return proc;
}

export async function stopServer(proc: ServerProcess, signal: NodeJS.Signals = 'SIGTERM'): Promise<void> {
  if (proc.exitCode !== null) return;
  proc.child.kill(signal);
  if (!(await settlesWithin(proc.exited, 5000))) {
    proc.child.kill('SIGKILL');
    await proc.exited;
  }
}

/** Polls `check` every 100 ms until it is true; throws after `timeoutMs` with `what`. */
export async function until(what: string, timeoutMs: number, check: () => Promise<boolean>): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check().catch(() => false)) return;
    await sleep(100);
  }
  throw new Error(`${what} did not happen within ${timeoutMs} ms`);
}

async function answersPing(port: number): Promise<boolean> {
  const client = new Redis({ host: '127.0.0.1', port, lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
  client.on('error', () => undefined);
  try {
    await client.connect();
    return (await client.ping()) === 'PONG';
  } catch {
    return false;
  } finally {
    client.disconnect();
  }
}

/**
 * Starts `name` on a free port and waits until it answers PING. `freePort()` only checks that a port
 * is free at that moment: a test running in parallel, or an outgoing connection's ephemeral port (a
 * cluster node also binds its bus on port + 10000, inside Linux's ephemeral range), can take it
 * before redis-server binds. The server then exits at once, and another port is tried.
 */
async function startOnFreePort(name: string, argsFor: (port: number) => string[], timeoutMs = 10_000): Promise<ServerProcess> {
  const attempts = 5;
  for (let attempt = 1; ; attempt++) {
    const port = await freePort();
    const proc = startServer(name, port, argsFor(port));
    try {
      await until(`${name} answers PING`, timeoutMs, async () => proc.exitCode !== null || answersPing(port));
    } catch (error) {
      await stopServer(proc);
      throw new Error(`${(error as Error).message}:\n${proc.output.join('')}`, { cause: error });
    }
    if (proc.exitCode === null) return proc;
    if (attempt >= attempts) throw new Error(`${name} exited on ${attempts} ports, the last time with:\n${proc.output.join('')}`);
  }
}

/** Options every test server shares: loopback only, no persistence, files in `dir`. */
const baseArgs = (port: number, dir: string) => [
  '--port',
  String(port),
  '--bind',
  '127.0.0.1',
  '--dir',
  dir,
  '--save',
  '',
  '--appendonly',
  'no',
];

/** A Redis Cluster of `primaries` primaries (no replicas), joined with `redis-cli --cluster create`. */
export async function startRedisCluster(primaries = 3): Promise<RedisTopologyUnderTest & { servers: ServerProcess[] }> {
  const dir = mkdtempSync(join(tmpdir(), 'ca-redis-cluster-'));
  const servers: ServerProcess[] = [];
  const stop = async () => {
    await Promise.all(servers.map((s) => stopServer(s)));
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    for (let i = 0; i < primaries; i++) {
      servers.push(
        await startOnFreePort(`redis-cluster-${i}`, (port) => [
          ...baseArgs(port, dir),
          '--cluster-enabled',
          'yes',
          '--cluster-config-file',
          `nodes-${port}.conf`,
          '--cluster-node-timeout',
          '2000',
        ]),
      );
    }
    const create = spawnSync(
      'redis-cli',
      ['--cluster', 'create', ...servers.map((s) => `127.0.0.1:${s.port}`), '--cluster-replicas', '0', '--cluster-yes'],
      { encoding: 'utf8', timeout: 30_000 },
    );
    if (create.status !== 0) throw new Error(`redis-cli --cluster create failed (${create.status}):\n${create.stdout}${create.stderr}`);
    for (const s of servers) {
      await until(`${s.name} reports cluster_state:ok`, 15_000, async () => {
        const client = new Redis({ host: '127.0.0.1', port: s.port, maxRetriesPerRequest: 0 });
        client.on('error', () => undefined);
        try {
          return String(await client.cluster('INFO')).includes('cluster_state:ok');
        } finally {
          client.disconnect();
        }
      });
    }
  } catch (error) {
    await stop();
    throw error;
  }
  const nodes = servers.map((s) => ({ host: '127.0.0.1', port: s.port }));
  return {
    servers,
    env: { REDIS_CLUSTER_NODES: nodes.map((n) => `${n.host}:${n.port}`).join(',') },
    connect: () => {
      const client = new Cluster(nodes, { redisOptions: { maxRetriesPerRequest: 2 } });
      client.on('error', () => undefined);
      return client as unknown as Redis;
    },
    stop,
  };
}

export interface SentinelGroup extends RedisTopologyUnderTest {
  name: string;
  primary: ServerProcess;
  replica: ServerProcess;
  sentinels: ServerProcess[];
  /** The address the sentinels currently give for the primary. */
  primaryPort(): Promise<number>;
}

/**
 * A primary, one replica and 3 sentinels (quorum 2) that declare the primary down after 1 s
 * (production values are larger; the test measures how the service rides through the switch,
 * not Sentinel's own detection delay).
 */
export async function startSentinelGroup(name = 'ca-primary'): Promise<SentinelGroup> {
  const dir = mkdtempSync(join(tmpdir(), 'ca-redis-sentinel-'));
  const all: ServerProcess[] = [];
  const stop = async () => {
    await Promise.all(all.map((s) => stopServer(s)));
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    const primary = await startOnFreePort('redis-primary', (port) => [...baseArgs(port, dir), '--dbfilename', 'primary.rdb']);
    all.push(primary);
    const primaryPort = primary.port;
    const replica = await startOnFreePort('redis-replica', (port) => [
      ...baseArgs(port, dir),
      '--dbfilename',
      'replica.rdb',
      '--replicaof',
      '127.0.0.1',
      String(primaryPort),
    ]);
    all.push(replica);
    const replicaPort = replica.port;
    await until('replica in sync', 15_000, async () => {
      const client = new Redis({ host: '127.0.0.1', port: replicaPort, maxRetriesPerRequest: 0 });
      client.on('error', () => undefined);
      try {
        return /master_link_status:up/.test(await client.info('replication'));
      } finally {
        client.disconnect();
      }
    });
    const sentinels: ServerProcess[] = [];
    for (let i = 0; i < 3; i++) {
      const sentinel = await startOnFreePort(`sentinel-${i}`, (port) => {
        const conf = join(dir, `sentinel-${port}.conf`);
        writeFileSync(
          conf,
          [
            `port ${port}`,
            'bind 127.0.0.1',
            `dir ${dir}`,
            `sentinel monitor ${name} 127.0.0.1 ${primaryPort} 2`,
            `sentinel down-after-milliseconds ${name} 1000`,
            `sentinel failover-timeout ${name} 10000`,
            `sentinel parallel-syncs ${name} 1`,
            '',
          ].join('\n'),
        );
        return [conf, '--sentinel'];
      });
      sentinels.push(sentinel);
      all.push(sentinel);
    }
    const sentinelNodes = sentinels.map((s) => ({ host: '127.0.0.1', port: s.port }));
    // Each sentinel must have discovered the replica and the other sentinels before a failover works.
    for (const s of sentinels) {
      await until(`${s.name} knows the replica and the other sentinels`, 20_000, async () => {
        const client = new Redis({ host: '127.0.0.1', port: s.port, maxRetriesPerRequest: 0 });
        client.on('error', () => undefined);
        try {
          const master = (await client.call('SENTINEL', 'MASTER', name)) as string[];
          const field = (k: string) => Number(master[master.indexOf(k) + 1]);
          return field('num-slaves') >= 1 && field('num-other-sentinels') >= 2;
        } finally {
          client.disconnect();
        }
      });
    }
    return {
      name,
      primary,
      replica,
      sentinels,
      env: { REDIS_SENTINELS: sentinelNodes.map((n) => `${n.host}:${n.port}`).join(','), REDIS_SENTINEL_NAME: name },
      connect: () => {
        const client = new Redis({ sentinels: sentinelNodes, name, maxRetriesPerRequest: 20 });
        client.on('error', () => undefined); // reconnects by itself, e.g. during the failover
        return client;
      },
      async primaryPort() {
        const client = new Redis({ host: '127.0.0.1', port: sentinels[0].port, maxRetriesPerRequest: 0 });
        client.on('error', () => undefined);
        try {
          const [, port] = (await client.call('SENTINEL', 'GET-MASTER-ADDR-BY-NAME', name)) as [string, string];
          return Number(port);
        } finally {
          client.disconnect();
        }
      },
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}
