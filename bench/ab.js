'use strict';
// A/B of two builds of the API on the forgot route, same database and Redis, alternating rounds
// (A B, B A, A B ...), so that a noisy shared machine hits both alike. Used to measure what one change buys.
//   node bench/ab.js --a .bench/dist-base --b dist [--rounds 4] [--duration 8] [--warmup 3] [--connections 32]
//                    [--env-a KEY=VALUE ...] [--env-b KEY=VALUE ...]   (per-side environment, e.g. LOG_LEVEL=info)
// The same build on both sides with different settings: --a dist --b dist --env-a LOG_LEVEL=warn --env-b LOG_LEVEL=info
// BENCH_DB_NAME names the scratch database (default ca_bench_ab), as in run.js, when several run at once.
const fs = require('node:fs');
const path = require('node:path');
const { parseArgs } = require('node:util');
const infra = require('./lib/infra');

const { values: a } = parseArgs({
  options: {
    a: { type: 'string' },
    b: { type: 'string' },
    rounds: { type: 'string', default: '4' },
    duration: { type: 'string', default: '8' },
    warmup: { type: 'string', default: '3' },
    connections: { type: 'string', default: '32' },
    'env-a': { type: 'string', multiple: true, default: [] },
    'env-b': { type: 'string', multiple: true, default: [] },
  },
});
const sideEnv = (list) => Object.fromEntries(list.map((kv) => [kv.slice(0, kv.indexOf('=')), kv.slice(kv.indexOf('=') + 1)]));
const envOf = { A: sideEnv(a['env-a']), B: sideEnv(a['env-b']) };
if (!a.a || !a.b) {
  console.error('usage: node bench/ab.js --a DIST_DIR --b DIST_DIR [--rounds 4] [--duration 8]');
  process.exit(2);
}
// Each side runs from its own copy (dist/ may be rebuilt by others meanwhile).
const sides = { A: path.join(infra.ROOT, '.bench', 'ab-A'), B: path.join(infra.ROOT, '.bench', 'ab-B') };
for (const [k, src] of [
  ['A', a.a],
  ['B', a.b],
]) {
  fs.rmSync(sides[k], { recursive: true, force: true });
  fs.cpSync(path.resolve(src), sides[k], { recursive: true });
}
if (!fs.existsSync(infra.DIST)) infra.snapshotDist();
const seed = require('./lib/seed');
const { median, forgotLoop } = require('./lib/load');
const { Queue } = require('bullmq');

(async () => {
  const redis = await infra.claimRedisDb();
  const dbName = process.env.BENCH_DB_NAME || 'ca_bench_ab'; // another name when benches run side by side
  const env = await infra.benchServiceEnv({
    dbName,
    redisUrl: redis.url,
    LOG_LEVEL: process.env.LOG_LEVEL || 'warn', // as in run.js
  });
  const procs = [];
  try {
    await infra.dropDatabase(dbName);
    await infra.runNode([path.join(sides.A, 'apps/cli/main.js'), 'migrate'], env);
    const db = await infra.pgConnect(dbName);
    await seed.setBenchSettings(db);
    await seed.seedCustomers(db, 100_000);
    await db.end();
    const urls = {};
    for (const k of ['A', 'B']) {
      const port = await infra.freePort();
      const p = infra.startProcess(`api-${k}`, [path.join(sides[k], 'apps/api/main.js')], { ...env, ...envOf[k], PORT: String(port) });
      procs.push(p);
      urls[k] = `http://127.0.0.1:${port}`;
      await infra.waitUntil(`api ${k} ready`, p, 60000, () => infra.httpOk(`${urls[k]}/health/live`));
    }
    const u = new URL(redis.url);
    // BULLMQ_PREFIX of libs/redis; refs older than it used BullMQ's default prefix, 'bull'.
    const queue = new Queue('mail', {
      prefix: process.env.AB_BULLMQ_PREFIX ?? '{customer-access}',
      connection: { host: u.hostname, port: Number(u.port), db: Number(u.pathname.slice(1)) },
    });
    const res = { A: [], B: [] };
    for (let r = 1; r <= Number(a.rounds); r++) {
      // The order swaps every round (A B, B A, ...): the side that goes first in a round is not always the same.
      for (const k of r % 2 === 1 ? ['A', 'B'] : ['B', 'A']) {
        const loop = { baseUrl: urls[k], customers: 100_000, connections: Number(a.connections) };
        await forgotLoop({ ...loop, seed: `${r}w`, durationS: Number(a.warmup) });
        const cpu0 = procs[k === 'A' ? 0 : 1].cpuMs();
        const rcpu0 = await infra.redisCpuMs();
        const out = await forgotLoop({ ...loop, seed: String(r), durationS: Number(a.duration) });
        out.apiCpuUs = ((procs[k === 'A' ? 0 : 1].cpuMs() - cpu0) * 1000) / out.requests;
        out.redisCpuUs = (((await infra.redisCpuMs()) - rcpu0) * 1000) / out.requests;
        console.error(
          `round ${r} ${k}: ${out.rps} req/s p50 ${out.p50} p99 ${out.p99} non2xx ${out.non2xx}; CPU per request: API ${out.apiCpuUs.toFixed(0)} us, Redis ${out.redisCpuUs.toFixed(0)} us`,
        );
        res[k].push(out);
        await queue.drain(true);
      }
    }
    await queue.close();
    for (const k of ['A', 'B']) {
      console.log(
        `${k} (${k === 'A' ? a.a : a.b}${Object.keys(envOf[k]).length ? ` ${JSON.stringify(envOf[k])}` : ''}): median ${median(res[k].map((x) => x.rps))} req/s, p50 ${median(res[k].map((x) => x.p50))}, p99 ${median(res[k].map((x) => x.p99))}; CPU per request: API ${median(res[k].map((x) => x.apiCpuUs)).toFixed(0)} us, Redis ${median(res[k].map((x) => x.redisCpuUs)).toFixed(0)} us`,
      );
    }
    const ratio = median(res.B.map((x) => x.rps)) / median(res.A.map((x) => x.rps));
    const perRound = res.B.map((x, i) => (x.rps / res.A[i].rps).toFixed(2));
    console.log(
      `B/A req/s x${ratio.toFixed(3)} (per round ${perRound.join(' ')}); median of the per-round ratios x${median(perRound.map(Number)).toFixed(2)}`,
    );
    const cpuPerRound = res.B.map((x, i) => x.apiCpuUs / res.A[i].apiCpuUs);
    console.log(
      `B/A API CPU per request: median of the per-round ratios x${median(cpuPerRound).toFixed(2)} (per round ${cpuPerRound.map((x) => x.toFixed(2)).join(' ')})`,
    );
  } finally {
    for (const p of procs) await p.stop();
    await redis.release();
    await infra.dropDatabase(dbName).catch(() => undefined);
  }
})().catch((e) => {
  console.error(e);
  process.exit(1);
});
