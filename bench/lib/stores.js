'use strict';
/*
 * Section "stores" of `npm run bench` (bench/run.js): the forgot route with 1 store view configured
 * vs 50 (issue 19). Same stack, same load (bench/run.js section 1's: distinct emails, half known),
 * the worker paused as in section 1; rounds alternate A (1 view: `default`, no Store header) and B
 * (50 views in 2 websites, every request naming one of them in its Store header, round robin), so
 * that drift hits both alike. Between A and B the rows are inserted or deleted in SQL and the API
 * told on the settings channel, as an admin change would; each phase starts once the API answers a
 * request for the last view as it should (202 in B, 400 STORE_UNKNOWN in A).
 *
 * The floor of section 1 is the same for both, so "the forgot route keeps its ratio to the floor
 * within 5 % of the one-store figure" is req/s(B) / req/s(A) >= 0.95.
 *
 * "Store resolution adds no database work to the forgot route": PostgreSQL's transaction count of
 * the bench database (pg_stat_database xact_commit + xact_rollback) over each phase, beside an idle
 * window as long (the worker's outbox sweep and the settings refresh run in every window alike).
 * Backends report their counts with a lag of up to ~10 s (PGSTAT_IDLE_INTERVAL), so the figure is
 * per request over a whole phase: one statement per request would show as ~1.0, none as ~0.
 *
 * Then the worker (bench/lib/mail.js, section 2's saturation): emails/s and worker CPU per email with
 * 1 store view (jobs name none, as today) vs 50 (jobs name the 50 views round robin, each address
 * having an account in the view's website: copies of the seeded customers in bench_a and bench_b),
 * rounds alternating; the target is the median of the per-round ratios >= 0.95.
 */
const Redis = require('ioredis');
const infra = require('./infra');
const { median, forgotLoop, FORGOT_PATH: FORGOT } = require('./load');
const { alternatingRounds, perRoundRatios, medianRatio } = require('./rounds');
const { saturation } = require('./mail');
const { customerEmail } = require('./seed');

const VIEWS = 50;
const CHANNEL = 'customer-access:settings-changed'; // SETTINGS_CHANGED_CHANNEL of libs/redis
const codes = Array.from({ length: VIEWS - 1 }, (_, i) => `bench_sv_${String(i + 1).padStart(2, '0')}`);
/** Every store view of the 50-view configuration: `default` (website base) and the 49 above. */
const ALL_VIEWS = ['default', ...codes];
/** The seeded customers the worker rounds mail (section 2 uses 30,000 on, the forgot load all). */
const WORKER_FIRST_CUSTOMER = 60_000;

