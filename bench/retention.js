'use strict';
/*
 * npm run bench -- retention [options]   (= npm run build && node bench/run.js retention ...)
 *
 * The retention purge at scale, against live traffic (issue 14). Not a test, not in CI.
 *   1. Seeds, with COPY, 10k customers, --expired access tokens past retention (expired or revoked
 *      more than ACCESS_TOKEN_RETENTION_HOURS ago) and --live live tokens; VACUUM ANALYZE.
 *   2. Prints the EXPLAIN plans of a purge batch (first batch, keyset batch) on that table, and
 *      EXPLAIN ANALYZE of one batch in a rolled-back transaction.
 *   3. Starts the API only, and runs a fixed-rate load: sign-ins (POST /api/v1/oauth/token, argon2id,
 *      inserts a token) and GET /api/v1/customers/me with live tokens (a token lookup), both with
 *      autocannon on 127.0.0.1, bounded in rate, connections and time. "before": --window seconds.
 *   4. Starts the worker: its first retention run begins at once. The same load runs "during" the
 *      purge, from its first deleted row until customer_access_rows_purged_total reaches --expired.
 *      Then "after": --window seconds more, to show the machine's own drift.
 *   5. Reports p99 before / during / after per route (ratio during/before must stay <= 1.5), the
 *      purge rate in rows/s (from the worker's log line), lock waits seen in pg_stat_activity
 *      (sampled every 100 ms), and that every live token is still there.
 * Prints a Markdown summary; the JSON goes to .bench/retention-<time>.json.
 *
 * Options: --expired 2000000 --live 200000 --window 20 --me-rate 150 --signin-rate 4
 *          --keep-db (keep the database for inspection)
 * RETENTION_BATCH_SIZE / RETENTION_BATCH_PAUSE_MS from the environment reach the worker.
 */
const { createHash, randomUUID } = require('node:crypto');
const fs = require('node:fs');
const path = require('node:path');
const { parseArgs } = require('node:util');
const autocannon = require('autocannon');
const infra = require('./lib/infra');

const { values: cli } = parseArgs({
  args: process.argv.slice(2).filter((a) => a !== 'retention'),
  options: {
    expired: { type: 'string' },
    live: { type: 'string' },
    window: { type: 'string' },
    'me-rate': { type: 'string' },
    'signin-rate': { type: 'string' },
    'keep-db': { type: 'boolean' },
  },
});
const opt = {
  expired: Number(cli.expired ?? 2_000_000),
  live: Number(cli.live ?? 200_000),
  window: Number(cli.window ?? 20),
  meRate: Number(cli['me-rate'] ?? 150),
  signinRate: Number(cli['signin-rate'] ?? 4),
  keepDb: Boolean(cli['keep-db']),
  batchSize: process.env.RETENTION_BATCH_SIZE,
  batchPauseMs: process.env.RETENTION_BATCH_PAUSE_MS,
};
const CUSTOMERS = 10_000;
const PASSWORD = 'Bench-Password-2024!';
const log = (...a) => console.error(`[retention ${new Date().toISOString().slice(11, 19)}]`, ...a);
const sha256hex = (s) => createHash('sha256').update(s, 'utf8').digest('hex');
/** A raw bearer token of the service's shape (43 base64url characters), reproducible from `i`. */
const liveRaw = (i) => createHash('sha256').update(`live-token-${i}`).digest('base64url');

infra.snapshotDist();
const seed = require('./lib/seed');
const { purgeBatchSql } = require(path.join(infra.DIST, 'libs/database/src/batched-purge.js'));
const { PURGE_TARGETS } = require(path.join(infra.DIST, 'apps/worker/src/retention/retention-rules.js'));
const target = PURGE_TARGETS.accessTokens;

