'use strict';
/*
 * npm run bench  (= npm run build && node bench/run.js [options])
 *
 * Starts the built API and worker against local PostgreSQL and Redis and an SMTP sink of its own,
 * seeds with COPY, sets the reset caps so high that every throttle check runs but none rejects,
 * and measures (medians over --rounds rounds, after a warm-up):
 *   1. forgot: req/s, p50/p99 at 32 connections, beside the peers of ../shared/bench-peers
 *      (hand-written floor and better-auth, same run, alternating A B C)
 *   2. request-to-email at a fixed 200 req/s; worker emails/s at saturation, beside raw pooled
 *      nodemailer sending the same email to the same sink (bench/lib/nodemailer-anchor.js)
 *   3. reset-confirm throughput vs a raw argon2id loop with the same parameters
 *   3b. the hosted reset page (GET createPassword with a valid token) vs the floor's req/s
 *   4. scale: forgot / request-to-email / reset-confirm latency, 10k vs 1M customers and tokens
 *   5. memory: peak RSS of the API and the worker
 *   7. stores: the forgot route with 50 store views configured vs 1 (req/s, PostgreSQL transactions per request),
 *      and the worker's emails/s at saturation with 50 vs 1, rounds alternating (bench/lib/stores.js)
 *   6. admin: TOTP verification (in process and the HTTP step), p50 and CPU; GET /admin/customers with
 *      an API key vs an admin JWT (bench/lib/admin.js)
 *   8. abuse: forgot with resetChallenge=always (pre-solved challenges) vs off, reset-confirm with the
 *      breached-password check (warm cache) vs off (bench/lib/abuse.js)
 *   9. access log: forgot at LOG_LEVEL=info vs warn, fresh pairs of API processes taking turns in short slots (bench/lib/access-log.js)
 *  10. webhooks: delivery throughput vs raw pooled undici, Force Sign-In -> receipt at 200/s, forgot
 *      with 2 endpoints subscribed to everything vs none (bench/lib/webhooks.js)
 * Prints a table and writes the figures to docs/benchmark-results.md (between the bench:results markers).
 *
 * `npm run bench -- retention [options]` runs bench/retention.js instead (the purge at 2M rows).
 * `npm run bench -- capacity [options]` runs bench/capacity.js instead (bytes per row and per Redis key at 1M customers).
 *
 * Options (or BENCH_* environment variables, see `opt` below):
 *   --rounds 3 --duration 10 --warmup 5 --connections 32
 *   --sections forgot,email,reset,page,scale,admin,stores,abuse,accesslog,webhooks --no-peers (section 1 without the peers)
 *   --scale-big 1000000 --scale-small 10000  --email-rate 200 --saturation-jobs 3000
 *   --cpu-prof api|worker|both (profiles into .bench/profiles/)   --no-write (keep docs/benchmark-results.md)
 * Everything listens on and talks to 127.0.0.1; every load is bounded in time.
 */
// `npm run bench -- retention`: the retention purge at scale, a bench of its own (bench/retention.js).
if (process.argv[2] === 'retention') {
  require('./retention');
  return;
}
// `npm run bench -- import`: customers:import beside a bare COPY, and its peak RSS (bench/import.js).
if (process.argv[2] === 'import') {
  require('./import');
  return;
}
// `npm run bench -- legacy-signin`: sign-in with a Magento sha256 or bcrypt hash (and its upgrade) beside argon2id (bench/legacy-signin.js).
if (process.argv[2] === 'legacy-signin') {
  require('./legacy-signin');
  return;
}
// `npm run bench -- capacity`: PostgreSQL bytes per row and Redis bytes per key/job (bench/capacity.js).
if (process.argv[2] === 'capacity') {
  require('./capacity');
  return;
}
const { execFileSync, spawn } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const readline = require('node:readline');
const { parseArgs } = require('node:util');
const infra = require('./lib/infra');

infra.snapshotDist(); // before anything loads code from the build
const seed = require('./lib/seed');
const { startSink } = require('./lib/sink');
const { percentile, median, closedLoop, openLoop, forgotLoop, FORGOT_PATH: FORGOT } = require('./lib/load');
const adminBench = require('./lib/admin');
const { sectionStores: storesBench } = require('./lib/stores');
const abuseBench = require('./lib/abuse');
const { sectionAccessLog: accessLogBench } = require('./lib/access-log');
const webhooksBench = require('./lib/webhooks');
const { mailQueue, saturation: workerSaturation } = require('./lib/mail');

const { values: cli } = parseArgs({
  options: {
    rounds: { type: 'string' },
    duration: { type: 'string' },
    warmup: { type: 'string' },
    connections: { type: 'string' },
    sections: { type: 'string' },
    'no-peers': { type: 'boolean' },
    'scale-big': { type: 'string' },
    'scale-small': { type: 'string' },
    'email-rate': { type: 'string' },
    'saturation-jobs': { type: 'string' },
    'cpu-prof': { type: 'string' },
    'no-write': { type: 'boolean' },
  },
});
const env = process.env;
const num = (cliValue, envName, dflt) => Number(cliValue ?? env[envName] ?? dflt);
const opt = {
  rounds: num(cli.rounds, 'BENCH_ROUNDS', 3),
  duration: num(cli.duration, 'BENCH_DURATION', 10),
  warmup: num(cli.warmup, 'BENCH_WARMUP', 5),
  connections: num(cli.connections, 'BENCH_CONNECTIONS', 32),
  sections: (cli.sections ?? env.BENCH_SECTIONS ?? 'forgot,email,reset,page,scale,admin,stores,abuse,accesslog,webhooks')
    .split(',')
    .map((s) => s.trim()),
  peers: !(cli['no-peers'] || env.BENCH_PEERS === '0'),
  scaleBig: num(cli['scale-big'], 'BENCH_SCALE_BIG', 1_000_000),
  scaleSmall: num(cli['scale-small'], 'BENCH_SCALE_SMALL', 10_000),
  emailRate: num(cli['email-rate'], 'BENCH_EMAIL_RATE', 200),
  emailDuration: num(undefined, 'BENCH_EMAIL_DURATION', 10),
  saturationJobs: num(cli['saturation-jobs'], 'BENCH_SATURATION_JOBS', 3000),
  resetConnections: num(undefined, 'BENCH_RESET_CONNECTIONS', 8),
  argonConcurrency: num(undefined, 'BENCH_ARGON2_CONCURRENCY', 4),
  // Below the worker's and argon2's saturation, so that latency shows the work, not a queue.
  scaleRate: num(undefined, 'BENCH_SCALE_RATE', 50),
  scaleResetRate: num(undefined, 'BENCH_SCALE_RESET_RATE', 10),
  scaleDuration: num(undefined, 'BENCH_SCALE_DURATION', 5),
  cpuProf: cli['cpu-prof'] ?? env.BENCH_CPU_PROF ?? '',
  write: !(cli['no-write'] || env.BENCH_WRITE === '0'),
  workerConcurrency: env.BENCH_WORKER_CONCURRENCY,
  webhookEvents: num(undefined, 'BENCH_WEBHOOK_EVENTS', 3000),
  webhookRate: num(undefined, 'BENCH_WEBHOOK_RATE', 200),
  webhookThroughputOnly: env.BENCH_WEBHOOK_PARTS === 'throughput',
  webhookForgotOnly: env.BENCH_WEBHOOK_PARTS === 'forgot',
  webhookCpuOnly: env.BENCH_WEBHOOK_PARTS === 'cpu',
  webhookCpuRate: num(undefined, 'BENCH_WEBHOOK_CPU_RATE', 200),
  // Section 10c's ratio is a median of per-round ratios that moved ±5 % round to round in quiet runs: two more rounds than the rest.
  webhookForgotRounds: num(undefined, 'BENCH_WEBHOOK_FORGOT_ROUNDS', num(cli.rounds, 'BENCH_ROUNDS', 3) + 2),
};
// The worker's SMTP pool size, from the build being measured (the anchor gets as many connections).
const { SMTP_POOL_MAX_CONNECTIONS: SMTP_POOL_CONNECTIONS } = require(
  path.join(infra.DIST, 'libs/notification/src/mail-delivery.module.js'),
);
const MAIN_CUSTOMERS = 100_000; // = the peers' N_CUSTOMERS: their load walks customer0..99999
const RESET = '/api/v1/customers/password/reset';
const has = (s) => opt.sections.includes(s);
const log = (...a) => console.error(`[bench ${new Date().toISOString().slice(11, 19)}]`, ...a);
const round1 = (x) => (x === null || x === undefined ? null : Math.round(x * 10) / 10);
const ratio = (a, b) => (a === null || b === null || !b ? null : Math.round((a / b) * 100) / 100);
const BENCH_DIR = path.join(infra.ROOT, '.bench');
const t0All = Date.now();

const results = { startedAt: new Date().toISOString(), options: opt, machine: machineInfo(), sections: {} };

