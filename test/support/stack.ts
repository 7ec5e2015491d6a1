import { ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import net from 'node:net';
import { basename, join, resolve } from 'node:path';
import Redis from 'ioredis';
import { Client, QueryResult, QueryResultRow } from 'pg';
import { ApiRequest, ApiResponse, request } from './http-client';
import { startPgBouncer } from './pgbouncer';
import { PwnedRangeServer } from './pwned-range-server';
import { SmtpSink } from './smtp-sink';
import { cloneTemplate, ensureTemplate, hashFiles } from './template-database';
import { SETTINGS_CHANGED_CHANNEL } from '../../libs/redis/src/key-layout';

/**
 * Black-box test stack: a fresh migrated PostgreSQL database (a copy of a template migrated once by
 * the built `cli migrate`), a private Redis database index, an SMTP sink,
 * and the *built* API and worker running as child processes, exactly as they run in production.
 */

export const REPO_ROOT = resolve(__dirname, '..', '..');

/** Where the built entry points live (docs/api.md, Commands). */
const ENTRY = {
  api: 'dist/apps/api/main.js',
  worker: 'dist/apps/worker/main.js',
  cli: 'dist/apps/cli/main.js',
} as const;

/** Server URLs without a database name / index; overridable for other machines. */
const PG_BASE_URL = process.env.E2E_PG_URL ?? 'postgres://postgres@127.0.0.1:5432';
const REDIS_BASE_URL = process.env.E2E_REDIS_URL ?? 'redis://127.0.0.1:6379';
/** Set E2E_VERBOSE=1 to stream the children's output to the test's console. */
const VERBOSE = process.env.E2E_VERBOSE === '1';
/** Set E2E_KEEP_DB=1 to keep the test database for inspection after the run. */
const KEEP_DB = process.env.E2E_KEEP_DB === '1';

export const STOREFRONT_URL = 'http://storefront.e2e.test';
export const MAIL_FROM_ADDRESS = 'no-reply@shop.e2e.test';
export const MAIL_FROM = `"E2E Shop" <${MAIL_FROM_ADDRESS}>`;
export const SETTINGS_REFRESH_MS = 200;

export interface StackOptions {
  /** Used in the database name; defaults to the calling test file's name. */
  name?: string;
  /** Settings overrides (camelCase names of docs/api.md) in force from the processes' start. */
  settings?: Record<string, unknown>;
  /** Extra environment for both processes. */
  env?: Record<string, string>;
  /** Default 'info'. */
  logLevel?: string;
  /** Default 'production': the processes run as they would in a real deployment. */
  nodeEnv?: string;
  /** Start the worker too (default true). */
  worker?: boolean;
  /** Readiness timeout per process, default READY_TIMEOUT_MS. */
  readyTimeoutMs?: number;
  /**
   * Adjusts the environment of the API or the worker just before it starts (after `env`), e.g. to
   * point DATABASE_URL/REDIS_URL at a fault-injecting proxy. The harness's own clients and the
   * migrate command keep the direct URLs.
   */
  processEnv?: (which: 'api' | 'worker', env: Record<string, string>) => Record<string, string>;
  /**
   * Another Redis form for the processes (a Redis Cluster or a Sentinel group from
   * redis-servers.ts, owned and stopped by the test) instead of a private db index of the shared
   * Redis. `stack.redis` is then a client of that form.
   */
  redis?: { env: Record<string, string>; connect(): Redis };
  /** How the processes reach PostgreSQL; default from E2E_POSTGRES_VIA (the `pgbouncer` jest project). */
  postgresVia?: 'direct' | 'pgbouncer';
}

/**
 * E2E_POSTGRES_VIA=pgbouncer (set by the `pgbouncer` jest project) runs the same suites with the
 * processes' DATABASE_URL pointing at a PgBouncer in transaction mode that the stack starts and
 * stops; migrations and the harness's own client go direct (DATABASE_MIGRATION_URL).
 */
const POSTGRES_VIA_PGBOUNCER = process.env.E2E_POSTGRES_VIA === 'pgbouncer';

export interface Db {
  query<R extends QueryResultRow = any>(sql: string, params?: unknown[]): Promise<QueryResult<R>>;
  client: Client;
}

export interface ManagedProcess {
  name: string;
  child: ChildProcess;
  /** stdout and stderr chunks, in arrival order. */
  output: string[];
  exitCode: number | null;
  exited: Promise<void>;
}

export interface Stack {
  baseUrl: string;
  api<T = any>(path: string, init?: ApiRequest): Promise<ApiResponse<T>>;
  sink: SmtpSink;
  db: Db;
  databaseName: string;
  databaseUrl: string;
  /** ioredis client on the stack's private database index (or on options.redis's topology). */
  redis: Redis;
  redisUrl: string;
  redisDbIndex: number;
  /** The stack's Pwned Passwords range API on loopback (PWNED_PASSWORDS_URL): no test reaches the internet. */
  pwned: PwnedRangeServer;
  /**
   * Everything the API and the worker printed (stdout and stderr); `migrate` holds the migrate
   * command's output when this stack built the migrated template (support/template-database.ts).
   */
  logs: { api: string[]; worker: string[]; migrate: string[] };
  /** All captured output as one text, for secret scans. */
  allOutput(): string;
  /** The environment the processes were started with. */
  env: Record<string, string>;
  /** Merges `partial` into the stack's settings overrides, stores them, and waits for the reload. */
  setSettings(partial: Record<string, unknown>): Promise<void>;
  /** Replaces the settings overrides entirely (e.g. `{}` for the documented defaults). */
  replaceSettings(values: Record<string, unknown>): Promise<void>;
  currentSettings(): Record<string, unknown>;
  processes: { api: ManagedProcess; worker?: ManagedProcess };
  stop(): Promise<void>;
}

const running = new Set<ChildProcess>();
process.once('exit', () => {
  for (const child of running) child.kill('SIGKILL');
});

export function entry(which: keyof typeof ENTRY): string {
  const file = join(REPO_ROOT, ENTRY[which]);
  if (!existsSync(file)) {
    throw new Error(`${ENTRY[which]} is missing: run npm run build first (the e2e tests run the built app).`);
  }
  return file;
}

function callerTestName(): string {
  const test = expect.getState().testPath;
  return test ? basename(test).replace(/\.e2e-spec\.ts$/, '') : 'stack';
}

function databaseNameFor(name: string): string {
  const slug = name
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '_')
    .replace(/^_+|_+$/g, '')
    .slice(0, 30);
  return `ca_e2e_${slug}_${process.pid}_${randomBytes(3).toString('hex')}`;
}