/** COPY `count` access tokens; `row(i)` returns [expiresAt, revokedAt|null] as ISO strings. */
async function copyTokens(db, ids, count, hashOf, row) {
  const { Readable } = require('node:stream');
  const { pipeline } = require('node:stream/promises');
  const { from: copyFrom } = require('pg-copy-streams');
  const CHUNK = 10_000;
  async function* chunks() {
    for (let start = 0; start < count; start += CHUNK) {
      let s = '';
      for (let i = start; i < Math.min(count, start + CHUNK); i++) {
        const [created, expires, revoked] = row(i);
        s += `${randomUUID()}\t${ids[i % ids.length]}\t${hashOf(i)}\t${created}\t${expires}\t${revoked ?? '\\N'}\n`;
      }
      yield s;
    }
  }
  await pipeline(
    Readable.from(chunks()),
    db.query(copyFrom('COPY access_token (id, customer_id, token_hash, created_at, expires_at, revoked_at) FROM STDIN')),
  );
}

async function seedTokens(db) {
  const t0 = Date.now();
  const { ids } = await seed.seedCustomers(db, CUSTOMERS);
  const now = Date.now();
  const H = 3600e3;
  const iso = (ms) => new Date(ms).toISOString();
  // Past retention: expired 25 h to 30 days ago; one in ten revoked 30 min before its expiry.
  await copyTokens(
    db,
    ids,
    opt.expired,
    (i) => sha256hex(`dead-token-${i}`),
    (i) => {
      const expires = now - 25 * H - (i % (29 * 24)) * H - (i % 3600) * 1000;
      return [iso(expires - H), iso(expires), i % 10 === 0 ? iso(expires - H / 2) : null];
    },
  );
  // Live: expire 2 to 3 days from now (a sign-in's own tokens expire in 1 h, so these stay countable).
  await copyTokens(
    db,
    ids,
    opt.live,
    (i) => sha256hex(liveRaw(i)),
    (i) => [iso(now - H), iso(now + 48 * H + (i % 86_400) * 1000), null],
  );
  await db.query('VACUUM ANALYZE access_token');
  await db.query('CHECKPOINT').catch(() => undefined);
  log(`seeded ${CUSTOMERS} customers, ${opt.expired} expired and ${opt.live} live tokens in ${Math.round((Date.now() - t0) / 1000)} s`);
}

async function explainPlans(db) {
  const numbered = (sql) => {
    let n = 0;
    return sql.replace(/\?/g, () => `$${++n}`);
  };
  const retentionSeconds = 24 * 3600;
  const batch = Number(opt.batchSize ?? 5000);
  const plan = async (prefix, keyset) => {
    const params = keyset ? [retentionSeconds, new Date(Date.now() - 20 * 86_400e3).toISOString(), batch] : [retentionSeconds, batch];
    const { rows } = await db.query(`${prefix} ${numbered(purgeBatchSql(target, keyset))}`, params);
    return rows.map((r) => r['QUERY PLAN']).join('\n');
  };
  const first = await plan('EXPLAIN (COSTS OFF)', false);
  const keyset = await plan('EXPLAIN (COSTS OFF)', true);
  await db.query('BEGIN');
  let analyzed;
  try {
    analyzed = await plan('EXPLAIN (ANALYZE, BUFFERS, COSTS OFF)', true);
  } finally {
    await db.query('ROLLBACK');
  }
  const oldest = (
    await db.query(`EXPLAIN (COSTS OFF) select extract(epoch from now() - min(${target.agedFrom}))::float8 as age from ${target.table}`)
  ).rows
    .map((r) => r['QUERY PLAN'])
    .join('\n');
  return { sql: purgeBatchSql(target, true), first, keyset, analyzed, oldest };
}

/** A fixed-rate autocannon load; `stop()` ends it early. Resolves with its latency summary. */
function load(name, baseUrl, { rate, connections, durationS, request }) {
  infra.assertLoopback(baseUrl);
  const instance = autocannon({ url: baseUrl, connections, overallRate: rate, duration: durationS, timeout: 10, requests: [request] });
  const done = new Promise((resolve, reject) => {
    instance.on('done', resolve);
    instance.on('error', reject);
  });
  return {
    stop: () => instance.stop(),
    result: done.then((r) => ({
      name,
      requests: r.requests.total,
      rps: Math.round(r.requests.average * 10) / 10,
      p50: r.latency.p50,
      p99: r.latency.p99,
      max: r.latency.max,
      non2xx: r.non2xx,
      errors: r.errors,
      timeouts: r.timeouts,
    })),
  };
}