function machineInfo() {
  const cpu = os.cpus()[0]?.model ?? '?';
  let pg = '?';
  let redis = '?';
  try {
    pg = execFileSync('psql', ['-At', '-h', '127.0.0.1', '-U', 'postgres', '-c', 'SHOW server_version'], { encoding: 'utf8' }).trim();
  } catch {
    /* psql missing: report '?' */
  }
  try {
    redis = /redis_version:(\S+)/.exec(execFileSync('redis-cli', ['-h', '127.0.0.1', 'info', 'server'], { encoding: 'utf8' }))?.[1] ?? '?';
  } catch {
    /* redis-cli missing: report '?' */
  }
  return {
    nproc: os.availableParallelism?.() ?? os.cpus().length,
    cpu,
    memGiB: Math.round(os.totalmem() / 2 ** 30),
    node: process.version,
    postgresql: pg,
    redis,
  };
}

function nodeArgsFor(which) {
  if (!opt.cpuProf || !(opt.cpuProf === which || opt.cpuProf === 'both')) return [];
  const dir = path.join(BENCH_DIR, 'profiles');
  fs.mkdirSync(dir, { recursive: true });
  return ['--cpu-prof', '--cpu-prof-dir', dir, '--cpu-prof-name', `${which}-${Date.now()}.cpuprofile`];
}

// ---------------------------------------------------------------- 1. forgot, beside the peers
function preparePeers() {
  const src = env.BENCH_PEERS_DIR || path.resolve(infra.ROOT, '..', 'shared', 'bench-peers');
  if (!fs.existsSync(path.join(src, 'run-peers.sh'))) return null;
  const dst = path.join(BENCH_DIR, 'peers');
  fs.mkdirSync(dst, { recursive: true });
  // Copy the harness (read-only in shared/) to a scratch folder; its code is never committed here.
  for (const entry of fs.readdirSync(src)) {
    if (entry === 'node_modules' || entry === '.run') continue;
    fs.cpSync(path.join(src, entry), path.join(dst, entry), { recursive: true, force: true });
  }
  execFileSync('chmod', ['-R', 'u+w', dst]); // shared/ may be read-only; the harness writes .run/ beside itself
  const lock = fs.readFileSync(path.join(dst, 'package-lock.json'), 'utf8');
  const stamp = path.join(dst, 'node_modules', '.bench-lock');
  if (!fs.existsSync(stamp) || fs.readFileSync(stamp, 'utf8') !== lock) {
    log('peers: npm ci in', dst);
    execFileSync('npm', ['ci', '--no-audit', '--no-fund'], { cwd: dst, stdio: ['ignore', 'ignore', 'inherit'] });
    fs.writeFileSync(stamp, lock);
  }
  return dst;
}