/**
 * A port for a server a test starts (an API, a worker's metrics): chosen at random below the kernel's
 * ephemeral range (32768–60999), and free when checked. A port the kernel hands out with listen(0)
 * comes from that range, the one every outgoing connection's local port comes from too: in the moment
 * between the check and the server's own listen, a PostgreSQL, Redis or HTTP client of a parallel
 * test could take it (CI saw an API exit on EADDRINUSE).
 */
export async function freePort(): Promise<number> {
  for (let attempt = 0; ; attempt++) {
    const port = 20_000 + Math.floor(Math.random() * 12_000);
    if (await portIsFree(port)) return port;
    if (attempt >= 50) throw new Error('no free port found in 20000-31999');
  }
}

function portIsFree(port: number): Promise<boolean> {
  return new Promise((done) => {
    const srv = net.createServer();
    srv.once('error', () => done(false));
    srv.listen(port, '127.0.0.1', () => srv.close(() => done(true)));
  });
}

/**
 * How long a started API or worker may take to become ready. Generous because CI shares two cores
 * with builds; a process that never gets ready still fails the run, only later.
 */
export const READY_TIMEOUT_MS = 90_000;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Resolves true when `promise` settles within `ms`, false otherwise; leaves no timer behind. */
export async function settlesWithin(promise: Promise<unknown>, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<boolean>((r) => {
    timer = setTimeout(() => r(false), ms);
  });
  try {
    return await Promise.race([promise.then(() => true), timeout]);
  } finally {
    clearTimeout(timer);
  }
}

