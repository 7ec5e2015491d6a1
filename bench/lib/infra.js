'use strict';
// Infrastructure for the benchmark: PostgreSQL databases, Redis database claims, the built
// API/worker processes, readiness waits, peak RSS. Everything stays on 127.0.0.1.
const { spawn } = require('node:child_process');
const { randomBytes } = require('node:crypto');
const fs = require('node:fs');
const net = require('node:net');
const path = require('node:path');
const { Client } = require('pg');
const Redis = require('ioredis');

const ROOT = path.resolve(__dirname, '..', '..');
/**
 * The processes run from a private copy of dist/ taken when the bench starts: other people may
 * rebuild dist/ in this working tree while a long bench is running. Node still resolves
 * node_modules and the project root (templates, assets) upwards from there.
 */
const DIST = path.join(ROOT, '.bench', 'dist');
function snapshotDist() {
  // BENCH_DIST_SRC: bench another build (e.g. one made by bench/build-to.sh) instead of dist/.
  const src = path.resolve(ROOT, process.env.BENCH_DIST_SRC || 'dist');
  if (!fs.existsSync(path.join(src, 'apps/api/main.js'))) throw new Error('dist/ is missing: run npm run build first');
  fs.rmSync(DIST, { recursive: true, force: true });
  fs.cpSync(src, DIST, { recursive: true });
}
const PG_BASE_URL = process.env.BENCH_PG_URL || 'postgres://postgres@127.0.0.1:5432';
const REDIS_BASE_URL = process.env.BENCH_REDIS_URL || 'redis://127.0.0.1:6379';

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

function assertLoopback(url) {
  const host = new URL(url).hostname;
  if (!/^(127\.\d{1,3}\.\d{1,3}\.\d{1,3}|localhost|\[::1\])$/i.test(host)) {
    throw new Error(`refusing non-loopback address ${url}: the benchmark only talks to this machine`);
  }
}
assertLoopback(PG_BASE_URL);
assertLoopback(REDIS_BASE_URL);

/**
 * A free port for a server the bench starts, picked at random in 20000-31999 and checked. Not
 * listen(0): that port comes from the kernel's ephemeral range, which every outgoing connection's
 * local port also comes from, so another connection could take it before the server binds it.
 */
async function freePort() {
  for (let attempt = 0; ; attempt++) {
    const port = 20_000 + Math.floor(Math.random() * 12_000);
    if (await portIsFree(port)) return port;
    if (attempt >= 50) throw new Error('no free port found in 20000-31999');
  }
}

function portIsFree(port) {
  return new Promise((done) => {
    const srv = net.createServer();
    srv.once('error', () => done(false));
    srv.listen(port, '127.0.0.1', () => srv.close(() => done(true)));
  });
}

async function pgAdmin(sql, params) {
  const client = new Client({ connectionString: `${PG_BASE_URL}/postgres` });
  await client.connect();
  try {
    return await client.query(sql, params);
  } finally {
    await client.end();
  }
}

async function pgConnect(database) {
  const client = new Client({ connectionString: `${PG_BASE_URL}/${database}` });
  await client.connect();
  return client;
}