function runPeers(dir, stack, only = null) {
  const args = [
    'run-peers.sh',
    ...(only ? ['--only', only] : []),
    '--rounds',
    String(opt.rounds),
    '--duration',
    String(opt.duration),
    '--warmup',
    String(opt.warmup),
    '--connections',
    String(opt.connections),
    '--extra-url',
    stack.baseUrl,
    '--extra-path',
    FORGOT,
    '--extra-name',
    'customer-access',
  ];
  log('peers: bash', args.join(' '));
  return new Promise((resolve, reject) => {
    const child = spawn('bash', args, { cwd: dir, stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (d) => {
      out += d;
      process.stderr.write(d);
    });
    child.on('exit', (code) => {
      const runs = fs.readdirSync(path.join(dir, '.run')).sort();
      const last = path.join(dir, '.run', runs[runs.length - 1]);
      const file = path.join(last, 'summary.json');
      if (!fs.existsSync(file)) return reject(new Error(`run-peers.sh exited ${code} without a summary`));
      resolve({ code, dir: last, summary: JSON.parse(fs.readFileSync(file, 'utf8')), table: out.trim() });
    });
  });
}

async function forgotOwnRounds(stack) {
  const runs = [];
  for (let r = 1; r <= opt.rounds; r++) {
    const loop = { baseUrl: stack.baseUrl, customers: MAIN_CUSTOMERS, connections: opt.connections };
    if (opt.warmup > 0) await forgotLoop({ ...loop, seed: `${r}w`, durationS: opt.warmup });
    const res = await forgotLoop({ ...loop, seed: String(r), durationS: opt.duration });
    log(`forgot round ${r}: ${res.rps} req/s p50 ${res.p50} p99 ${res.p99} non2xx ${res.non2xx}`);
    runs.push(res);
  }
  return {
    'customer-access': {
      rounds: runs.length,
      rps: median(runs.map((r) => r.rps)),
      p50: median(runs.map((r) => r.p50)),
      p97_5: median(runs.map((r) => r.p97_5)),
      p99: median(runs.map((r) => r.p99)),
      non2xx: runs.reduce((s, r) => s + r.non2xx + r.errors + r.timeouts, 0),
      rpsPerRound: runs.map((r) => r.rps),
      p99PerRound: runs.map((r) => r.p99),
    },
  };
}

async function sectionForgot(stack) {
  const queue = mailQueue(stack);
  // Like the floor (which only enqueues), the worker is paused while the route is measured, so
  // that 2 cores serve the requests only; the jobs are dropped afterwards (section 2 measures mail).
  await queue.pause();
  let rows;
  let peers = null;
  try {
    const dir = opt.peers ? preparePeers() : null;
    if (opt.peers && !dir) log('peers: ../shared/bench-peers not found, measuring customer-access alone');
    if (dir) {
      // floor-redis (issue 25): the enqueue-only floor, which does what the route does and nothing else.
      peers = await runPeers(dir, stack, 'better-auth,floor,floor-redis,extra');
      rows = peers.summary.rows;
    } else {
      rows = await forgotOwnRounds(stack);
    }
  } finally {
    await queue.drain(true);
    await queue.resume();
    await queue.close();
  }
  const ours = rows['customer-access'];
  const floor = rows.floor;
  const ba = rows['better-auth'];
  const floorRedis = rows['floor-redis'];
  // Targets alternate within each round: the ratio is taken per round, then its median (the
  // machine's speed swings between rounds more than between the targets of one round).
  const perRound = floorRedis && ours ? ours.rpsPerRound.map((x, i) => x / floorRedis.rpsPerRound[i]) : null;
  results.sections.forgot = {
    rows,
    ratios: floor && ours ? { rpsVsFloor: ratio(ours.rps, floor.rps), p99VsFloor: ratio(ours.p99, floor.p99) } : null,
    ratiosFloorRedis: perRound
      ? {
          rpsMedianOfRounds: Math.round(median(perRound) * 100) / 100,
          rpsPerRound: perRound.map((x) => Math.round(x * 100) / 100),
          p99: ratio(ours.p99, floorRedis.p99),
        }
      : null,
    ratiosBetterAuth: ba && ours ? { rps: ratio(ours.rps, ba.rps), p99: ratio(ours.p99, ba.p99) } : null,
    peersProblems: peers?.summary.problems ?? [],
    peersVersions: peers?.summary.versions ?? null,
  };
}

// ---------------------------------------------------------------- 2. request to email
function mailLatencies(records, arrivals) {
  const lat = [];
  let missing = 0;
  for (const r of records) {
    if (!(r.status >= 200 && r.status < 300)) continue;
    const at = arrivals.get(r.meta.email)?.shift();
    if (at === undefined) missing++;
    else lat.push(at - r.sentAt);
  }
  return { p50: percentile(lat, 50), p99: percentile(lat, 99), max: lat.length ? Math.max(...lat) : null, delivered: lat.length, missing };
}

/** All-known emails (every request makes an email) from `start`, distinct within the run. */
function knownEmails(start, count) {
  let k = 0;
  return () => {
    const i = (start + k++) % count;
    return { body: { email: seed.customerEmail(i) }, meta: { email: seed.customerEmail(i) } };
  };
}

async function requestToEmail(stack, sink, { rate, durationS, start, customers }) {
  sink.reset();
  const res = await openLoop({ baseUrl: stack.baseUrl, path: FORGOT, rate, durationS, next: knownEmails(start, customers) });
  await sink.waitFor(res.ok, 30000);
  const mail = mailLatencies(res.records, sink.arrivals);
  return {
    sent: res.sent,
    ok: res.ok,
    httpP50: res.p50,
    httpP99: res.p99,
    mailP50: mail.p50,
    mailP99: mail.p99,
    mailMax: mail.max,
    delivered: mail.delivered,
    missing: mail.missing,
  };
}

/** Section 2's saturation: known customers from `start`, no store view named (bench/lib/mail.js). */
function saturation(stack, sink, queue, jobs, start) {
  return workerSaturation(stack, sink, queue, jobs, (k) => ({ email: seed.customerEmail((start + k) % MAIN_CUSTOMERS) }));
}

/**
 * The anchor of the worker's target: raw pooled nodemailer sending the same email to the same sink
 * (bench/lib/nodemailer-anchor.js), as many messages with as many in flight as the saturation run,
 * and the same pool size as the service's transport. Timed the same way: from the go to the last
 * arrival at the sink.
 */
async function nodemailerAnchor(stack, sink, jobs) {
  const inFlight = Number(stack.env.WORKER_CONCURRENCY ?? 16);
  const child = spawn(
    process.execPath,
    [path.join(__dirname, 'lib/nodemailer-anchor.js'), String(sink.port), String(jobs), String(inFlight), String(SMTP_POOL_CONNECTIONS)],
    { stdio: ['pipe', 'pipe', 'inherit'], env: { ...process.env, BENCH_DIST_DIR: infra.DIST } },
  );
  const lines = readline.createInterface({ input: child.stdout })[Symbol.asyncIterator]();
  const nextLine = async () => {
    const { value, done } = await lines.next();
    if (done) throw new Error(`nodemailer anchor exited (${child.exitCode ?? 'no code yet'})`);
    return value;
  };
  if ((await nextLine()) !== 'ready') throw new Error('nodemailer anchor did not start');
  await sink.settle(300, 5000);
  sink.reset();
  const t0 = Date.now();
  child.stdin.write('go\n');
  const own = JSON.parse(await nextLine());
  await sink.waitFor(jobs, 120000);
  child.stdin.end();
  let last = t0;
  for (const list of sink.arrivals.values()) for (const at of list) last = Math.max(last, at);
  return {
    delivered: sink.count,
    emailsPerSecond: sink.count / ((last - t0) / 1000),
    cpuMsPerEmail: own.cpuMsPerEmail,
    htmlBytes: own.htmlBytes,
  };
}

async function sectionEmail(stack, sink) {
  const queue = mailQueue(stack);
  const runs = [];
  const sats = [];
  const anchors = [];
  try {
    // warm-up: 2 s at the rate
    await requestToEmail(stack, sink, { rate: opt.emailRate, durationS: 2, start: 90_000, customers: MAIN_CUSTOMERS });
    await sink.settle(1000, 20000);
    for (let r = 1; r <= opt.rounds; r++) {
      const res = await requestToEmail(stack, sink, {
        rate: opt.emailRate,
        durationS: opt.emailDuration,
        start: (r - 1) * 7000,
        customers: MAIN_CUSTOMERS,
      });
      log(
        `request-to-email round ${r}: mail p50 ${round1(res.mailP50)} p99 ${round1(res.mailP99)} ms (delivered ${res.delivered}/${res.ok}), http p50 ${round1(res.httpP50)} p99 ${round1(res.httpP99)}`,
      );
      runs.push(res);
      await sink.settle(1000, 20000);
      const sat = await saturation(stack, sink, queue, opt.saturationJobs, 30_000 + (r - 1) * opt.saturationJobs);
      log(
        `worker saturation round ${r}: ${round1(sat.emailsPerSecond)} emails/s (${sat.delivered}/${sat.jobs} in ${round1(sat.seconds)} s), worker CPU ${sat.workerCpuMsPerEmail.toFixed(2)} ms/email`,
      );
      sats.push(sat);
      await sink.settle(1000, 20000);
      const anchor = await nodemailerAnchor(stack, sink, opt.saturationJobs);
      log(
        `nodemailer anchor round ${r}: ${round1(anchor.emailsPerSecond)} emails/s (${anchor.delivered}/${opt.saturationJobs}), its CPU ${anchor.cpuMsPerEmail.toFixed(2)} ms/email -> worker x${ratio(sat.emailsPerSecond, anchor.emailsPerSecond)}`,
      );
      anchors.push(anchor);
      await sink.settle(1000, 20000);
    }
  } finally {
    await queue.close();
  }
  results.sections.email = {
    rate: opt.emailRate,
    durationS: opt.emailDuration,
    mailP50: median(runs.map((r) => r.mailP50)),
    mailP99: median(runs.map((r) => r.mailP99)),
    httpP50: median(runs.map((r) => r.httpP50)),
    httpP99: median(runs.map((r) => r.httpP99)),
    missing: runs.reduce((s, r) => s + r.missing + (r.sent - r.ok), 0),
    mailP99PerRound: runs.map((r) => round1(r.mailP99)),
    workerEmailsPerSecond: median(sats.map((s) => s.emailsPerSecond)),
    workerEmailsPerSecondPerRound: sats.map((s) => round1(s.emailsPerSecond)),
    workerCpuMsPerEmail: median(sats.map((s) => s.workerCpuMsPerEmail)),
    postgresCpuMsPerEmail: median(sats.map((s) => s.postgresCpuMsPerEmail)),
    redisCpuMsPerEmail: median(sats.map((s) => s.redisCpuMsPerEmail)),
    anchorEmailsPerSecond: median(anchors.map((a) => a.emailsPerSecond)),
    anchorEmailsPerSecondPerRound: anchors.map((a) => round1(a.emailsPerSecond)),
    anchorCpuMsPerEmail: median(anchors.map((a) => a.cpuMsPerEmail)),
    workerVsAnchor: median(sats.map((s, i) => s.emailsPerSecond / anchors[i].emailsPerSecond)),
    workerVsAnchorPerRound: sats.map((s, i) => ratio(s.emailsPerSecond, anchors[i].emailsPerSecond)),
    emailHtmlBytes: anchors[0]?.htmlBytes ?? null,
    saturationJobs: opt.saturationJobs,
    workerConcurrency: Number(stack.env.WORKER_CONCURRENCY ?? 16),
  };
}

// ---------------------------------------------------------------- 3. reset-confirm vs raw argon2id
function rawArgon2(seconds) {
  const out = execFileSync(process.execPath, [path.join(__dirname, 'lib/argon2-loop.js'), String(opt.argonConcurrency), String(seconds)], {
    encoding: 'utf8',
  });
  return JSON.parse(out.trim().split('\n').pop());
}

function resetBodies(raws) {
  let k = 0;
  return () => {
    const token = raws[k++ % raws.length]; // never wraps: more tokens are seeded than can be used
    return { token, password: seed.NEW_PASSWORD, passwordConfirmation: seed.NEW_PASSWORD };
  };
}

/** The database's commits and rows (pg_stat_database), to divide by a section's requests. */
async function dbCounters(db, dbName) {
  // This connection seeded the tokens: its own pending counts go out at the end of this statement,
  // not up to 10 s later, so that they do not land in the round.
  await db.query('SELECT pg_stat_force_next_flush()');
  const { rows } = await db.query(
    `SELECT xact_commit + xact_rollback AS commits, tup_inserted + tup_updated + tup_deleted AS written, tup_returned + tup_fetched AS read
       FROM pg_stat_database WHERE datname = $1`,
    [dbName],
  );
  return { commits: Number(rows[0].commits), written: Number(rows[0].written), read: Number(rows[0].read) };
}

async function sectionReset(stack, ids) {
  const queue = mailQueue(stack);
  await queue.pause(); // the API alone: no password-changed emails competing for the 2 cores
  const runs = [];
  const perRound = Number(env.BENCH_RESET_TOKENS ?? 2500);
  let nextCustomer = 40_000;
  const db = await infra.pgConnect(stack.dbName);
  try {
    {
      // warm-up
      const raws = await seed.seedFreshTokens(
        db,
        ids,
        Array.from({ length: 500 }, (_, k) => nextCustomer + k),
      );
      nextCustomer += 500;
      await closedLoop({ baseUrl: stack.baseUrl, path: RESET, connections: opt.resetConnections, durationS: 3, next: resetBodies(raws) });
    }
    for (let r = 1; r <= opt.rounds; r++) {
      const raw = rawArgon2(Math.min(8, opt.duration));
      const raws = await seed.seedFreshTokens(
        db,
        ids,
        Array.from({ length: perRound }, (_, k) => nextCustomer + k),
      );
      nextCustomer += perRound;
      const cpu0 = stack.api.cpuMs();
      const main0 = stack.api.mainThreadCpuMs();
      const worker0 = stack.worker.cpuMs();
      // Per process, so that a backend exiting during the round does not take its CPU out of the sum.
      const pgMeter = infra.postgresCpuMeter();
      const pgDbMeter = infra.postgresCpuMeter(stack.dbName);
      const redis0 = await infra.redisCpuMs();
      const stats0 = await dbCounters(db, stack.dbName);
      const res = await closedLoop({
        baseUrl: stack.baseUrl,
        path: RESET,
        connections: opt.resetConnections,
        durationS: opt.duration,
        next: resetBodies(raws),
      });
      const apiCpuMs = (stack.api.cpuMs() - cpu0) / Math.max(1, res.requests);
      const apiMainThreadCpuMs = (stack.api.mainThreadCpuMs() - main0) / Math.max(1, res.requests);
      // The worker relays the confirmation emails' outbox rows (its sweep), beside its background polls.
      const workerCpuMs = (stack.worker.cpuMs() - worker0) / Math.max(1, res.requests);
      const postgresCpuMs = pgMeter.stop() / Math.max(1, res.requests);
      const postgresBackendCpuMs = pgDbMeter.stop() / Math.max(1, res.requests);
      const redisCpuMs = ((await infra.redisCpuMs()) - redis0) / Math.max(1, res.requests);
      // Counts, not timings: what the bench database did per reset (pending counters are flushed
      // within a second, so a round's edge blurs by that much).
      const stats1 = await dbCounters(db, stack.dbName);
      const perReset = (k) => (stats1[k] - stats0[k]) / Math.max(1, res.requests);
      const okRps = (res.requests - res.non2xx) / opt.duration;
      if (res.requests > perRound) log(`WARNING: reset round ${r} used ${res.requests} tokens > ${perRound} seeded (BENCH_RESET_TOKENS)`);
      log(
        `reset-confirm round ${r}: ${round1(okRps)} req/s (p50 ${res.p50} p99 ${res.p99}, non2xx ${res.non2xx}) vs raw argon2id ${round1(raw.rate)}/s -> x${ratio(okRps, raw.rate)}; API CPU ${apiCpuMs.toFixed(1)} ms/request (main thread ${apiMainThreadCpuMs.toFixed(1)}, other threads ${(apiCpuMs - apiMainThreadCpuMs).toFixed(1)}; raw argon2 ${(1000 * raw.cpuPerHashS).toFixed(1)} ms/hash); PostgreSQL ${postgresBackendCpuMs.toFixed(2)} ms/request, commits ${perReset('commits').toFixed(2)}, rows written ${perReset('written').toFixed(1)}, rows read ${perReset('read').toFixed(1)} per request; Redis ${redisCpuMs.toFixed(2)} ms/request; worker ${workerCpuMs.toFixed(2)} ms/request`,
      );
      runs.push({
        rps: okRps,
        p50: res.p50,
        p99: res.p99,
        non2xx: res.non2xx + res.errors,
        raw: raw.rate,
        ratio: okRps / raw.rate,
        apiCpuMs,
        apiMainThreadCpuMs,
        postgresCpuMs,
        postgresBackendCpuMs,
        redisCpuMs,
        workerCpuMs,
        argonCpuMs: 1000 * raw.cpuPerHashS,
      });
    }
  } finally {
    await db.end();
    await queue.drain(true);
    await queue.resume();
    await queue.close();
  }
  results.sections.reset = {
    connections: opt.resetConnections,
    argonConcurrency: opt.argonConcurrency,
    rps: median(runs.map((r) => r.rps)),
    p50: median(runs.map((r) => r.p50)),
    p99: median(runs.map((r) => r.p99)),
    rawRate: median(runs.map((r) => r.raw)),
    ratio: median(runs.map((r) => r.ratio)),
    ratioPerRound: runs.map((r) => ratio(r.rps, r.raw)),
    apiCpuMsPerRequest: median(runs.map((r) => r.apiCpuMs)),
    apiMainThreadCpuMsPerRequest: median(runs.map((r) => r.apiMainThreadCpuMs)),
    postgresCpuMsPerRequest: median(runs.map((r) => r.postgresCpuMs)),
    postgresBackendCpuMsPerRequest: median(runs.map((r) => r.postgresBackendCpuMs)),
    redisCpuMsPerRequest: median(runs.map((r) => r.redisCpuMs)),
    workerCpuMsPerRequest: median(runs.map((r) => r.workerCpuMs)),
    argon2CpuMsPerHash: median(runs.map((r) => r.argonCpuMs)),
    non2xx: runs.reduce((s, r) => s + r.non2xx, 0),
  };
}

// ---------------------------------------------------------------- 3b. the hosted reset page
const CREATE_PASSWORD = '/customer/account/createPassword';

/**
 * The page a customer's emailed link ends on: GET /customer/account/createPassword with the token in
 * its cookie (the link's first hop moved it there), which looks the token up behind the wrong-token
 * limiter and renders the localized form. A handful of valid tokens, reused (a GET does not spend
 * one), 32 connections like the forgot route, whose floor figure of the same run is the anchor.
 */
async function sectionPage(stack, ids) {
  const db = await infra.pgConnect(stack.dbName);
  let raws;
  try {
    raws = await seed.seedFreshTokens(
      db,
      ids,
      Array.from({ length: 64 }, (_, k) => 80_000 + k),
    );
  } finally {
    await db.end();
  }
  let k = 0;
  const loop = (durationS) =>
    closedLoop({
      baseUrl: stack.baseUrl,
      path: CREATE_PASSWORD,
      method: 'GET',
      connections: opt.connections,
      durationS,
      nextHeaders: () => ({ cookie: `reset_token=${raws[k++ % raws.length]}` }),
    });
  const runs = [];
  for (let r = 1; r <= opt.rounds; r++) {
    if (opt.warmup > 0) await loop(opt.warmup);
    const cpu0 = stack.api.cpuMs();
    const res = await loop(opt.duration);
    const apiCpuMs = (stack.api.cpuMs() - cpu0) / Math.max(1, res.requests);
    log(
      `hosted page round ${r}: ${res.rps} req/s p50 ${res.p50} p99 ${res.p99} non2xx ${res.non2xx} (${JSON.stringify(res.statusCodes)}), API CPU ${apiCpuMs.toFixed(2)} ms/request`,
    );
    runs.push({ ...res, apiCpuMs });
  }
  const floor = results.sections.forgot?.rows?.floor?.rps ?? null;
  const rps = median(runs.map((r) => r.rps));
  results.sections.page = {
    path: CREATE_PASSWORD,
    connections: opt.connections,
    rps,
    p50: median(runs.map((r) => r.p50)),
    p99: median(runs.map((r) => r.p99)),
    non2xx: runs.reduce((sum, r) => sum + r.non2xx + r.errors + r.timeouts, 0),
    rpsPerRound: runs.map((r) => r.rps),
    apiCpuMsPerRequest: median(runs.map((r) => r.apiCpuMs)),
    floorRps: floor,
    ratioVsFloor: ratio(rps, floor),
  };
}

// ---------------------------------------------------------------- 4. scale: 10k vs 1M
async function scaleStack(size, sink) {
  let ids;
  const t = Date.now();
  const stack = await infra.createStack({
    name: `s${size}`,
    dbName: `ca_bench_s${size}`,
    smtpPort: sink.port,
    env: opt.workerConcurrency ? { WORKER_CONCURRENCY: opt.workerConcurrency } : {},
    prepare: async (db) => {
      await seed.setBenchSettings(db);
      const s = await seed.seedCustomers(db, size, { tokens: true });
      ids = s.ids;
      log(
        `seeded ${size} customers + ${size} tokens: COPY customers ${s.ms.customers} ms, tokens ${s.ms.tokens} ms, VACUUM ANALYZE ${s.ms.vacuum} ms`,
      );
    },
  });
  return { stack, ids, setupMs: Date.now() - t };
}

async function scaleRound(s, sink, r, size) {
  const perRound = Math.round(opt.scaleRate * opt.scaleDuration);
  const forgot = await requestToEmail(s.stack, sink, {
    rate: opt.scaleRate,
    durationS: opt.scaleDuration,
    start: (r * 3 + 1) * perRound,
    customers: size,
  });
  await sink.settle(800, 20000);
  const db = await infra.pgConnect(s.stack.dbName);
  let raws;
  try {
    const n = Math.round(opt.scaleResetRate * opt.scaleDuration) + 20;
    const start = (r * 3 + 2) * perRound;
    raws = await seed.seedFreshTokens(
      db,
      s.ids,
      Array.from({ length: n }, (_, k) => (start + k) % size),
    );
  } finally {
    await db.end();
  }
  const next = resetBodies(raws);
  const reset = await openLoop({
    baseUrl: s.stack.baseUrl,
    path: RESET,
    rate: opt.scaleResetRate,
    durationS: opt.scaleDuration,
    next: () => ({ body: next(), meta: {} }),
  });
  await sink.settle(800, 20000);
  return { forgot, reset: { p50: reset.p50, p99: reset.p99, ok: reset.ok, sent: reset.sent } };
}

async function sectionScale(sink) {
  const sizes = [opt.scaleSmall, opt.scaleBig];
  const stacks = [];
  try {
    for (const size of sizes) {
      const s = await scaleStack(size, sink);
      log(`scale stack ${size} ready in ${Math.round(s.setupMs / 1000)} s`);
      stacks.push(s);
    }
    const per = sizes.map(() => []);
    // warm-up each, then alternate A B A B ...
    for (let i = 0; i < sizes.length; i++) await scaleRound(stacks[i], sink, 0, sizes[i]);
    for (let r = 1; r <= opt.rounds; r++) {
      for (let i = 0; i < sizes.length; i++) {
        const res = await scaleRound(stacks[i], sink, r, sizes[i]);
        log(
          `scale ${sizes[i]} round ${r}: forgot http p50 ${round1(res.forgot.httpP50)} p99 ${round1(res.forgot.httpP99)}, mail p50 ${round1(res.forgot.mailP50)} p99 ${round1(res.forgot.mailP99)}, reset p50 ${round1(res.reset.p50)} p99 ${round1(res.reset.p99)} (${res.reset.ok}/${res.reset.sent})`,
        );
        per[i].push(res);
      }
    }
    const summarize = (runs) => ({
      forgotHttpP50: median(runs.map((r) => r.forgot.httpP50)),
      forgotHttpP99: median(runs.map((r) => r.forgot.httpP99)),
      mailP50: median(runs.map((r) => r.forgot.mailP50)),
      mailP99: median(runs.map((r) => r.forgot.mailP99)),
      resetP50: median(runs.map((r) => r.reset.p50)),
      resetP99: median(runs.map((r) => r.reset.p99)),
      failed: runs.reduce((s, r) => s + (r.forgot.sent - r.forgot.ok) + r.forgot.missing + (r.reset.sent - r.reset.ok), 0),
    });
    const small = summarize(per[0]);
    const big = summarize(per[1]);
    const ratios = Object.fromEntries(
      Object.keys(small)
        .filter((k) => k !== 'failed')
        .map((k) => [k, ratio(big[k], small[k])]),
    );
    results.sections.scale = {
      sizes,
      rate: opt.scaleRate,
      resetRate: opt.scaleResetRate,
      durationS: opt.scaleDuration,
      small,
      big,
      ratios,
    };
  } finally {
    for (const s of stacks) await s.stack.stop();
  }
}

// ---------------------------------------------------------------- 6. admin: TOTP, API key vs JWT
/**
 * One customer by id: a cheap admin route, so that what the credential costs (a JWT's signature, or
 * the key's hash lookup and its creator's role) is a visible share of each request.
 */
const adminRoute = (ids) => `/api/v1/admin/customers/${ids[0]}`;

async function sectionAdmin(stack, ids) {
  const ADMIN_ROUTE = adminRoute(ids);
  const db = await infra.pgConnect(stack.dbName);
  let admins;
  try {
    admins = await adminBench.seedAdmins(stack, db, Number(env.BENCH_ADMINS ?? 200));
  } finally {
    await db.end();
  }
  const inProcess = adminBench.verifyInProcess(stack.env, 20_000);
  log(
    `TOTP verify in process: p50 ${inProcess.p50Us.toFixed(1)} µs, p99 ${inProcess.p99Us.toFixed(1)} µs, CPU ${inProcess.cpuUsPerVerification.toFixed(1)} µs/verification`,
  );
  const http = await adminBench.totpOverHttp(stack, admins);
  log(
    `TOTP step over HTTP (${http.steps} admins): p50 ${http.p50Ms.toFixed(2)} ms, p99 ${http.p99Ms.toFixed(2)} ms, API CPU ${http.apiCpuMsPerStep.toFixed(2)} ms/step`,
  );

  const key = await adminBench.createApiKey(stack, http.jwt);
  const loop = (bearer, durationS) =>
    closedLoop({
      baseUrl: stack.baseUrl,
      path: ADMIN_ROUTE,
      method: 'GET',
      connections: opt.connections,
      durationS,
      nextHeaders: () => ({ authorization: `Bearer ${bearer}`, accept: 'application/json' }),
    });
  const rounds = { jwt: [], key: [] };
  for (let r = 1; r <= opt.rounds; r++) {
    // Alternating, the order swapped each round, so that neither always runs on a warmer process.
    for (const [name, bearer] of r % 2
      ? [
          ['jwt', http.jwt],
          ['key', key],
        ]
      : [
          ['key', key],
          ['jwt', http.jwt],
        ]) {
      if (opt.warmup > 0) await loop(bearer, opt.warmup);
      const cpu0 = stack.api.cpuMs();
      const res = await loop(bearer, opt.duration);
      const apiCpuMs = (stack.api.cpuMs() - cpu0) / Math.max(1, res.requests);
      if (res.non2xx || res.errors)
        log(`WARNING: ${name} round ${r}: non2xx ${res.non2xx} errors ${res.errors} ${JSON.stringify(res.statusCodes)}`);
      log(
        `GET /admin/customers with ${name} round ${r}: ${res.rps} req/s p50 ${res.p50} p99 ${res.p99}, API CPU ${apiCpuMs.toFixed(2)} ms/request`,
      );
      rounds[name].push({ ...res, apiCpuMs });
    }
  }
  const summary = (runs) => ({
    rps: median(runs.map((r) => r.rps)),
    p50: median(runs.map((r) => r.p50)),
    p99: median(runs.map((r) => r.p99)),
    apiCpuMsPerRequest: median(runs.map((r) => r.apiCpuMs)),
    rpsPerRound: runs.map((r) => r.rps),
    non2xx: runs.reduce((sum, r) => sum + r.non2xx + r.errors + r.timeouts, 0),
  });
  const jwt = summary(rounds.jwt);
  const apiKey = summary(rounds.key);
  results.sections.admin = {
    totpInProcess: inProcess,
    totpHttp: { steps: http.steps, p50Ms: http.p50Ms, p99Ms: http.p99Ms, apiCpuMsPerStep: http.apiCpuMsPerStep },
    route: ADMIN_ROUTE,
    connections: opt.connections,
    jwt,
    apiKey,
    keyVsJwtRps: ratio(apiKey.rps, jwt.rps),
    keyVsJwtCpu: ratio(apiKey.apiCpuMsPerRequest, jwt.apiCpuMsPerRequest),
    keyVsJwtP50: ratio(apiKey.p50, jwt.p50),
    keyVsJwtRpsPerRound: rounds.key.map((k, i) => ratio(k.rps, rounds.jwt[i].rps)),
  };
}

// ---------------------------------------------------------------- 7. stores
async function sectionStores(stack, sink) {
  const queue = mailQueue(stack);
  // As in section 1: the worker paused, so that the cores serve the route only (the worker rounds resume it).
  await queue.pause();
  try {
    results.sections.stores = await storesBench(
      stack,
      {
        rounds: opt.rounds,
        duration: opt.duration,
        warmup: opt.warmup,
        connections: opt.connections,
        customers: MAIN_CUSTOMERS,
        sink,
        queue,
        saturationJobs: opt.saturationJobs,
      },
      log,
    );
  } finally {
    await queue.drain(true);
    await queue.resume();
    await queue.close();
  }
}

// ---------------------------------------------------------------- output
const fmt = (x, d = 1) => (x === null || x === undefined ? '-' : Number(x).toFixed(d));
const verdict = (ok) => (ok === null ? 'n/a' : ok ? 'MET' : 'NOT MET');

function renderTable() {
  const R = results.sections;
  const L = [];
  const m = results.machine;
  L.push(
    `customer-access bench, ${results.startedAt}: nproc ${m.nproc}, ${m.cpu}, ${m.memGiB} GiB, node ${m.node}, PostgreSQL ${m.postgresql}, Redis ${m.redis}`,
  );
  L.push(`medians of ${opt.rounds} rounds after a warm-up; latencies in ms`);
  if (R.forgot) {
    L.push('');
    L.push(
      `1. forgot route: ${opt.connections} connections, ${opt.duration} s, warm-up ${opt.warmup} s, 50 % known / 50 % unknown emails, all distinct`,
    );
    L.push(
      `   ${'target'.padEnd(18)}${'req/s'.padStart(9)}${'p50'.padStart(7)}${'p97.5'.padStart(8)}${'p99'.padStart(7)}${'non2xx'.padStart(8)}   req/s per round`,
    );
    for (const name of ['floor', 'floor-redis', 'better-auth', 'customer-access']) {
      const r = R.forgot.rows[name];
      if (!r) continue;
      L.push(
        `   ${name.padEnd(18)}${fmt(r.rps, 0).padStart(9)}${String(r.p50).padStart(7)}${String(r.p97_5).padStart(8)}${String(r.p99).padStart(7)}${String(r.non2xx).padStart(8)}   ${r.rpsPerRound.map((x) => x.toFixed(0)).join(' ')}`,
      );
    }
    if (R.forgot.ratios) {
      const { rpsVsFloor, p99VsFloor } = R.forgot.ratios;
      L.push(
        `   vs floor: req/s x${rpsVsFloor} (target >= 1.0: ${verdict(rpsVsFloor >= 1)}), p99 x${p99VsFloor} (target <= 1.0: ${verdict(p99VsFloor <= 1)})`,
      );
    }
    if (R.forgot.ratiosFloorRedis) {
      const f = R.forgot.ratiosFloorRedis;
      L.push(
        `   vs floor-redis (enqueue only): req/s x${fmt(f.rpsMedianOfRounds, 2)} median of the per-round ratios ${f.rpsPerRound.join(' ')} (target >= 0.6: ${verdict(f.rpsMedianOfRounds >= 0.6)}), p99 x${fmt(f.p99, 2)} (target <= 2.0: ${verdict(f.p99 <= 2)})`,
      );
    }
    if (R.forgot.ratiosBetterAuth)
      L.push(`   vs better-auth: req/s x${R.forgot.ratiosBetterAuth.rps}, p99 x${R.forgot.ratiosBetterAuth.p99}`);
    if (R.forgot.peersProblems?.length) L.push(`   peers harness checks: ${R.forgot.peersProblems.join('; ')}`);
  }
  if (R.email) {
    const e = R.email;
    L.push('');
    L.push(`2. request to email at ${e.rate} req/s for ${e.durationS} s (every email known, so every request makes an email)`);
    L.push(
      `   request -> message at the SMTP sink: p50 ${fmt(e.mailP50)}  p99 ${fmt(e.mailP99)} (target p99 < 1000: ${verdict(e.mailP99 !== null && e.mailP99 < 1000 && e.missing === 0)}); per round p99 ${e.mailP99PerRound.join(' ')}`,
    );
    L.push(`   HTTP answer: p50 ${fmt(e.httpP50)}  p99 ${fmt(e.httpP99)}; lost or failed: ${e.missing}`);
    L.push(
      `   worker at saturation (${e.saturationJobs} queued jobs, concurrency ${e.workerConcurrency}): ${fmt(e.workerEmailsPerSecond, 0)} emails/s; per round ${e.workerEmailsPerSecondPerRound.join(' ')}; worker CPU ${fmt(e.workerCpuMsPerEmail, 2)} ms/email (PostgreSQL ${fmt(e.postgresCpuMsPerEmail, 2)}, Redis ${fmt(e.redisCpuMsPerEmail, 2)})`,
    );
    L.push(
      `   raw pooled nodemailer, same email (${fmt(e.emailHtmlBytes / 1024)} KB HTML + text), same sink, ${e.workerConcurrency} in flight: ${fmt(e.anchorEmailsPerSecond, 0)} emails/s; per round ${e.anchorEmailsPerSecondPerRound.join(' ')}; its CPU ${fmt(e.anchorCpuMsPerEmail, 2)} ms/email`,
    );
    L.push(
      `   worker vs raw nodemailer: x${fmt(e.workerVsAnchor, 2)} (target >= 0.6: ${verdict(e.workerVsAnchor >= 0.6)}); per round ${e.workerVsAnchorPerRound.join(' ')}`,
    );
  }
  if (R.reset) {
    const r = R.reset;
    L.push('');
    L.push(`3. reset-confirm, fresh token per request, ${r.connections} connections, ${opt.duration} s`);
    L.push(
      `   ${fmt(r.rps)} req/s (p50 ${r.p50}, p99 ${r.p99}, non2xx ${r.non2xx}) vs raw argon2id ${fmt(r.rawRate)} hashes/s (${r.argonConcurrency} in flight)`,
    );
    L.push(`   ratio x${fmt(r.ratio, 2)} (target >= 0.85: ${verdict(r.ratio >= 0.85)}); per round ${r.ratioPerRound.join(' ')}`);
    L.push(
      `   CPU: API process ${fmt(r.apiCpuMsPerRequest)} ms per request (argon2 included) vs ${fmt(r.argon2CpuMsPerHash)} ms per raw hash`,
    );
    if (r.postgresCpuMsPerRequest !== undefined) {
      // Where a reset's CPU goes beside the hash itself, on the same 2 cores (issue 25): the API's own
      // work (HTTP, validation, the limiter, the statements' round trips), PostgreSQL's, Redis's and
      // the worker's (its sweep relays the confirmation emails).
      // Redis is read server-wide (other clients' work included on a shared machine); PostgreSQL both
      // server-wide and from the bench database's backends, the figure the shares use. The ceiling is what the ratio to raw argon2id could reach on CPU-bound
      // cores if the hash were the only work a reset did.
      const other = r.apiCpuMsPerRequest - r.argon2CpuMsPerHash;
      // The bench database's own backends when measured (other clients of a shared server excluded).
      const pg = r.postgresBackendCpuMsPerRequest ?? r.postgresCpuMsPerRequest;
      // The worker's CPU over the round (its background polls, and the sweep that relays the
      // confirmation emails' outbox rows) counts too: it runs on the same cores.
      const worker = r.workerCpuMsPerRequest ?? 0;
      const total = r.apiCpuMsPerRequest + pg + r.redisCpuMsPerRequest + worker;
      const share = (x) => `${fmt((100 * x) / total, 0)} %`;
      L.push(
        `   CPU per reset ${fmt(total, 1)} ms: argon2id ${fmt(r.argon2CpuMsPerHash, 1)} ms (${share(r.argon2CpuMsPerHash)}), API besides the hash ${fmt(other, 1)} ms (${share(other)}), PostgreSQL backends of the bench database ${fmt(pg, 2)} ms (${share(pg)}; the whole server ${fmt(r.postgresCpuMsPerRequest, 2)} ms), Redis ${fmt(r.redisCpuMsPerRequest, 2)} ms (${share(r.redisCpuMsPerRequest)}, the whole server), the worker ${fmt(worker, 2)} ms (${share(worker)}); argon2id's share = the ratio's ceiling on busy cores: x${fmt(r.argon2CpuMsPerHash / total, 2)}`,
      );
      if (r.apiMainThreadCpuMsPerRequest !== undefined) {
        // The API process by thread: its main thread (JavaScript: HTTP, validation, the limiter, the
        // drivers' round trips, GC pauses) and the rest (libuv's pool, where the hash runs, and V8's
        // helper threads), beside the raw loop's CPU per hash: the rest minus the raw hash is what
        // argon2 costs more inside the API (cores shared with PostgreSQL, Redis and the main thread).
        const main = r.apiMainThreadCpuMsPerRequest;
        const threads = r.apiCpuMsPerRequest - main;
        L.push(
          `   API by thread: main thread ${fmt(main, 2)} ms per reset, other threads (argon2's pool, V8's helpers) ${fmt(threads, 2)} ms vs the raw loop's ${fmt(r.argon2CpuMsPerHash, 2)} ms per hash (${threads >= r.argon2CpuMsPerHash ? '+' : ''}${fmt(threads - r.argon2CpuMsPerHash, 2)} ms)`,
        );
      }
    }
  }
  if (R.page) {
    const p = R.page;
    L.push('');
    L.push(`3b. hosted reset page: GET ${p.path} with a valid token (cookie), ${p.connections} connections, ${opt.duration} s`);
    L.push(
      `   ${fmt(p.rps, 0)} req/s (p50 ${p.p50}, p99 ${p.p99}, non2xx ${p.non2xx}); per round ${p.rpsPerRound.map((x) => x.toFixed(0)).join(' ')}; API CPU ${fmt(p.apiCpuMsPerRequest, 2)} ms/request`,
    );
    L.push(
      `   vs the floor's forgot req/s (${fmt(p.floorRps, 0)}): x${fmt(p.ratioVsFloor, 2)} (target >= 0.7: ${verdict(p.ratioVsFloor === null ? null : p.ratioVsFloor >= 0.7)})`,
    );
  }
  if (R.scale) {
    const s = R.scale;
    L.push('');
    L.push(
      `4. scale: ${s.sizes[0]} vs ${s.sizes[1]} customers (+ as many reset tokens); forgot at ${s.rate} req/s, reset-confirm at ${s.resetRate} req/s, ${s.durationS} s each`,
    );
    L.push(`   ${''.padEnd(22)}${String(s.sizes[0]).padStart(10)}${String(s.sizes[1]).padStart(10)}${'ratio'.padStart(8)}`);
    const names = {
      forgotHttpP50: 'forgot HTTP p50',
      forgotHttpP99: 'forgot HTTP p99',
      mailP50: 'request->email p50',
      mailP99: 'request->email p99',
      resetP50: 'reset-confirm p50',
      resetP99: 'reset-confirm p99',
    };
    for (const [k, label] of Object.entries(names))
      L.push(`   ${label.padEnd(22)}${fmt(s.small[k]).padStart(10)}${fmt(s.big[k]).padStart(10)}${fmt(s.ratios[k], 2).padStart(8)}`);
    const keyRatios = [s.ratios.forgotHttpP50, s.ratios.mailP50, s.ratios.resetP50];
    L.push(
      `   p50 ratios <= 1.2: ${verdict(keyRatios.every((x) => x !== null && x <= 1.2))} (failed/missing: ${s.small.failed + s.big.failed})`,
    );
  }
  if (R.admin) {
    const a = R.admin;
    L.push('');
    L.push(`6. admin sign-in's second step, and an admin route with an API key vs a JWT`);
    L.push(
      `   TOTP verification in process (open the sealed secret, check the code; ${a.totpInProcess.n} times): p50 ${fmt(a.totpInProcess.p50Us)} µs, p99 ${fmt(a.totpInProcess.p99Us)} µs, CPU ${fmt(a.totpInProcess.cpuUsPerVerification)} µs/verification`,
    );
    L.push(
      `   POST /admin/auth/mfa/totp (${a.totpHttp.steps} admins, one code each): p50 ${fmt(a.totpHttp.p50Ms, 2)} ms, p99 ${fmt(a.totpHttp.p99Ms, 2)} ms, API CPU ${fmt(a.totpHttp.apiCpuMsPerStep, 2)} ms/step`,
    );
    L.push(`   GET ${a.route}, ${a.connections} connections, ${opt.duration} s:`);
    for (const [label, r] of [
      ['admin JWT', a.jwt],
      ['API key', a.apiKey],
    ])
      L.push(
        `   ${label.padEnd(10)}${fmt(r.rps, 0).padStart(7)} req/s  p50 ${r.p50}  p99 ${r.p99}  API CPU ${fmt(r.apiCpuMsPerRequest, 2)} ms/request  non2xx ${r.non2xx}; per round ${r.rpsPerRound.map((x) => x.toFixed(0)).join(' ')}`,
      );
    L.push(
      `   API key vs JWT: req/s x${fmt(a.keyVsJwtRps, 2)} (target >= 0.95: ${verdict(a.keyVsJwtRps >= 0.95)}), p50 x${fmt(a.keyVsJwtP50, 2)}, API CPU per request x${fmt(a.keyVsJwtCpu, 2)} (target <= 1.05: ${verdict(a.keyVsJwtCpu <= 1.05)}); req/s per round ${a.keyVsJwtRpsPerRound.join(' ')}`,
    );
  }
  if (R.stores) {
    const s = R.stores;
    L.push('');
    L.push(
      `7. stores: forgot route with ${s.views} store views configured (Store header naming one, round robin) vs 1 (no header), ${opt.connections} connections, ${opt.duration} s, rounds alternating`,
    );
    for (const [label, r] of [
      ['1 store view', s.one],
      [`${s.views} store views`, s.fifty],
    ])
      L.push(
        `   ${label.padEnd(16)}${fmt(r.rps, 0).padStart(7)} req/s  p50 ${r.p50}  p99 ${r.p99}  API CPU ${fmt(r.apiCpuMsPerRequest, 3)} ms/request  non2xx ${r.non2xx}; per round ${r.rpsPerRound.map((x) => x.toFixed(0)).join(' ')} req/s, ${(r.apiCpuMsPerRequestPerRound ?? []).join(' ')} ms`,
      );
    L.push(
      `   ${s.views} vs 1: req/s x${fmt(s.ratio, 3)} (target >= 0.95: ${verdict(s.ratio >= 0.95)}); per round ${s.ratioPerRound.join(' ')}`,
    );
    L.push(
      `   PostgreSQL transactions per forgot request, less the idle background (${s.idleTransactions} in ${s.idleSeconds} s idle): 1 view ${fmt(s.one.transactionsPerRequest, 4)}, ${s.views} views ${fmt(s.fifty.transactionsPerRequest, 4)} (per phase ${s.one.transactionsPerRound.join(' ')} / ${s.fifty.transactionsPerRound.join(' ')}; target 0: ${verdict(s.fifty.transactionsPerRequest < 0.01)})`,
    );
    if (s.worker) {
      const w = s.worker;
      for (const [label, r] of [
        ['1 store view', w.one],
        [`${s.views} store views`, w.fifty],
      ])
        L.push(
          `   worker, ${label.padEnd(15)}${fmt(r.emailsPerSecond, 1).padStart(7)} emails/s  CPU ${fmt(r.workerCpuMsPerEmail, 3)} ms/email  lost ${r.lost}; per round ${r.emailsPerSecondPerRound.join(' ')}`,
        );
      L.push(
        `   worker ${s.views} vs 1 (${w.jobs} jobs a run): emails/s x${fmt(w.ratio, 3)} (median of per-round ratios ${w.ratioPerRound.join(' ')}; target >= 0.95: ${verdict(w.ratio >= 0.95)}); CPU per email x${fmt(w.cpuRatio, 3)} (per round ${w.cpuRatioPerRound.join(' ')})`,
      );
    }
  }
  if (R.abuse) {
    const { forgot: f, reset: b } = R.abuse;
    L.push('');
    L.push(
      `8. abuse protection: forgot (${R.abuse.connections} connections) and reset-confirm (${R.abuse.resetConnections}), ${opt.duration} s, modes alternating per round`,
    );
    for (const [label, r, vsFloor] of [
      ['resetChallenge=off', f.off, f.offVsFloor],
      ['resetChallenge=always, pre-solved', f.always, f.alwaysVsFloor],
    ])
      L.push(
        `   ${label.padEnd(36)}${fmt(r.rps, 0).padStart(6)} req/s  p50 ${r.p50}  p99 ${r.p99}  API CPU ${fmt(r.apiCpuUs, 0)} µs/request  non2xx ${r.non2xx}  vs floor ${vsFloor === null ? 'n/a' : `x${fmt(vsFloor, 2)}`}; per round ${r.rpsPerRound.map((x) => x.toFixed(0)).join(' ')}`,
      );
    L.push(
      `   always vs off: x${fmt(f.alwaysVsOff, 2)} of the ratio to the floor${f.floorRps ? ` (floor ${fmt(f.floorRps, 0)} req/s)` : ''} (target >= 0.8: ${verdict(f.alwaysVsOff >= 0.8)}); per round ${f.alwaysVsOffPerRound.join(' ')}; API CPU per request x${fmt(f.cpuAlwaysVsOff, 2)}`,
    );
    for (const [label, r] of [
      ['breachedPasswordCheck=block (warm)', b.block],
      ['breachedPasswordCheck=off', b.off],
    ])
      L.push(
        `   ${label.padEnd(36)}${fmt(r.rps, 1).padStart(6)} req/s  p50 ${r.p50}  p99 ${r.p99}  API CPU ${fmt(r.apiCpuMs, 2)} ms/request  non2xx ${r.non2xx}; per round ${r.rpsPerRound.join(' ')}`,
      );
    L.push(
      `   check on vs off: req/s x${fmt(b.rpsBlockVsOff, 3)} (target within 3 %: ${verdict(b.rpsBlockVsOff >= 0.97)}), API CPU per request x${fmt(b.cpuBlockVsOff, 3)}`,
    );
  }
  if (R.accessLog) {
    const a = R.accessLog;
    L.push('');
    L.push(
      `9. access log: forgot at LOG_LEVEL=${a.infoSideLevel ?? 'info'} (info: one JSON line per request to stdout) vs warn, ${opt.connections} connections, ${a.rounds} rounds of a fresh process pair, ${a.pairs} pairs of ${a.slotS}-s slots in all, the order swapped every pair${a.infoSideLevel === 'warn' ? ' (A/A check: both sides at warn)' : ''}`,
    );
    for (const level of ['warn', 'info'])
      L.push(
        `   ${level.padEnd(6)}${fmt(a[level].rps, 0).padStart(7)} req/s  p50 ${a[level].p50}  p99 ${a[level].p99}  API CPU ${fmt(a[level].apiCpuUs, 0)} µs/request  non2xx ${a[level].non2xx}; per slot ${a[level].rpsPerRound.map((x) => x.toFixed(0)).join(' ')}`,
      );
    L.push(
      `   info vs warn: req/s x${fmt(a.infoVsWarn, 2)} median of the per-pair ratios ${a.infoVsWarnPerRound.join(' ')} (target >= 0.95: ${verdict(a.infoVsWarn >= 0.95)}); API CPU per request x${fmt(a.cpuInfoVsWarn, 2)}`,
    );
    L.push(
      `   log sink: ${a.sink}; info: ${a.accessLines} access lines for ${a.answered202} 202s the load generator counted (${a.accessLines >= a.answered202 ? 'none lost' : `${a.answered202 - a.accessLines} LOST`}), warn: ${a.accessLinesAtWarn}`,
    );
  }
  if (R.webhooks) L.push('', ...webhooksBench.render(R.webhooks, fmt, verdict));
  if (R.memory) {
    L.push('');
    L.push(`5. peak RSS (VmHWM) over sections 1-3: API ${fmt(R.memory.apiMiB, 0)} MiB, worker ${fmt(R.memory.workerMiB, 0)} MiB`);
  }
  L.push('');
  L.push('Targets (issues 11 and 25), each from this run:');
  for (const t of targets()) L.push(`   ${t.name.padEnd(52)}${t.figure.padEnd(34)}${verdict(t.met)}`);
  L.push('');
  L.push(`wall time ${Math.round((Date.now() - t0All) / 1000)} s`);
  return L.join('\n');
}

/** The issue's targets with this run's figure and verdict (null: the section did not run). */
function targets() {
  const R = results.sections;
  const t = [];
  const add = (name, figure, met) => t.push({ name, figure, met });
  if (R.forgot?.ratios) {
    add('forgot req/s >= 1.0x the floor', `x${fmt(R.forgot.ratios.rpsVsFloor, 2)}`, R.forgot.ratios.rpsVsFloor >= 1);
    add('forgot p99 <= 1.0x the floor', `x${fmt(R.forgot.ratios.p99VsFloor, 2)}`, R.forgot.ratios.p99VsFloor <= 1);
  }
  if (R.forgot?.ratiosFloorRedis) {
    const f = R.forgot.ratiosFloorRedis;
    add('forgot req/s >= 0.6x floor-redis (median of rounds)', `x${fmt(f.rpsMedianOfRounds, 2)}`, f.rpsMedianOfRounds >= 0.6);
    add('forgot p99 <= 2.0x floor-redis', `x${fmt(f.p99, 2)}`, f.p99 <= 2);
  }
  if (R.accessLog) add('forgot at LOG_LEVEL=info >= 0.95x warn', `x${fmt(R.accessLog.infoVsWarn, 2)}`, R.accessLog.infoVsWarn >= 0.95);
  if (R.email) {
    const e = R.email;
    add(
      'worker emails/s >= 0.6x raw pooled nodemailer',
      `x${fmt(e.workerVsAnchor, 2)} (CPU ${fmt(e.workerCpuMsPerEmail, 2)} ms/email)`,
      e.workerVsAnchor >= 0.6,
    );
    add(
      'request-to-email p99 < 1 s at 200 req/s',
      `${fmt(e.mailP99, 0)} ms, ${e.missing} lost`,
      e.mailP99 !== null && e.mailP99 < 1000 && e.missing === 0,
    );
  }
  if (R.reset) add('reset-confirm >= 0.85x raw argon2id', `x${fmt(R.reset.ratio, 2)}`, R.reset.ratio >= 0.85);
  if (R.page)
    add(
      'hosted createPassword GET >= 0.7x the floor req/s',
      `x${fmt(R.page.ratioVsFloor, 2)}`,
      R.page.ratioVsFloor === null ? null : R.page.ratioVsFloor >= 0.7,
    );
  if (R.admin) {
    add('admin route with an API key >= 0.95x the JWT req/s', `x${fmt(R.admin.keyVsJwtRps, 2)}`, R.admin.keyVsJwtRps >= 0.95);
    add('... and <= 1.05x its API CPU per request', `x${fmt(R.admin.keyVsJwtCpu, 2)}`, R.admin.keyVsJwtCpu <= 1.05);
  }
  if (R.stores) {
    add('forgot req/s with 50 store views >= 0.95x with 1', `x${fmt(R.stores.ratio, 3)}`, R.stores.ratio >= 0.95);
    const tx = R.stores.fifty.transactionsPerRequest;
    add('forgot with 50 store views: no PostgreSQL work', `${fmt(tx, 4)} transactions/request`, tx < 0.01);
    const w = R.stores.worker;
    if (w) add('worker emails/s with 50 store views >= 0.95x with 1', `x${fmt(w.ratio, 3)} (CPU x${fmt(w.cpuRatio, 3)})`, w.ratio >= 0.95);
  }
  if (R.abuse) {
    add(
      'forgot, resetChallenge=always >= 0.8x off (vs floor)',
      `x${fmt(R.abuse.forgot.alwaysVsOff, 2)}`,
      R.abuse.forgot.alwaysVsOff >= 0.8,
    );
    add('reset, breached check (warm) within 3 % of off', `x${fmt(R.abuse.reset.rpsBlockVsOff, 3)}`, R.abuse.reset.rpsBlockVsOff >= 0.97);
  }
  if (R.webhooks) for (const [name, figure, met] of webhooksBench.targets(R.webhooks, fmt)) add(name, figure, met);
  if (R.scale) {
    const worst = Math.max(R.scale.ratios.forgotHttpP50, R.scale.ratios.mailP50, R.scale.ratios.resetP50);
    add('1M / 10k latency ratios (p50) <= 1.2', `worst x${fmt(worst, 2)}`, worst <= 1.2);
  }
  return t;
}

function writeBenchmarkResults(table) {
  const file = path.join(infra.ROOT, 'docs', 'benchmark-results.md');
  const START = '<!-- bench:results:start -->';
  const END = '<!-- bench:results:end -->';
  const argv = process.argv.slice(2).join(' ');
  const block = [
    START,
    `Last run of \`npm run bench${argv ? ` -- ${argv}` : ''}\` (written by bench/run.js). Machine: nproc ${results.machine.nproc}, CPU ${results.machine.cpu}, ${results.machine.memGiB} GiB, Node ${results.machine.node}, PostgreSQL ${results.machine.postgresql}, Redis ${results.machine.redis}.`,
    '',
    '```text',
    table,
    '```',
    '',
    '<details><summary>raw figures (JSON)</summary>',
    '',
    '```json',
    JSON.stringify({ targets: targets(), ...results.sections }, null, 1),
    '```',
    '',
    '</details>',
    END,
  ].join('\n');
  let text = fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : '# Benchmark results\n\n';
  if (text.includes(START) && text.includes(END))
    text = text.slice(0, text.indexOf(START)) + block + text.slice(text.indexOf(END) + END.length);
  else text = `${text.trimEnd()}\n\n${block}\n`;
  fs.writeFileSync(file, text);
}

// ---------------------------------------------------------------- 8. abuse protection (issue 23)
/**
 * forgot with resetChallenge=always and pre-solved challenges vs off, and reset-confirm with the
 * breached-password check (warm range cache) vs off (bench/lib/abuse.js). The floor is section 1's of
 * this run, or the peers harness's floor alone (`--only floor`) when section 1 did not run.
 */
async function sectionAbuse(stack, ids) {
  let floorRps = results.sections.forgot?.rows?.floor?.rps ?? null;
  if (floorRps === null && opt.peers) {
    const dir = preparePeers();
    if (dir) {
      const peers = await runPeers(dir, stack, 'floor');
      floorRps = peers.summary.rows.floor?.rps ?? null;
    } else log('peers: ../shared/bench-peers not found, the challenge ratio is taken without the floor');
  }
  const queue = mailQueue(stack);
  await queue.pause();
  try {
    const forgot = await abuseBench.forgotChallenge({ stack, opt, log, floorRps });
    await queue.drain(true);
    const reset = await abuseBench.resetBreached({ stack, opt, log, ids, firstCustomer: 50_000 });
    results.sections.abuse = { connections: opt.connections, resetConnections: opt.resetConnections, forgot, reset };
  } finally {
    await queue.drain(true);
    await queue.resume();
    await queue.close();
  }
}

// ---------------------------------------------------------------- 9. the access log at info vs warn (issue 25)
async function sectionAccessLogLevels(stack) {
  const queue = mailQueue(stack);
  await queue.pause(); // as in section 1: the API alone on the 2 cores
  try {
    results.sections.accessLog = await accessLogBench({ stack, opt, log });
  } finally {
    await queue.drain(true);
    await queue.resume();
    await queue.close();
  }
}

// ---------------------------------------------------------------- 10. webhooks (issue 22)
async function sectionWebhooks(stack, ids) {
  const mail = mailQueue(stack);
  try {
    results.sections.webhooks = await webhooksBench.sectionWebhooks(
      stack,
      {
        ...opt,
        events: opt.webhookEvents,
        rate: opt.webhookRate,
        throughputOnly: opt.webhookThroughputOnly,
        forgotOnly: opt.webhookForgotOnly,
        cpuOnly: opt.webhookCpuOnly,
        cpuRate: opt.webhookCpuRate,
        forgotRounds: opt.webhookForgotRounds,
        concurrency: Number(stack.env.WEBHOOK_CONCURRENCY ?? 32),
        customers: MAIN_CUSTOMERS,
        benchDir: BENCH_DIR,
      },
      log,
      { ids, mailQueue: mail },
    );
  } finally {
    await mail.close();
  }
}

// ---------------------------------------------------------------- main
async function main() {
  fs.mkdirSync(BENCH_DIR, { recursive: true });
  log('machine', JSON.stringify(results.machine));
  log('options', JSON.stringify(opt));
  const sink = await startSink();
  let main = null;
  try {
    if (['forgot', 'email', 'reset', 'page', 'admin', 'stores', 'abuse', 'accesslog', 'webhooks'].some(has)) {
      let ids;
      const t = Date.now();
      main = await infra.createStack({
        name: 'main',
        dbName: env.BENCH_DB_NAME || 'ca_bench_main', // another name when benches run side by side
        smtpPort: sink.port,
        env: {
          // All load comes from one IP: the wrong-token budget per IP is raised so that its counter
          // still runs on every token lookup (reserve, release) but never refuses one, like the caps.
          RESET_TOKEN_FAILURES_PER_IP: '1000000',
          ...(opt.workerConcurrency ? { WORKER_CONCURRENCY: opt.workerConcurrency } : {}),
          ...(has('webhooks') ? webhooksBench.stackEnv(BENCH_DIR) : {}),
        },
        apiNodeArgs: nodeArgsFor('api'),
        workerNodeArgs: nodeArgsFor('worker'),
        prepare: async (db) => {
          await seed.setBenchSettings(db);
          const s = await seed.seedCustomers(db, MAIN_CUSTOMERS);
          ids = s.ids;
          log(`seeded ${MAIN_CUSTOMERS} customers with COPY in ${s.ms.customers} ms`);
        },
      });
      log(`main stack up in ${Math.round((Date.now() - t) / 1000)} s at ${main.baseUrl} (redis db ${main.redis.index})`);
      const rssTimer = setInterval(() => {
        main.api.readPeakRss();
        main.worker?.readPeakRss();
      }, 1000);
      try {
        if (has('forgot')) await sectionForgot(main);
        // Right after the forgot route, whose floor it is compared to, and before the reset section:
        // a minute of argon2 at full load leaves the API slower for a while (the page's CPU per request
        // was 0.39-0.61 ms in the rounds right after it, 0.38-0.42 ms in runs of the page alone).
        if (has('page')) await sectionPage(main, ids);
        if (has('email')) await sectionEmail(main, sink);
        if (has('reset')) await sectionReset(main, ids);
        if (has('admin')) await sectionAdmin(main, ids);
        if (has('stores')) await sectionStores(main, sink);
        if (has('abuse')) await sectionAbuse(main, ids);
        if (has('accesslog')) await sectionAccessLogLevels(main);
        if (has('webhooks')) await sectionWebhooks(main, ids);
      } finally {
        clearInterval(rssTimer);
        await main.stop();
      }
      results.sections.memory = { apiMiB: main.api.peakRssKb / 1024, workerMiB: main.worker.peakRssKb / 1024 };
      main = null;
    }
    if (has('scale')) await sectionScale(sink);
  } finally {
    if (main) await main.stop();
    sink.stop();
  }
  const table = renderTable();
  console.log(`\n${table}`);
  fs.mkdirSync(path.join(BENCH_DIR, 'results'), { recursive: true });
  fs.writeFileSync(path.join(BENCH_DIR, 'results', `${results.startedAt.replace(/[:.]/g, '-')}.json`), JSON.stringify(results, null, 2));
  if (opt.write) writeBenchmarkResults(table);
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