async function configure(stack, db, redis, many) {
  if (many) {
    await db.query(`insert into website (code, name) values ('bench_a', 'Bench A'), ('bench_b', 'Bench B') on conflict do nothing`);
    for (const [i, code] of codes.entries()) {
      await db.query(
        `insert into store_view (code, website_code, name, locale, base_url, mail_from, support_email)
         values ($1, $2, $3, $4, $5, $6, $7) on conflict do nothing`,
        [
          code,
          i % 2 ? 'bench_b' : 'bench_a',
          `Bench Store ${i + 1}`,
          i % 3 ? 'en' : 'zh-CN',
          `https://sv${i + 1}.shop.bench.test`,
          `Bench ${i + 1} <sv${i + 1}@shop.bench.test>`,
          `help${i + 1}@shop.bench.test`,
        ],
      );
    }
  } else {
    await db.query(`delete from store_view where code like 'bench\\_sv\\_%'`);
  }
  // Report this connection's transactions above at once, not within the next phase's count (they lag
  // up to 10 s otherwise; pg_stat_force_next_flush, PostgreSQL 15).
  await db.query('select pg_stat_force_next_flush()');
  await redis.publish(CHANNEL, '1');
  // In force once the last view is (or is no longer) known to the API.
  const last = codes[codes.length - 1];
  const deadline = Date.now() + 15000;
  for (;;) {
    const res = await fetch(`${stack.baseUrl}${FORGOT}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', store: last },
      body: JSON.stringify({ email: 'stores-probe@bench.test' }),
    });
    if (res.status === (many ? 202 : 400)) return;
    if (Date.now() > deadline)
      throw new Error(`stores: the API did not take the ${many ? 50 : 1} store views in force (last answer ${res.status})`);
    await infra.sleep(100);
  }
}

/** Transactions committed or rolled back in the bench database so far (see the top of this file). */
async function transactions(db, dbName) {
  const { rows } = await db.query('select xact_commit + xact_rollback as n from pg_stat_database where datname = $1', [dbName]);
  return Number(rows[0].n);
}

async function measure(stack, db, opt, label, many) {
  let k = 0;
  const headers = many ? () => ({ store: k++ % VIEWS === 0 ? 'default' : codes[k % codes.length] }) : undefined;
  const load = (seed, durationS) =>
    forgotLoop({ baseUrl: stack.baseUrl, seed, customers: opt.customers, connections: opt.connections, durationS, nextHeaders: headers });
  if (opt.warmup > 0) await load(`stores-${label}-w`, opt.warmup);
  const x0 = await transactions(db, stack.dbName);
  const res = await load(`stores-${label}`, opt.duration);
  // Less this query's own transaction.
  res.transactions = (await transactions(db, stack.dbName)) - x0 - 1;
  return res;
}

/**
 * The worker rounds. Every address the 50-view jobs name has an account in each website (the seeded
 * one in base, copies in bench_a and bench_b), so that each job sends one email as in the 1-view rounds.
 */
async function workerRounds(stack, db, redis, opt, log) {
  const { sink, queue, jobs } = opt;
  const count = (2 * opt.rounds + 1) * jobs;
  await configure(stack, db, redis, true);
  await db.query(
    `insert into customer (id, email, password_hash, first_name, last_name, locale, website_code, store_view_code)
     select gen_random_uuid(), c.email, c.password_hash, c.first_name, c.last_name, c.locale, w.code, w.view
     from customer c cross join (values ('bench_a', $2::text), ('bench_b', $3::text)) as w(code, view)
     where c.website_code = 'base' and c.email = any($1::text[])
     on conflict do nothing`,
    [Array.from({ length: count }, (_, i) => customerEmail(WORKER_FIRST_CUSTOMER + i)), codes[0], codes[1]],
  );
  await db.query('analyze customer');
  let next = WORKER_FIRST_CUSTOMER;
  const payloads = (many) => {
    const first = next;
    next += jobs;
    return many
      ? (k) => ({ email: customerEmail(first + k), storeView: ALL_VIEWS[k % VIEWS] })
      : (k) => ({ email: customerEmail(first + k) });
  };
  // The forgot rounds' jobs (queued while the worker was paused) are not this measure's.
  await queue.drain(true);
  await queue.resume();
  // Warm-up: one run with the 50 views (JIT, connection pools, the registry's resolved views).
  await sink.settle(1000, 20000);
  await saturation(stack, sink, queue, jobs, payloads(true));
  const perRound = await alternatingRounds(opt.rounds, ['fifty', 'one'], async (mode, r) => {
    const many = mode === 'fifty';
    await configure(stack, db, redis, many);
    await sink.settle(1000, 20000);
    const sat = await saturation(stack, sink, queue, jobs, payloads(many));
    log(
      `stores worker round ${r}, ${many ? 50 : 1} store view(s): ${sat.emailsPerSecond.toFixed(1)} emails/s (${sat.delivered}/${sat.jobs}${sat.complete ? '' : ', INCOMPLETE'}), worker CPU ${sat.workerCpuMsPerEmail.toFixed(3)} ms/email`,
    );
    return sat;
  });
  const summary = (runs) => ({
    emailsPerSecond: median(runs.map((x) => x.emailsPerSecond)),
    workerCpuMsPerEmail: median(runs.map((x) => x.workerCpuMsPerEmail)),
    emailsPerSecondPerRound: runs.map((x) => Math.round(x.emailsPerSecond * 10) / 10),
    workerCpuMsPerEmailPerRound: runs.map((x) => Math.round(x.workerCpuMsPerEmail * 1000) / 1000),
    lost: runs.reduce((s, x) => s + x.jobs - x.delivered, 0),
  });
  const ratioPerRound = perRoundRatios(perRound.one, perRound.fifty, 'emailsPerSecond');
  const cpuRatioPerRound = perRoundRatios(perRound.one, perRound.fifty, 'workerCpuMsPerEmail');
  return {
    jobs,
    one: summary(perRound.one),
    fifty: summary(perRound.fifty),
    ratio: Math.round(medianRatio(perRound.one, perRound.fifty, 'emailsPerSecond') * 1000) / 1000,
    ratioPerRound,
    cpuRatio: Math.round(medianRatio(perRound.one, perRound.fifty, 'workerCpuMsPerEmail') * 1000) / 1000,
    cpuRatioPerRound,
  };
}

async function sectionStores(stack, opt, log) {
  const db = await infra.pgConnect(stack.dbName);
  const redis = new Redis(stack.redis.url, { maxRetriesPerRequest: 1 });
  const rounds = { one: [], fifty: [] };
  let idle;
  let worker = null;
  try {
    // The background: PostgreSQL transactions in an idle window as long as a phase.
    const idle0 = await transactions(db, stack.dbName);
    await infra.sleep(opt.duration * 1000);
    idle = { seconds: opt.duration, transactions: (await transactions(db, stack.dbName)) - idle0 - 1 };
    const byMode = await alternatingRounds(opt.rounds, ['one', 'fifty'], async (mode, r) => {
      const many = mode === 'fifty';
      await configure(stack, db, redis, many);
      const cpu0 = stack.api.cpuMs();
      const res = await measure(stack, db, opt, `${r}-${many ? 50 : 1}`, many);
      res.apiCpuMsPerRequest = (stack.api.cpuMs() - cpu0) / Math.max(1, res.requests);
      log(
        `stores round ${r}, ${many ? 50 : 1} store view(s): ${res.rps} req/s p50 ${res.p50} p99 ${res.p99} non2xx ${res.non2xx}; PostgreSQL transactions ${res.transactions} for ${res.requests} requests (idle window: ${idle.transactions})`,
      );
      return res;
    });
    Object.assign(rounds, byMode);
    if (opt.sink && opt.queue) worker = await workerRounds(stack, db, redis, { ...opt, jobs: opt.saturationJobs }, log);
  } finally {
    await configure(stack, db, redis, false).catch(() => undefined);
    redis.disconnect();
    await db.end();
  }
  const summary = (runs) => ({
    rps: median(runs.map((x) => x.rps)),
    p50: median(runs.map((x) => x.p50)),
    p99: median(runs.map((x) => x.p99)),
    apiCpuMsPerRequest: median(runs.map((x) => x.apiCpuMsPerRequest)),
    non2xx: runs.reduce((s, x) => s + x.non2xx + x.errors + x.timeouts, 0),
    rpsPerRound: runs.map((x) => x.rps),
    apiCpuMsPerRequestPerRound: runs.map((x) => Math.round(x.apiCpuMsPerRequest * 1000) / 1000),
    // Transactions per request over the phases, less the idle window's background (see the top of this file).
    transactionsPerRequest:
      Math.round(
        (runs.reduce((s, x) => s + x.transactions - (idle.transactions * opt.duration) / idle.seconds, 0) /
          Math.max(
            1,
            runs.reduce((s, x) => s + x.requests, 0),
          )) *
          1e4,
      ) / 1e4,
    transactionsPerRound: runs.map((x) => x.transactions),
  });
  const one = summary(rounds.one);
  const fifty = summary(rounds.fifty);
  const ratioPerRound = perRoundRatios(rounds.one, rounds.fifty);
  return {
    views: VIEWS,
    one,
    fifty,
    ratio: Math.round((fifty.rps / one.rps) * 1000) / 1000,
    ratioPerRound,
    idleTransactions: idle.transactions,
    idleSeconds: idle.seconds,
    worker,
  };
}

module.exports = { sectionStores };