async function dropDatabase(name) {
  if (!/^[a-z0-9_]+$/.test(name)) throw new Error(`bad database name ${name}`);
  await pgAdmin(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
}

/**
 * Claims a Redis database index that no e2e run or other bench holds (same lock keys as
 * test/support/stack.ts, in db 0 with a TTL), skipping the indexes in `avoid` (the peer floor's).
 */
async function claimRedisDb(avoid = [0, 1]) {
  const admin = new Redis(`${REDIS_BASE_URL}/0`, { lazyConnect: true, maxRetriesPerRequest: 1 });
  await admin.connect();
  try {
    let databases = 16;
    try {
      const reply = await admin.config('GET', 'databases');
      if (reply?.[1]) databases = Number(reply[1]);
    } catch {
      /* CONFIG may be disabled */
    }
    const owner = `bench-${process.pid}-${randomBytes(4).toString('hex')}`;
    for (let index = databases - 1; index >= 0; index--) {
      if (avoid.includes(index)) continue;
      const key = `customer-access:e2e:redis-db:${index}`;
      if ((await admin.set(key, owner, 'EX', 1800, 'NX')) === 'OK') {
        const db = new Redis(`${REDIS_BASE_URL}/${index}`, { maxRetriesPerRequest: 1 });
        await db.flushdb();
        db.disconnect();
        return {
          index,
          url: `${REDIS_BASE_URL}/${index}`,
          release: async () => {
            const again = new Redis(`${REDIS_BASE_URL}/0`, { maxRetriesPerRequest: 1 });
            try {
              const db2 = new Redis(`${REDIS_BASE_URL}/${index}`, { maxRetriesPerRequest: 1 });
              await db2.flushdb().catch(() => undefined);
              db2.disconnect();
              if ((await again.get(key)) === owner) await again.del(key);
            } finally {
              again.disconnect();
            }
          },
        };
      }
    }
    throw new Error('no free Redis database index');
  } finally {
    admin.disconnect();
  }
}

/**
 * A child process whose output is kept as a bounded tail (the worker logs a line per email). With
 * `stdoutFile`, its stdout is that file instead, opened for appending as `node main.js >> FILE` would
 * (a log file or a collector in another process, as deployed): the bench reads nothing while it runs,
 * and `output()` gives the file's last 64 KiB after the stderr tail.
 */
function startProcess(name, args, env, { nodeArgs = [], stdoutFile } = {}) {
  const stdoutFd = stdoutFile ? fs.openSync(stdoutFile, 'a') : 'pipe';
  const child = spawn(process.execPath, [...nodeArgs, ...args], { cwd: ROOT, env, stdio: ['ignore', stdoutFd, 'pipe'] });
  if (stdoutFile) fs.closeSync(stdoutFd); // the child has its own copy
  const proc = { name, child, pid: child.pid, tail: [], exitCode: null, peakRssKb: null, stdoutFile };
  const capture = (chunk) => {
    proc.tail.push(chunk.toString('utf8'));
    if (proc.tail.length > 200) proc.tail.splice(0, proc.tail.length - 200);
    if (process.env.BENCH_VERBOSE === '1') process.stderr.write(`[${name}] ${chunk}`);
  };
  if (!stdoutFile) child.stdout.on('data', capture);
  child.stderr.on('data', capture);
  proc.exited = new Promise((resolve) => {
    child.once('exit', (code, signal) => {
      proc.exitCode = code ?? (signal ? 128 : -1);
      resolve();
    });
  });
  proc.output = () => proc.tail.join('') + (stdoutFile ? fileTail(stdoutFile, 64 * 1024) : '');
  /** Peak resident set size so far (VmHWM), in KiB. */
  proc.readPeakRss = () => {
    try {
      const status = fs.readFileSync(`/proc/${child.pid}/status`, 'utf8');
      const kb = Number(/VmHWM:\s+(\d+)\s+kB/.exec(status)?.[1]);
      if (kb) proc.peakRssKb = Math.max(proc.peakRssKb ?? 0, kb);
    } catch {
      /* exited */
    }
    return proc.peakRssKb;
  };
  /** CPU time used so far (user + system), in ms. */
  proc.cpuMs = () => cpuMsOf(child.pid);
  /** Of which the main thread's (mainThreadCpuMs). */
  proc.mainThreadCpuMs = () => mainThreadCpuMs(child.pid);
  proc.stop = async (timeoutMs = 15000) => {
    if (proc.exitCode !== null) return;
    proc.readPeakRss();
    child.kill('SIGTERM');
    const done = await Promise.race([proc.exited.then(() => true), sleep(timeoutMs).then(() => false)]);
    if (!done) {
      child.kill('SIGKILL');
      await proc.exited;
    }
  };
  return proc;
}

function fileTail(file, bytes) {
  try {
    const fd = fs.openSync(file, 'r');
    try {
      const size = fs.fstatSync(fd).size;
      const buf = Buffer.alloc(Math.min(bytes, size));
      fs.readSync(fd, buf, 0, buf.length, size - buf.length);
      return buf.toString('utf8');
    } finally {
      fs.closeSync(fd);
    }
  } catch {
    return '';
  }
}

function cpuMsOf(pid) {
  try {
    const fields = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100; // utime + stime, in USER_HZ (100)
  } catch {
    return null;
  }
}

/**
 * CPU of a Node process's main thread (the JavaScript: HTTP, validation, drivers, GC's pauses), in
 * ms: its thread id is its pid. The rest of the process's CPU is its other threads: libuv's pool
 * (argon2's hashes run there) and V8's helpers (concurrent GC, compilation).
 */
function mainThreadCpuMs(pid) {
  return cpuMsOf(`${pid}/task/${pid}`);
}

/**
 * CPU of every PostgreSQL process on the machine (backends, WAL writer, checkpointer...), in ms by
 * pid, or of one database's backends only.
 */
function postgresCpuByPid(database = null) {
  const byPid = new Map();
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = fs.readFileSync(`/proc/${entry}/stat`, 'utf8');
      if (!stat.includes('(postgres)')) continue;
      // With a database: only its backends ("postgres: 15/main: USER DB HOST(PORT) STATE"), so that
      // other clients of a shared server are left out (and so are the WAL writer and checkpointer).
      if (database && !fs.readFileSync(`/proc/${entry}/cmdline`, 'utf8').includes(` ${database} `)) continue;
      const fields = stat.split(') ')[1].split(' ');
      byPid.set(entry, ((Number(fields[11]) + Number(fields[12])) * 1000) / 100);
    } catch {
      /* exited meanwhile */
    }
  }
  return byPid;
}

