#!/usr/bin/env node
'use strict';
// The stack's background CPU with no load: what the API, the worker, the bench database's
// PostgreSQL backends (by application and state) and Redis spend per second while nobody calls, the
// mail queue paused as in section 3. A section's per-request figures carry this cost divided by its
// request rate (at ~47 resets/s, 1 ms/s of idle CPU is ~0.02 ms per reset).
//
//   BENCH_DB_NAME=ca_bench_idle node bench/idle-cpu.js [seconds=30] [rounds=2]
//   BENCH_DIST_SRC=DIR ...   (another build, as bench/run.js)
//   BENCH_IDLE_RESETS=SECONDS: then resets as section 3 sends them (8 connections) for that long,
//   with the rows each table got per reset; BENCH_IDLE_STRACE=1 counts the API main thread's
//   system calls meanwhile (strace -c).
const { Client } = require('pg');
const fs = require('node:fs');
const infra = require('./lib/infra');
const { mailQueue } = require('./lib/mail');

const seconds = Number(process.argv[2] ?? 30);
const rounds = Number(process.argv[3] ?? 2);
const dbName = process.env.BENCH_DB_NAME || 'ca_bench_idle';

function cpuOfPid(pid) {
  try {
    const fields = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100;
  } catch {
    return null;
  }
}

/** The bench database's backends, by pid, with their application name, as pg_stat_activity sees them. */
async function backends(admin) {
  const { rows } = await admin.query(
    `SELECT pid, coalesce(nullif(application_name, ''), '?') AS app, client_port FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()`,
    [dbName],
  );
  return rows;
}

function profArgs(which) {
  const dir = require('node:path').join(infra.ROOT, '.bench', 'profiles');
  fs.mkdirSync(dir, { recursive: true });
  return ['--cpu-prof', '--cpu-prof-dir', dir, '--cpu-prof-name', `idle-${which}-${Date.now()}.cpuprofile`];
}

let ids;

async function tableWrites(db) {
  const { rows } = await db.query(
    'SELECT relname, n_tup_ins AS i, n_tup_upd AS u, n_tup_hot_upd AS h, n_tup_del AS d, seq_scan AS s, idx_scan AS x FROM pg_stat_user_tables',
  );
  return new Map(rows.map((r) => [r.relname, r]));
}

async function resets(stack, seed, seconds) {
  const { closedLoop } = require('./lib/load');
  const { spawn } = require('node:child_process');
  const db = await infra.pgConnect(dbName);
  try {
    const raws = await seed.seedFreshTokens(
      db,
      ids,
      ids.map((_, k) => k),
    );
    let k = 0;
    const next = () => ({ token: raws[k++], password: seed.NEW_PASSWORD, passwordConfirmation: seed.NEW_PASSWORD });
    const path = '/api/v1/customers/password/reset';
    await closedLoop({ baseUrl: stack.baseUrl, path, connections: 8, durationS: 2, next }); // warm-up
    await infra.sleep(1500);
    const t0 = await tableWrites(db);
    const main0 = stack.api.mainThreadCpuMs();
    const pg0 = infra.postgresCpuMs(dbName);
    // BENCH_IDLE_PERF=1: perf record of the API's main thread and of the database's backends meanwhile.
    const perfs = [];
    if (process.env.BENCH_IDLE_PERF === '1') {
      const pgPids = (await db.query('SELECT pid FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()', [dbName])).rows.map(
        (r) => r.pid,
      );
      for (const [what, target] of [
        ['api', ['-t', String(stack.api.pid)]],
        ['pg', ['-p', pgPids.join(',')]],
      ]) {
        perfs.push(
          spawn('perf', ['record', '-F', '999', '-g', '-o', `.bench/perf-${what}.data`, ...target], { stdio: 'ignore', cwd: infra.ROOT }),
        );
      }
      await infra.sleep(1000);
    }
    const tracer =
      process.env.BENCH_IDLE_STRACE === '1'
        ? spawn('strace', ['-c', '-p', String(stack.api.pid)], { stdio: ['ignore', 'ignore', 'pipe'] })
        : null;
    let traced = '';
    tracer?.stderr.on('data', (c) => (traced += c));
    if (tracer) await infra.sleep(500);
    const res = await closedLoop({ baseUrl: stack.baseUrl, path, connections: 8, durationS: seconds, next });
    for (const perf of perfs) {
      perf.kill('SIGINT');
      await new Promise((r) => perf.once('exit', r));
    }
    if (tracer) {
      tracer.kill('SIGINT');
      await new Promise((r) => tracer.once('exit', r));
    }
    const n = Math.max(1, res.requests);
    const mainMs = (stack.api.mainThreadCpuMs() - main0) / n;
    const pgMs = (infra.postgresCpuMs(dbName) - pg0) / n;
    await infra.sleep(1500); // the counters' pending flush
    const t1 = await tableWrites(db);
    console.log(
      `resets: ${res.requests} in ${seconds} s (non2xx ${res.non2xx}); API main thread ${mainMs.toFixed(2)} ms, PostgreSQL ${pgMs.toFixed(2)} ms per reset`,
    );
    for (const [name, a] of t1) {
      const b = t0.get(name);
      const d = (f) => (Number(a[f]) - Number(b?.[f] ?? 0)) / n;
      if (['i', 'u', 'd', 's', 'x'].some((f) => d(f) !== 0))
        console.log(
          `  ${name}: per reset ins ${d('i').toFixed(2)} upd ${d('u').toFixed(2)} (hot ${d('h').toFixed(2)}) del ${d('d').toFixed(2)} seq scans ${d('s').toFixed(2)} idx scans ${d('x').toFixed(2)}`,
        );
    }
    if (tracer) console.log(`strace -c of the API's main thread over the ${res.requests} resets:\n${traced}`);
  } finally {
    await db.end();
  }
}

