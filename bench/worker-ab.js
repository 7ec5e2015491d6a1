'use strict';
/*
 * Two builds of the worker, A/B, at saturation (section 2's saturation, bench/lib/mail.js): one
 * seeded database, one SMTP sink, one worker of each build on its own Redis index, both running the
 * whole time; each round releases `--jobs` queued password-reset-requested jobs (known customers,
 * distinct) to one side, then to the other, the order swapped every round. Per run: emails/s
 * (noise on a shared machine), and CPU per email of the worker, the database's PostgreSQL backends,
 * and Redis (server-wide), with PostgreSQL's transactions and rows written per email.
 *
 *   bash bench/build-to.sh .bench/build-b
 *   BENCH_DB_NAME=ca_bench_ab node bench/worker-ab.js --a .bench/build-a --b .bench/build-b --rounds 4 --jobs 1500
 */
const path = require('node:path');
const { parseArgs } = require('node:util');
const { randomBytes } = require('node:crypto');
const { Queue } = require('bullmq');
const infra = require('./lib/infra');
const { saturation } = require('./lib/mail');
const { startSink } = require('./lib/sink');

const { values: cli } = parseArgs({
  options: {
    a: { type: 'string' },
    b: { type: 'string' },
    rounds: { type: 'string', default: '4' },
    jobs: { type: 'string', default: '1500' },
    customers: { type: 'string', default: '100000' },
  },
});
const A = path.resolve(cli.a ?? '.bench/build-a');
const B = path.resolve(cli.b ?? '.bench/build-b');
const ROUNDS = Number(cli.rounds);
const JOBS = Number(cli.jobs);
const CUSTOMERS = Number(cli.customers);
const DB = process.env.BENCH_DB_NAME || 'ca_bench_worker_ab';
const log = (m) => console.error(`[worker-ab ${new Date().toISOString().slice(11, 19)}] ${m}`);
const median = (xs) => {
  const s = [...xs].sort((x, y) => x - y);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};

async function pgCounters(db) {
  const { rows } = await db.query(
    'select xact_commit + xact_rollback as xacts, tup_inserted + tup_updated + tup_deleted as written from pg_stat_database where datname = $1',
    [DB],
  );
  return { xacts: Number(rows[0].xacts), written: Number(rows[0].written) };
}

/**
 * CPU of the database's backends over a run, read per process every 250 ms: a backend that exits
 * meanwhile (a pool's idle connection closed) keeps what it had spent when last read, where
 * summing the living backends at the start and at the end would lose it (or go negative).
 */
function backendCpuMeter(database) {
  const fs = require('node:fs');
  const read = () => {
    const out = new Map();
    for (const entry of fs.readdirSync('/proc')) {
      if (!/^\d+$/.test(entry)) continue;
      try {
        const stat = fs.readFileSync(`/proc/${entry}/stat`, 'utf8');
        if (!stat.includes('(postgres)')) continue;
        if (!fs.readFileSync(`/proc/${entry}/cmdline`, 'utf8').includes(` ${database} `)) continue;
        const fields = stat.split(') ')[1].split(' ');
        out.set(entry, ((Number(fields[11]) + Number(fields[12])) * 1000) / 100);
      } catch {
        /* gone */
      }
    }
    return out;
  };
  const start = read();
  const last = new Map(start);
  const sample = () => {
    for (const [pid, ms] of read()) last.set(pid, ms);
  };
  const timer = setInterval(sample, 250);
  return () => {
    clearInterval(timer);
    sample();
    let total = 0;
    for (const [pid, ms] of last) total += ms - (start.get(pid) ?? 0);
    return total;
  };
}