/**
 * CPU of the PostgreSQL processes (as postgresCpuByPid), summed, in ms. A difference of two calls
 * goes wrong when a process exits in between (its CPU leaves the sum, which can turn negative):
 * measure an interval with postgresCpuMeter.
 */
function postgresCpuMs(database = null) {
  let total = 0;
  for (const ms of postgresCpuByPid(database).values()) total += ms;
  return total;
}

/**
 * PostgreSQL's CPU over an interval, per process: samples every `everyMs` and keeps the last value
 * of a process that exits meanwhile (only its last `everyMs` is lost), and counts a process that
 * starts meanwhile from zero. `stop()` returns the ms spent since the meter started.
 */
function postgresCpuMeter(database = null, everyMs = 200) {
  const first = postgresCpuByPid(database);
  const last = new Map(first);
  const sample = () => {
    for (const [pid, ms] of postgresCpuByPid(database)) last.set(pid, ms);
  };
  const timer = setInterval(sample, everyMs);
  timer.unref();
  return {
    stop() {
      clearInterval(timer);
      sample();
      let total = 0;
      for (const [pid, ms] of last) total += ms - (first.get(pid) ?? 0);
      return total;
    },
  };
}

/** Redis server CPU (user + sys of the main process), in ms. */
async function redisCpuMs() {
  const r = new Redis(`${REDIS_BASE_URL}/0`, { maxRetriesPerRequest: 1 });
  try {
    const info = await r.info('cpu');
    const get = (k) => Number(new RegExp(`${k}:([\\d.]+)`).exec(info)?.[1] ?? 0);
    return (get('used_cpu_sys_main_thread') + get('used_cpu_user_main_thread')) * 1000;
  } finally {
    r.disconnect();
  }
}

async function waitUntil(what, proc, timeoutMs, check) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (proc && proc.exitCode !== null)
      throw new Error(`${proc.name} exited (${proc.exitCode}) before ${what}:\n${proc.output().slice(-4000)}`);
    if (await check()) return;
    await sleep(100);
  }
  throw new Error(`${what} did not happen within ${timeoutMs} ms${proc ? `:\n${proc.output().slice(-4000)}` : ''}`);
}

function httpOk(url) {
  return new Promise((resolve) => {
    const req = require('node:http').get(url, (res) => {
      res.resume();
      resolve(res.statusCode >= 200 && res.statusCode < 300);
    });
    req.on('error', () => resolve(false));
    req.setTimeout(1000, () => {
      req.destroy();
      resolve(false);
    });
  });
}

function runNode(args, env, timeoutMs = 120000) {
  return new Promise((resolve, reject) => {
    const proc = startProcess(path.basename(args[0]), args, env);
    const timer = setTimeout(() => proc.child.kill('SIGKILL'), timeoutMs);
    proc.exited.then(() => {
      clearTimeout(timer);
      if (proc.exitCode === 0) resolve(proc.output());
      else reject(new Error(`node ${args.join(' ')} exited ${proc.exitCode}:\n${proc.output().slice(-4000)}`));
    });
  });
}