function trafficLoads(baseUrl, durationS) {
  let k = 0;
  let c = 0;
  const me = load('GET /customers/me', baseUrl, {
    rate: opt.meRate,
    connections: 8,
    durationS,
    request: {
      method: 'GET',
      path: '/api/v1/customers/me',
      setupRequest(req) {
        req.headers = { ...req.headers, authorization: `Bearer ${liveRaw((k++ * 7919) % opt.live)}` };
        return req;
      },
    },
  });
  const signin = load('POST /oauth/token', baseUrl, {
    rate: opt.signinRate,
    connections: 4,
    durationS,
    request: {
      method: 'POST',
      path: '/api/v1/oauth/token',
      headers: { 'content-type': 'application/json' },
      setupRequest(req) {
        req.body = JSON.stringify({ grant_type: 'password', username: seed.customerEmail(c++ % CUSTOMERS), password: PASSWORD });
        return req;
      },
    },
  });
  return {
    stop: () => {
      me.stop();
      signin.stop();
    },
    results: () => Promise.all([me.result, signin.result]),
  };
}

/** Samples sessions waiting on a lock in the bench database every 100 ms until stopped. */
function lockSampler(db, dbName) {
  const samples = { total: 0, withWaiters: 0, maxWaiters: 0 };
  let running = true;
  const loop = (async () => {
    while (running) {
      const { rows } = await db.query(`select count(*)::int as n from pg_stat_activity where datname = $1 and wait_event_type = 'Lock'`, [
        dbName,
      ]);
      samples.total++;
      if (rows[0].n > 0) samples.withWaiters++;
      samples.maxWaiters = Math.max(samples.maxWaiters, rows[0].n);
      await infra.sleep(100);
    }
  })();
  return {
    stop: async () => {
      running = false;
      await loop;
      return samples;
    },
  };
}

async function scrapePurged(metricsUrl) {
  try {
    const res = await fetch(`${metricsUrl}/metrics`);
    const text = await res.text();
    const m = /^customer_access_rows_purged_total\{[^}]*table="access_token"[^}]*\} (\S+)$/m.exec(text);
    return m ? Number(m[1]) : 0;
  } catch {
    return 0;
  }
}

async function phase(name, baseUrl, db, dbName, { durationS, until }) {
  log(`${name}: load running`);
  const sampler = lockSampler(db, dbName);
  const loads = trafficLoads(baseUrl, durationS);
  const t0 = Date.now();
  if (until) {
    await until();
    loads.stop();
  }
  const [me, signin] = await loads.results();
  const locks = await sampler.stop();
  return { name, seconds: Math.round((Date.now() - t0) / 100) / 10, me, signin, locks };
}

