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
 */
const Redis = require('ioredis');
const infra = require('./infra');
const { median, emailStream, closedLoop } = require('./load');
const { alternatingRounds, perRoundRatios } = require('./rounds');

const VIEWS = 50;
const CHANNEL = 'customer-access:settings-changed'; // SETTINGS_CHANGED_CHANNEL of libs/redis
const FORGOT = '/api/v1/customers/password/forgot';
const codes = Array.from({ length: VIEWS - 1 }, (_, i) => `bench_sv_${String(i + 1).padStart(2, '0')}`);

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

async function measure(stack, opt, label, many) {
  let k = 0;
  const headers = many ? () => ({ store: k++ % VIEWS === 0 ? 'default' : codes[k % codes.length] }) : undefined;
  const load = (seed, durationS) => {
    const s = emailStream(seed, opt.customers);
    return closedLoop({
      baseUrl: stack.baseUrl,
      path: FORGOT,
      connections: opt.connections,
      durationS,
      next: () => ({ email: s().email }),
      nextHeaders: headers,
    });
  };
  if (opt.warmup > 0) await load(`stores-${label}-w`, opt.warmup);
  return load(`stores-${label}`, opt.duration);
}

async function sectionStores(stack, opt, log) {
  const db = await infra.pgConnect(stack.dbName);
  const redis = new Redis(stack.redis.url, { maxRetriesPerRequest: 1 });
  const rounds = { one: [], fifty: [] };
  try {
    const byMode = await alternatingRounds(opt.rounds, ['one', 'fifty'], async (mode, r) => {
      const many = mode === 'fifty';
      await configure(stack, db, redis, many);
      const cpu0 = stack.api.cpuMs();
      const res = await measure(stack, opt, `${r}-${many ? 50 : 1}`, many);
      res.apiCpuMsPerRequest = (stack.api.cpuMs() - cpu0) / Math.max(1, res.requests);
      log(`stores round ${r}, ${many ? 50 : 1} store view(s): ${res.rps} req/s p50 ${res.p50} p99 ${res.p99} non2xx ${res.non2xx}`);
      return res;
    });
    Object.assign(rounds, byMode);
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
  });
  const one = summary(rounds.one);
  const fifty = summary(rounds.fifty);
  const ratioPerRound = perRoundRatios(rounds.one, rounds.fifty);
  return { views: VIEWS, one, fifty, ratio: Math.round((fifty.rps / one.rps) * 1000) / 1000, ratioPerRound };
}

module.exports = { sectionStores };