async function main() {
  infra.snapshotDist();
  const seed = require('./lib/seed'); // reads the snapshot
  const sink = await require('./lib/sink').startSink();
  const stack = await infra.createStack({
    name: 'idle',
    dbName,
    smtpPort: sink.port,
    env: { RESET_TOKEN_FAILURES_PER_IP: '1000000' },
    // BENCH_IDLE_PROF=1: --cpu-prof on both processes, into .bench/profiles/idle-{api,worker}-*.cpuprofile
    ...(process.env.BENCH_IDLE_PROF === '1' ? { apiNodeArgs: profArgs('api'), workerNodeArgs: profArgs('worker') } : {}),
    ...(process.env.BENCH_IDLE_PERF === '1' ? { apiNodeArgs: ['--perf-basic-prof'] } : {}),
    prepare: async (db) => {
      await seed.setBenchSettings(db);
      ids = (await seed.seedCustomers(db, 3000)).ids;
    },
  });
  const queue = mailQueue(stack);
  await queue.pause();
  const admin = new Client({ connectionString: `${infra.PG_BASE_URL}/postgres` });
  await admin.connect();
  try {
    await infra.sleep(5000); // settled: the first settings read, the first sweeps
    for (let r = 1; r <= rounds; r++) {
      const list = await backends(admin);
      const before = new Map(list.map((b) => [b.pid, cpuOfPid(b.pid)]));
      const api0 = stack.api.cpuMs();
      const apiMain0 = stack.api.mainThreadCpuMs();
      const wrk0 = stack.worker.cpuMs();
      const wrkMain0 = stack.worker.mainThreadCpuMs();
      const pg0 = infra.postgresCpuMs(dbName);
      const redis0 = await infra.redisCpuMs();
      const stats0 = (
        await admin.query('SELECT xact_commit, tup_returned, tup_updated, sessions FROM pg_stat_database WHERE datname = $1', [dbName])
      ).rows[0];
      await infra.sleep(seconds * 1000);
      const per = (d) => (d / seconds).toFixed(2);
      const stats1 = (
        await admin.query('SELECT xact_commit, tup_returned, tup_updated, sessions FROM pg_stat_database WHERE datname = $1', [dbName])
      ).rows[0];
      const byApp = {};
      for (const b of list) {
        const after = cpuOfPid(b.pid);
        if (after == null || before.get(b.pid) == null) continue;
        byApp[b.app] = (byApp[b.app] ?? 0) + after - before.get(b.pid);
      }
      console.log(
        `idle round ${r} (${seconds} s), CPU ms per second: API ${per(stack.api.cpuMs() - api0)} (main ${per(stack.api.mainThreadCpuMs() - apiMain0)}), ` +
          `worker ${per(stack.worker.cpuMs() - wrk0)} (main ${per(stack.worker.mainThreadCpuMs() - wrkMain0)}), ` +
          `PostgreSQL ${dbName} backends ${per(infra.postgresCpuMs(dbName) - pg0)} (${Object.entries(byApp)
            .map(([app, ms]) => `${app} ${per(ms)}`)
            .join(
              ', ',
            )}; ${list.length} backends), Redis server ${per((await infra.redisCpuMs()) - redis0)} (shared: other clients count); ` +
          `commits/s ${per(stats1.xact_commit - stats0.xact_commit)}, rows returned/s ${per(stats1.tup_returned - stats0.tup_returned)}, new sessions ${stats1.sessions - stats0.sessions}`,
      );
    }
    if (process.env.BENCH_IDLE_RESETS) await resets(stack, seed, Number(process.env.BENCH_IDLE_RESETS));
  } finally {
    await admin.end();
    await queue.resume().catch(() => undefined);
    await queue.close();
    await stack.stop();
    await sink.stop();
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