async function main() {
  // seed.js reads the service's argon2 options from the bench's copy of dist/.
  // (only when missing: a bench running meanwhile runs from that copy).
  if (!require('node:fs').existsSync(path.join(infra.DIST, 'apps/worker/main.js'))) {
    process.env.BENCH_DIST_SRC ??= path.relative(infra.ROOT, A);
    infra.snapshotDist();
  }
  const seed = require('./lib/seed');
  const sink = await startSink();
  const env = {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    NODE_ENV: 'production',
    JWT_SECRET: randomBytes(32).toString('hex'),
    MFA_ENCRYPTION_KEY: randomBytes(32).toString('hex'),
    DATABASE_URL: `${infra.PG_BASE_URL}/${DB}`,
    SMTP_URL: `smtp://127.0.0.1:${sink.port}`,
    MAIL_FROM: '"Bench Shop" <no-reply@shop.test>',
    STOREFRONT_URL: 'http://storefront.bench.test',
    PUBLIC_URL: 'http://127.0.0.1:9',
    PWNED_PASSWORDS_URL: 'http://127.0.0.1:9',
    LOG_LEVEL: 'warn',
    SETTINGS_REFRESH_MS: '5000',
  };
  await infra.dropDatabase(DB);
  await infra.pgAdmin(`CREATE DATABASE ${DB}`).catch(() => undefined);
  await infra.runNode([path.join(A, 'apps/cli/main.js'), 'migrate'], { ...env, REDIS_URL: `${infra.REDIS_BASE_URL}/0` });
  const db = await infra.pgConnect(DB);
  await seed.setBenchSettings(db);
  await seed.seedCustomers(db, CUSTOMERS);
  log(`seeded ${CUSTOMERS} customers in ${DB}`);

  const sides = {};
  try {
    for (const [name, dir] of [
      ['A', A],
      ['B', B],
    ]) {
      const redis = await infra.claimRedisDb();
      const proc = infra.startProcess(`worker-${name}`, [path.join(dir, 'apps/worker/main.js')], { ...env, REDIS_URL: redis.url });
      const u = new URL(redis.url);
      const queue = new Queue('mail', {
        prefix: '{customer-access}',
        connection: { host: u.hostname, port: Number(u.port || 6379), db: Number(u.pathname.slice(1) || 0), maxRetriesPerRequest: null },
      });
      sides[name] = { name, dir, redis, proc, queue, runs: [] };
      await infra.waitUntil(`worker ${name} ready`, proc, 90000, async () => (await queue.getWorkersCount()) > 0);
    }
    let next = 0;
    const run = async (side) => {
      const start = next;
      next += JOBS;
      const c0 = await pgCounters(db);
      const pgMeter = backendCpuMeter(DB);
      const sat = await saturation({ worker: side.proc, dbName: DB }, sink, side.queue, JOBS, (k) => ({
        email: seed.customerEmail((start + k) % CUSTOMERS),
      }));
      const pgMs = pgMeter();
      const c1 = await pgCounters(db);
      const n = Math.max(1, sat.delivered);
      sat.postgresCpuMsPerEmail = pgMs / n;
      const r = { ...sat, xactsPerEmail: (c1.xacts - c0.xacts) / n, rowsWrittenPerEmail: (c1.written - c0.written) / n };
      side.runs.push(r);
      log(
        `${side.name} (${path.basename(side.dir)}): ${sat.delivered}/${JOBS} at ${sat.emailsPerSecond.toFixed(0)}/s; CPU ms/email worker ${sat.workerCpuMsPerEmail.toFixed(3)} pg ${sat.postgresCpuMsPerEmail.toFixed(3)} redis ${sat.redisCpuMsPerEmail.toFixed(3)}; pg xacts/email ${r.xactsPerEmail.toFixed(2)} rows written/email ${r.rowsWrittenPerEmail.toFixed(2)}; load ${require('node:os').loadavg()[0].toFixed(1)}`,
      );
      await sink.settle(1000, 20000);
    };
    // warm-up, both
    for (const side of [sides.A, sides.B]) {
      await run(side);
      side.runs.length = 0;
    }
    for (let r = 1; r <= ROUNDS; r++) {
      const order = r % 2 ? [sides.A, sides.B] : [sides.B, sides.A];
      for (const side of order) await run(side);
    }
    const summary = {};
    for (const side of [sides.A, sides.B]) {
      const m = (k) => median(side.runs.map((x) => x[k]));
      summary[side.name] = {
        build: side.dir,
        emailsPerSecond: m('emailsPerSecond'),
        workerCpuMsPerEmail: m('workerCpuMsPerEmail'),
        postgresCpuMsPerEmail: m('postgresCpuMsPerEmail'),
        redisCpuMsPerEmail: m('redisCpuMsPerEmail'),
        totalCpuMsPerEmail: median(side.runs.map((x) => x.workerCpuMsPerEmail + x.postgresCpuMsPerEmail + x.redisCpuMsPerEmail)),
        xactsPerEmail: m('xactsPerEmail'),
        rowsWrittenPerEmail: m('rowsWrittenPerEmail'),
        perRound: side.runs.map(
          (x) =>
            `${x.emailsPerSecond.toFixed(0)}/s w${x.workerCpuMsPerEmail.toFixed(2)} pg${x.postgresCpuMsPerEmail.toFixed(2)} r${x.redisCpuMsPerEmail.toFixed(2)}`,
        ),
      };
    }
    console.log(JSON.stringify(summary, null, 2));
  } finally {
    for (const side of Object.values(sides)) {
      await side.queue.close().catch(() => undefined);
      await side.proc.stop();
      await side.redis.release();
    }
    await db.end();
    sink.stop();
    await infra.dropDatabase(DB).catch(() => undefined);
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