export function startProcess(name: string, args: string[], env: Record<string, string>): ManagedProcess {
  const child = spawn(process.execPath, args, { cwd: REPO_ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
  running.add(child);
  const proc: ManagedProcess = { name, child, output: [], exitCode: null, exited: Promise.resolve() };
  const capture = (chunk: Buffer): void => {
    const text = chunk.toString('utf8');
    proc.output.push(text);
    if (VERBOSE) process.stdout.write(`[${name}] ${text}`);
  };
  child.stdout!.on('data', capture);
  child.stderr!.on('data', capture);
  proc.exited = new Promise<void>((done) => {
    child.once('exit', (code, signal) => {
      proc.exitCode = code ?? (signal ? 128 : -1);
      running.delete(child);
      done();
    });
    child.once('error', (err) => {
      proc.output.push(`[spawn error] ${err.message}`);
      proc.exitCode = -1;
      running.delete(child);
      done();
    });
  });
  return proc;
}

export function tail(proc: ManagedProcess, chars = 6000): string {
  const text = proc.output.join('');
  return text.length > chars ? `…${text.slice(-chars)}` : text || '(no output)';
}

export async function stopProcess(proc: ManagedProcess | undefined): Promise<void> {
  if (!proc || proc.exitCode !== null) return;
  proc.child.kill('SIGTERM');
  if (!(await settlesWithin(proc.exited, 5000))) {
    proc.child.kill('SIGKILL');
    await proc.exited;
  }
}

/**
 * The stack's database: a copy of a template that the built `cli migrate` migrated once per
 * migrations version (support/template-database.ts); the template is named by a hash of the built
 * migrations and migrate code, so a rebuilt migration gets a template of its own. Returns the
 * migrate command's output when this call built the template, else nothing.
 */
async function createMigratedDatabase(databaseName: string, env: Record<string, string>): Promise<string[]> {
  entry('cli');
  const hash = hashFiles(REPO_ROOT, [
    { dir: 'dist/libs/database/src/migrations', ext: '.js' },
    { file: 'dist/libs/database/src/migrate.js' },
    { file: 'dist/libs/database/src/orm-options.js' },
    { file: 'dist/libs/database/src/create-database.js' },
  ]);
  const template = `ca_e2e_template_${hash}`;
  const output = await ensureTemplate(template, (url) => runMigrate({ ...env, DATABASE_URL: url, DATABASE_MIGRATION_URL: url }));
  await cloneTemplate(template, databaseName);
  return output ?? [];
}

async function runMigrate(env: Record<string, string>): Promise<string[]> {
  const proc = startProcess('migrate', [entry('cli'), 'migrate'], env);
  if (!(await settlesWithin(proc.exited, 60_000))) {
    proc.child.kill('SIGKILL');
    throw new Error(`"cli migrate" did not finish within 60 s. Output:\n${tail(proc)}`);
  }
  if (proc.exitCode !== 0) {
    throw new Error(`"cli migrate" exited with ${proc.exitCode}. Output:\n${tail(proc)}`);
  }
  return proc.output;
}

/**
 * Resolves once every line the stack's API logged before the call has reached `stack.logs.api`. The
 * apps write their JSON lines in batches (32 KiB, or every 200 ms: jsonLinesDestination in
 * libs/observability), in order, so a line may reach the pipe a moment after the answer it reports;
 * the access line of a request made now (a 404 tagged with a fresh request id) comes after all of them.
 * Needs LOG_LEVEL info (the stacks' default).
 */
export async function apiLogsFlushed(stack: Pick<Stack, 'api' | 'processes'>, timeoutMs = 10_000): Promise<void> {
  const marker = `log-barrier-${randomBytes(8).toString('hex')}`;
  await stack.api('/api/v1/log-barrier', { headers: { 'x-request-id': marker } });
  const api = stack.processes.api;
  await waitUntil(`the access line of request ${marker}`, api, timeoutMs, () => api.output.join('').includes(marker));
}

/**
 * Resolves once the stack's API has written every line logged before the call (apiLogsFlushed) and
 * the other processes' periodic flush (every 200 ms) has run twice: before a test reads the logs for
 * what must NOT be there, or for a line that reports something already answered.
 */
export async function logsFlushed(stack?: Pick<Stack, 'api' | 'processes'>): Promise<void> {
  if (stack) await apiLogsFlushed(stack);
  await sleep(500);
}

export async function waitUntil(
  what: string,
  proc: ManagedProcess,
  timeoutMs: number,
  ready: () => Promise<boolean> | boolean,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (proc.exitCode !== null) {
      throw new Error(`${proc.name} exited with ${proc.exitCode} before ${what}. Output:\n${tail(proc)}`);
    }
    if (await ready()) return;
    await sleep(100);
  }
  throw new Error(`${proc.name}: ${what} did not happen within ${timeoutMs} ms. Output:\n${tail(proc)}`);
}

/**
 * Claims an empty Redis database index that no other running stack uses (a lock key in db 0, with
 * a TTL, so that a crashed run frees it by itself).
 */
export async function claimRedisDb(): Promise<{ index: number; release: () => Promise<void> }> {
  const admin = new Redis(`${REDIS_BASE_URL}/0`, { lazyConnect: true, maxRetriesPerRequest: 1 });
  await admin.connect();
  try {
    let databases = 16;
    try {
      const reply = (await admin.config('GET', 'databases')) as string[];
      if (reply?.[1]) databases = Number(reply[1]);
    } catch {
      /* CONFIG may be disabled: assume the default */
    }
    const owner = `${process.pid}-${randomBytes(4).toString('hex')}`;
    // Random start so that runs on one machine rarely contend for the same index.
    const start = 1 + Math.floor(Math.random() * (databases - 1));
    for (let i = 0; i < databases - 1; i++) {
      const index = 1 + ((start - 1 + i) % (databases - 1));
      const key = `customer-access:e2e:redis-db:${index}`;
      if ((await admin.set(key, owner, 'EX', 1800, 'NX')) !== 'OK') continue;
      const release = async (): Promise<void> => {
        const again = new Redis(`${REDIS_BASE_URL}/0`, { maxRetriesPerRequest: 1 });
        try {
          if ((await again.get(key)) === owner) await again.del(key);
        } finally {
          again.disconnect();
        }
      };
      // An index holding keys belongs to someone else (a developer's running app, say): never flush it.
      const probe = new Redis(`${REDIS_BASE_URL}/${index}`, { maxRetriesPerRequest: 1 });
      const size = await probe.dbsize().finally(() => probe.disconnect());
      if (size === 0) return { index, release };
      await release();
    }
    throw new Error(`No free Redis database index among 1..${databases - 1}: each is claimed by another e2e run or holds keys.`);
  } finally {
    admin.disconnect();
  }
}

async function adminQuery(sql: string): Promise<void> {
  const client = new Client({ connectionString: `${PG_BASE_URL}/postgres` });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

const UPSERT_SETTINGS =
  'INSERT INTO settings (id, values, updated_at) VALUES (1, $1::jsonb, now()) ' +
  'ON CONFLICT (id) DO UPDATE SET values = EXCLUDED.values, updated_at = now() RETURNING updated_at';

export async function startStack(options: StackOptions = {}): Promise<Stack> {
  const apiEntry = entry('api');
  const workerEntry = entry('worker');
  entry('cli');

  const cleanups: Array<() => Promise<void>> = [];
  const cleanup = async (): Promise<void> => {
    for (const fn of cleanups.reverse()) {
      try {
        await fn();
      } catch (err) {
        console.warn(`e2e stack cleanup: ${(err as Error).message}`);
      }
    }
    cleanups.length = 0;
  };

  try {
    const databaseName = databaseNameFor(options.name ?? callerTestName());
    const databaseUrl = `${PG_BASE_URL}/${databaseName}`;
    const redisClaim = options.redis ? { index: 0, release: async () => undefined } : await claimRedisDb();
    cleanups.push(redisClaim.release);
    const redisUrl = `${REDIS_BASE_URL}/${redisClaim.index}`;
    const redis = options.redis ? options.redis.connect() : new Redis(redisUrl, { maxRetriesPerRequest: 2 });
    cleanups.push(async () => {
      if (!options.redis) await redis.flushdb().catch(() => undefined);
      redis.disconnect();
    });
    if (!options.redis) await redis.flushdb();

    const sink = await SmtpSink.start();
    cleanups.push(() => sink.stop());
    const pwned = await PwnedRangeServer.start();
    cleanups.push(() => pwned.stop());

    const port = await freePort();
    const env: Record<string, string> = {
      ...(process.env as Record<string, string>),
      NODE_ENV: options.nodeEnv ?? 'production',
      PORT: String(port),
      HOST: '127.0.0.1',
      // The worker's metrics server listens on every interface: off unless a test asks for it.
      WORKER_METRICS_PORT: '0',
      DATABASE_URL: databaseUrl,
      DATABASE_MIGRATION_URL: databaseUrl,
      ...(options.redis ? options.redis.env : { REDIS_URL: redisUrl }),
      SMTP_URL: sink.url,
      MAIL_FROM,
      PUBLIC_URL: `http://127.0.0.1:${port}`,
      STOREFRONT_URL,
      JWT_SECRET: `e2e-${randomBytes(24).toString('hex')}`,
      MFA_ENCRYPTION_KEY: `e2e-mfa-${randomBytes(24).toString('hex')}`,
      LOG_LEVEL: options.logLevel ?? 'info',
      SETTINGS_REFRESH_MS: String(SETTINGS_REFRESH_MS),
      PWNED_PASSWORDS_URL: pwned.url,
      ...(options.env ?? {}),
    };

    // The database exists from here on (a copy of the migrated template): drop it whatever happens next.
    cleanups.push(async () => {
      if (!KEEP_DB) await adminQuery(`DROP DATABASE IF EXISTS "${databaseName}" WITH (FORCE)`);
    });
    const migrateOutput = await createMigratedDatabase(databaseName, env);
    if (options.postgresVia ? options.postgresVia === 'pgbouncer' : POSTGRES_VIA_PGBOUNCER) {
      const bouncer = await startPgBouncer(PG_BASE_URL);
      cleanups.push(() => bouncer.stop());
      // Transaction pooling keeps no session state, so the app's statement_timeout (a startup
      // parameter, which PgBouncer drops) cannot reach PostgreSQL: a database default can, as it is
      // applied to every server connection PgBouncer opens (docs/operations.md, "Running several instances").
      await adminQuery(
        `ALTER DATABASE "${databaseName}" SET statement_timeout = '${Number(env.DATABASE_STATEMENT_TIMEOUT_MS ?? 10_000)}ms'`,
      );
      env.DATABASE_URL = `${bouncer.url}/${databaseName}`;
    }

    const db = new Client({ connectionString: databaseUrl });
    await db.connect();
    cleanups.push(() => db.end());

    let settings: Record<string, unknown> = { ...(options.settings ?? {}) };
    await db.query(UPSERT_SETTINGS, [JSON.stringify(settings)]);

    const envFor = (which: 'api' | 'worker') => (options.processEnv ? options.processEnv(which, { ...env }) : env);
    const api = startProcess('api', [apiEntry], envFor('api'));
    const worker = options.worker === false ? undefined : startProcess('worker', [workerEntry], envFor('worker'));
    cleanups.push(async () => {
      await Promise.all([stopProcess(api), stopProcess(worker)]);
    });

    const baseUrl = `http://127.0.0.1:${port}`;
    const readyTimeout = options.readyTimeoutMs ?? READY_TIMEOUT_MS;
    await Promise.all([
      waitUntil('GET /health/live answered 200', api, readyTimeout, async () => {
        try {
          return (await request(baseUrl, '/health/live', { timeoutMs: 1000 })).status === 200;
        } catch {
          return false;
        }
      }),
      worker
        ? waitUntil('"Worker ready" was logged', worker, readyTimeout, () => worker.output.join('').includes('Worker ready'))
        : undefined,
    ]);

    // A settings write is announced like the admin route does (every instance reloads at once,
    // extra APIs a test started included) and awaited by observing it in force: each process logs
    // "Settings in force: version <updated_at>" when it loads that row (SettingsService). Without
    // info logs, a pause of a few refresh periods instead.
    const logsSettings = ['info', 'debug', 'trace'].includes(env.LOG_LEVEL ?? 'info');
    const writeSettings = async (values: Record<string, unknown>): Promise<void> => {
      const written = await db.query<{ updated_at: Date }>(UPSERT_SETTINGS, [JSON.stringify(values)]);
      await redis.publish(SETTINGS_CHANGED_CHANNEL, '1');
      if (!logsSettings) {
        await sleep(SETTINGS_REFRESH_MS * 3 + 150);
        return;
      }
      const line = `Settings in force: version ${written.rows[0].updated_at.toISOString()}`;
      for (const proc of [api, worker]) {
        if (proc && proc.exitCode === null)
          await waitUntil('settings version in force', proc, 10_000, () => proc.output.join('').includes(line));
      }
    };
    const stack: Stack = {
      baseUrl,
      api: (path, init) => request(baseUrl, path, init),
      sink,
      pwned,
      db: { client: db, query: (sql, params) => db.query(sql, params as unknown[]) },
      databaseName,
      databaseUrl,
      redis,
      redisUrl,
      redisDbIndex: redisClaim.index,
      logs: { api: api.output, worker: worker?.output ?? [], migrate: migrateOutput },
      allOutput: () => [...migrateOutput, ...api.output, ...(worker?.output ?? [])].join(''),
      env,
      async setSettings(partial) {
        settings = { ...settings, ...partial };
        await writeSettings(settings);
      },
      async replaceSettings(values) {
        settings = { ...values };
        await writeSettings(settings);
      },
      currentSettings: () => ({ ...settings }),
      processes: { api, worker },
      stop: cleanup,
    };
    return stack;
  } catch (err) {
    await cleanup();
    throw err;
  }
}
