'use strict';
// Several API processes (builds and/or settings) side by side on the forgot route, same database and
// Redis, each with its stdout appended to a file of its own (as section 9 has it: a log collector in
// another process), rounds rotating the order, so that a shared machine's noise hits every side alike.
// Prints each side's API CPU per request (the whole process, and its main thread) per round and the
// medians, with each side's per-round ratios to the first side: CPU per request, not req/s, is what a
// loaded machine leaves readable (docs/performance.md, Method).
//   node bench/ab-sides.js warn=.bench/build-base:LOG_LEVEL=warn info=.bench/build-base:LOG_LEVEL=info \
//        new=.bench/build-new:LOG_LEVEL=info [--rounds 6] [--duration 8] [--warmup 3] [--connections 32] [--prof new]
// A side is NAME=DIST_DIR[:KEY=VALUE...]; --prof NAME (repeatable) runs that side with --cpu-prof
// into .bench/profiles/ (read with bench/profile-summary.js). BENCH_DB_NAME names the scratch database
// (default ca_bench_sides).
const fs = require('node:fs');
const path = require('node:path');
const { parseArgs } = require('node:util');
const infra = require('./lib/infra');

const { values: opt, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    rounds: { type: 'string', default: '6' },
    duration: { type: 'string', default: '8' },
    warmup: { type: 'string', default: '3' },
    connections: { type: 'string', default: '32' },
    prof: { type: 'string', multiple: true, default: [] },
  },
});
const sides = positionals.map((spec) => {
  const [name, rest] = [spec.slice(0, spec.indexOf('=')), spec.slice(spec.indexOf('=') + 1)];
  const [dist, ...kvs] = rest.split(':');
  const env = Object.fromEntries(kvs.map((kv) => [kv.slice(0, kv.indexOf('=')), kv.slice(kv.indexOf('=') + 1)]));
  return { name, src: dist, env, runs: [] };
});
if (sides.length < 2 || sides.some((s) => !s.name || !s.src)) {
  console.error('usage: node bench/ab-sides.js NAME=DIST[:KEY=VALUE...] NAME=DIST[:KEY=VALUE...] ... [--rounds 6]');
  process.exit(2);
}
// The seed reads the build's password hasher from .bench/dist (BENCH_DIST_SRC, or dist/).
if (!fs.existsSync(infra.DIST)) infra.snapshotDist();
const seed = require('./lib/seed');
const { median, forgotLoop } = require('./lib/load');
const { Queue } = require('bullmq');

(async () => {
  const redis = await infra.claimRedisDb();
  const dbName = process.env.BENCH_DB_NAME || 'ca_bench_sides';
  const env = await infra.benchServiceEnv({ dbName, redisUrl: redis.url });
  const profDir = path.join(infra.ROOT, '.bench', 'profiles');
  try {
    // Each side runs from its own copy (the source may be rebuilt meanwhile).
    for (const side of sides) {
      side.dir = path.join(infra.ROOT, '.bench', `sides-${side.name}`);
      fs.rmSync(side.dir, { recursive: true, force: true });
      fs.cpSync(path.resolve(side.src), side.dir, { recursive: true });
    }
    await infra.dropDatabase(dbName);
    await infra.runNode([path.join(sides[0].dir, 'apps/cli/main.js'), 'migrate'], env);
    const db = await infra.pgConnect(dbName);
    await seed.setBenchSettings(db);
    await seed.seedCustomers(db, 100_000);
    await db.end();
    for (const side of sides) {
      const port = await infra.freePort();
      side.logFile = path.join(infra.ROOT, '.bench', `sides-${side.name}.log`);
      fs.rmSync(side.logFile, { force: true });
      const nodeArgs = opt.prof.includes(side.name)
        ? ['--cpu-prof', '--cpu-prof-dir', profDir, '--cpu-prof-name', `sides-${side.name}-${Date.now()}.cpuprofile`]
        : [];
      side.proc = infra.startProcess(
        `api-${side.name}`,
        [path.join(side.dir, 'apps/api/main.js')],
        { ...env, ...side.env, PORT: String(port) },
        {
          nodeArgs,
          stdoutFile: side.logFile,
        },
      );
      side.url = `http://127.0.0.1:${port}`;
      await infra.waitUntil(`api ${side.name} ready`, side.proc, 60000, () => infra.httpOk(`${side.url}/health/live`));
    }
    const u = new URL(redis.url);
    const queue = new Queue('mail', {
      prefix: '{customer-access}',
      connection: { host: u.hostname, port: Number(u.port), db: Number(u.pathname.slice(1)) },
    });
    for (let r = 1; r <= Number(opt.rounds); r++) {
      const shift = (r - 1) % sides.length;
      const order = [...sides.slice(shift), ...sides.slice(0, shift)];
      if (r % 2 === 0) order.reverse();
      for (const side of order) {
        const loop = { baseUrl: side.url, customers: 100_000, connections: Number(opt.connections) };
        await forgotLoop({ ...loop, seed: `${side.name}${r}w`, durationS: Number(opt.warmup) });
        const cpu0 = side.proc.cpuMs();
        const main0 = side.proc.mainThreadCpuMs();
        const out = await forgotLoop({ ...loop, seed: `${side.name}${r}`, durationS: Number(opt.duration) });
        out.cpuUs = ((side.proc.cpuMs() - cpu0) * 1000) / out.requests;
        out.mainUs = ((side.proc.mainThreadCpuMs() - main0) * 1000) / out.requests;
        console.error(
          `round ${r} ${side.name}: ${out.rps} req/s p99 ${out.p99} non2xx ${out.non2xx}; API CPU ${out.cpuUs.toFixed(1)} µs/request (main thread ${out.mainUs.toFixed(1)})`,
        );
        side.runs.push(out);
        await queue.drain(true);
      }
    }
    await queue.close();
    const first = sides[0];
    for (const side of sides) {
      const cpuRatios = side.runs.map((x, i) => x.cpuUs / first.runs[i].cpuUs);
      const rpsRatios = side.runs.map((x, i) => x.rps / first.runs[i].rps);
      console.log(
        `${side.name} (${side.src} ${JSON.stringify(side.env)}): median ${median(side.runs.map((x) => x.rps))} req/s; API CPU ${median(side.runs.map((x) => x.cpuUs)).toFixed(1)} µs/request, main thread ${median(side.runs.map((x) => x.mainUs)).toFixed(1)}` +
          (side === first
            ? ''
            : `; vs ${first.name}: CPU x${median(cpuRatios).toFixed(3)} (rounds ${cpuRatios.map((x) => x.toFixed(2)).join(' ')}), req/s x${median(rpsRatios).toFixed(3)} (rounds ${rpsRatios.map((x) => x.toFixed(2)).join(' ')})`),
      );
    }
  } finally {
    for (const side of sides) {
      if (side.proc) await side.proc.stop();
      if (side.logFile) fs.rmSync(side.logFile, { force: true });
    }
    await redis.release();
    await infra.dropDatabase(dbName).catch(() => undefined);
  }
})().catch((e) => {
  console.error(e);
  process.exit(1);
});