async function main() {
  const dbName = `ca_bench_retention_${process.pid}`;
  const smtpPort = await infra.freePort(); // no mail is sent in this bench
  const stack = await infra.createStack({
    name: 'retention',
    dbName,
    smtpPort,
    worker: false,
    env: {
      ...(opt.batchSize ? { RETENTION_BATCH_SIZE: opt.batchSize } : {}),
      ...(opt.batchPauseMs ? { RETENTION_BATCH_PAUSE_MS: opt.batchPauseMs } : {}),
    },
    prepare: seedTokens,
  });
  const db = await infra.pgConnect(dbName);
  let worker;
  try {
    const tableSize = (await db.query(`select pg_size_pretty(pg_total_relation_size('access_token')) as s`)).rows[0].s;
    const plans = await explainPlans(db);
    log('plan of a keyset batch:\n' + plans.keyset);

    // Warm-up: connections, JIT, caches.
    await phase('warm-up', stack.baseUrl, db, dbName, { durationS: 5 });
    const before = await phase('before', stack.baseUrl, db, dbName, { durationS: opt.window });

    const metricsPort = await infra.freePort();
    const metricsUrl = `http://127.0.0.1:${metricsPort}`;
    worker = infra.startProcess('retention-worker', [path.join(infra.DIST, 'apps/worker/main.js')], {
      ...stack.env,
      LOG_LEVEL: 'info',
      WORKER_METRICS_PORT: String(metricsPort),
    });
    await infra.waitUntil('first purged rows', worker, 120_000, async () => (await scrapePurged(metricsUrl)) > 0);
    const tPurge = Date.now();
    const during = await phase('during', stack.baseUrl, db, dbName, {
      durationS: 3600,
      until: () => infra.waitUntil('purge done', worker, 3_600_000, async () => (await scrapePurged(metricsUrl)) >= opt.expired),
    });
    const purgeWallS = (Date.now() - tPurge) / 1000;
    const after = await phase('after', stack.baseUrl, db, dbName, { durationS: opt.window });

    // The worker's own line for the table: rows and seconds of the run.
    await infra.waitUntil('purge log line', worker, 60_000, () => /"table":"access_token"/.test(worker.output()));
    const line = worker
      .output()
      .split('\n')
      .map((l) => {
        try {
          return JSON.parse(l);
        } catch {
          return null;
        }
      })
      .find((l) => l && l.table === 'access_token' && typeof l.rows === 'number');
    const counts = (
      await db.query(
        `select count(*) filter (where revoked_at is null and expires_at > now() + interval '1 day')::int as live,
                count(*) filter (where least(expires_at, revoked_at) < now() - interval '24 hours')::int as past_retention,
                count(*)::int as total
         from access_token`,
      )
    ).rows[0];

    const ratio = (a, b) => Math.round((a / b) * 100) / 100;
    const results = {
      startedAt: new Date().toISOString(),
      options: opt,
      machine: { nproc: require('node:os').availableParallelism(), loadavg: require('node:os').loadavg() },
      tableSizeBefore: tableSize,
      plans,
      before,
      during,
      after,
      purge: {
        rows: line?.rows,
        seconds: line?.seconds,
        rowsPerSecond: line ? Math.round(line.rows / line.seconds) : null,
        wallSecondsObserved: purgeWallS,
      },
      ratios: { me: ratio(during.me.p99, before.me.p99), signin: ratio(during.signin.p99, before.signin.p99) },
      liveTokensLeft: counts.live,
      liveTokensSeeded: opt.live,
      pastRetentionLeft: counts.past_retention,
      tokensLeft: counts.total,
    };
    fs.mkdirSync(path.join(infra.ROOT, '.bench'), { recursive: true });
    const file = path.join(infra.ROOT, '.bench', `retention-${Date.now()}.json`);
    fs.writeFileSync(file, JSON.stringify(results, null, 1));

    const row = (p) =>
      `| ${p.name} | ${p.seconds} | ${p.me.rps} | ${p.me.p50} | ${p.me.p99} | ${p.signin.rps} | ${p.signin.p50} | ${p.signin.p99} | ${p.me.non2xx + p.signin.non2xx} | ${p.locks.withWaiters}/${p.locks.total} (max ${p.locks.maxWaiters}) |`;
    const md = [
      `Retention purge at scale: ${opt.expired} tokens past retention + ${opt.live} live (${tableSize} with indexes), batch ${opt.batchSize ?? 5000}, pause ${opt.batchPauseMs ?? 200} ms`,
      '',
      '| phase | s | /me req/s | /me p50 ms | /me p99 ms | sign-in req/s | sign-in p50 ms | sign-in p99 ms | non-2xx | samples with a lock waiter |',
      '|---|---|---|---|---|---|---|---|---|---|',
      row(before),
      row(during),
      row(after),
      '',
      `p99 during/before: /me x${results.ratios.me}, sign-in x${results.ratios.signin} (limit 1.5)`,
      `purge: ${results.purge.rows} rows in ${results.purge.seconds} s = ${results.purge.rowsPerSecond} rows/s`,
      `live tokens left: ${counts.live} of ${opt.live}; rows past retention left: ${counts.past_retention}`,
      '',
      'EXPLAIN of a keyset batch:',
      plans.keyset,
      '',
      'EXPLAIN ANALYZE of one batch (rolled back):',
      plans.analyzed,
      '',
      'EXPLAIN of the oldest-row gauge:',
      plans.oldest,
    ].join('\n');
    console.log(md);
    log(`JSON: ${file}`);
  } finally {
    await db.end();
    if (worker) await worker.stop();
    await stack.stop({ keepDb: opt.keepDb });
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