/**
 * The environment of a bench's own API (and worker) processes: fresh secrets, production mode,
 * everything on 127.0.0.1, the breached-password ranges from a local server (never the internet), mail
 * to a closed port unless `smtpUrl` names a sink. `overrides` come last.
 */
async function benchServiceEnv({ dbName, redisUrl, smtpUrl = 'smtp://127.0.0.1:9', publicUrl = 'http://127.0.0.1', ...overrides }) {
  return {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    NODE_ENV: 'production',
    JWT_SECRET: randomBytes(32).toString('hex'),
    MFA_ENCRYPTION_KEY: randomBytes(32).toString('hex'),
    HOST: '127.0.0.1',
    DATABASE_URL: `${PG_BASE_URL}/${dbName}`,
    REDIS_URL: redisUrl,
    SMTP_URL: smtpUrl,
    MAIL_FROM: '"Bench Shop" <no-reply@shop.test>',
    PUBLIC_URL: publicUrl,
    STOREFRONT_URL: 'http://storefront.bench.test',
    LOG_LEVEL: 'warn',
    SETTINGS_REFRESH_MS: '5000',
    PWNED_PASSWORDS_URL: await require('./pwned-range').pwnedRangeUrl(),
    ...overrides,
  };
}

/**
 * One deployment of the service: a database, a Redis index, the built API and worker.
 * `prepare(db)` runs after the migrations and before the processes start (seed, settings).
 */
async function createStack({ name, dbName, smtpPort, env: extraEnv = {}, prepare, apiNodeArgs = [], workerNodeArgs = [], worker = true }) {
  const redis = await claimRedisDb();
  const port = await freePort();
  const databaseUrl = `${PG_BASE_URL}/${dbName}`;
  const env = await benchServiceEnv({
    dbName,
    redisUrl: redis.url,
    smtpUrl: `smtp://127.0.0.1:${smtpPort}`,
    publicUrl: `http://127.0.0.1:${port}`,
    PORT: String(port),
    ...extraEnv,
  });
  await dropDatabase(dbName);
  await runNode([path.join(DIST, 'apps/cli/main.js'), 'migrate'], env);
  const db = await pgConnect(dbName);
  try {
    if (prepare) await prepare(db);
  } finally {
    await db.end();
  }
  const api = startProcess(`${name}-api`, [path.join(DIST, 'apps/api/main.js')], env, { nodeArgs: apiNodeArgs });
  const wrk = worker ? startProcess(`${name}-worker`, [path.join(DIST, 'apps/worker/main.js')], env, { nodeArgs: workerNodeArgs }) : null;
  const baseUrl = `http://127.0.0.1:${port}`;
  try {
    await waitUntil('API ready', api, 60000, () => httpOk(`${baseUrl}/health/live`));
    if (wrk) {
      // Ready = its BullMQ worker is registered on the queue (log lines depend on LOG_LEVEL).
      const { Queue } = require('bullmq');
      const u = new URL(redis.url);
      const queue = new Queue('mail', {
        prefix: '{customer-access}', // BULLMQ_PREFIX of libs/redis
        connection: { host: u.hostname, port: Number(u.port || 6379), db: Number(u.pathname.slice(1) || 0) },
      });
      try {
        await waitUntil('worker ready', wrk, 60000, async () => (await queue.getWorkersCount()) > 0);
      } finally {
        await queue.close();
      }
    }
  } catch (error) {
    await api.stop();
    if (wrk) await wrk.stop();
    await redis.release();
    throw error;
  }
  return {
    name,
    dbName,
    databaseUrl,
    baseUrl,
    port,
    redis,
    env,
    api,
    worker: wrk,
    async stop({ keepDb = false } = {}) {
      await api.stop();
      if (wrk) await wrk.stop();
      await redis.release();
      if (!keepDb) await dropDatabase(dbName).catch(() => undefined);
    },
  };
}

module.exports = {
  ROOT,
  DIST,
  snapshotDist,
  PG_BASE_URL,
  REDIS_BASE_URL,
  sleep,
  freePort,
  pgAdmin,
  pgConnect,
  dropDatabase,
  claimRedisDb,
  benchServiceEnv,
  startProcess,
  waitUntil,
  httpOk,
  runNode,
  createStack,
  assertLoopback,
  cpuMsOf,
  postgresCpuMs,
  postgresCpuMeter,
  redisCpuMs,
  mainThreadCpuMs,
};
