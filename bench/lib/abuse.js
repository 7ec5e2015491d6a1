'use strict';
// Section 7 (abuse protection, issue 23): what the two protections cost on their routes.
// - forgot with resetChallenge=always and pre-solved challenges vs resetChallenge=off, alternating
//   in every round; each beside the floor's req/s (section 1's, or the floor alone from the peers).
// - reset-confirm with breachedPasswordCheck=block and a warm range cache vs off, alternating.
const { createHash } = require('node:crypto');
const path = require('node:path');
const Redis = require('ioredis');
const infra = require('./infra');
const seed = require('./seed');
const { closedLoop, emailStream, median, loopsSummary, FORGOT_PATH: FORGOT } = require('./load');
const { alternatingRounds, perRoundRatios } = require('./rounds');

const RESET = '/api/v1/customers/password/reset';
const SETTINGS_CHANGED_CHANNEL = 'customer-access:settings-changed'; // libs/redis key-layout

/** Writes the bench settings plus `extra` and announces them, as the admin route does; then lets every process reload. */
async function applySettings(stack, extra) {
  const db = await infra.pgConnect(stack.dbName);
  try {
    await db.query(
      `INSERT INTO settings (id, values, updated_at) VALUES (1, $1::jsonb, now())
       ON CONFLICT (id) DO UPDATE SET values = EXCLUDED.values, updated_at = now()`,
      [JSON.stringify({ ...seed.BENCH_SETTINGS, ...extra })],
    );
  } finally {
    await db.end();
  }
  const u = new URL(stack.redis.url);
  const redis = new Redis({ host: u.hostname, port: Number(u.port || 6379), db: Number(u.pathname.slice(1) || 0) });
  try {
    await redis.publish(SETTINGS_CHANGED_CHANNEL, '1');
  } finally {
    redis.disconnect();
  }
  await infra.sleep(1500);
}

/**
 * `count` challenges as the service issues them to 127.0.0.1 (its own minting code, from the build,
 * with the stack's JWT_SECRET), each with its solution: a counter of 1, so the bench does no search.
 * The server's check of a solution costs the same whatever the counter was.
 */
async function preSolvedPayloads(stack, count) {
  const { challengeKeys, mintChallenge } = require(path.join(infra.DIST, 'libs/password-reset/src/storefront/reset-challenge.js'));
  const keys = challengeKeys(stack.env.JWT_SECRET);
  const payloads = [];
  const BATCH = 256;
  for (let i = 0; i < count; i += BATCH) {
    const batch = await Promise.all(Array.from({ length: Math.min(BATCH, count - i) }, () => mintChallenge(keys, '127.0.0.1', 1)));
    for (const challenge of batch) {
      const p = challenge.parameters;
      const data = Buffer.concat([Buffer.from(p.salt, 'hex'), Buffer.from(p.nonce, 'hex'), Buffer.from([0, 0, 0, 1])]);
      const derivedKey = createHash('sha256').update(data).digest('hex');
      const solution = { counter: 1, derivedKey };
      payloads.push(
        Buffer.from(JSON.stringify({ challenge: { parameters: p, signature: challenge.signature }, solution })).toString('base64'),
      );
    }
  }
  return payloads;
}

async function forgotChallenge({ stack, opt, log, floorRps }) {
  // One payload per request of an `always` round (warm-up included), with room to spare.
  const perRound = Number(process.env.BENCH_CHALLENGES_PER_ROUND ?? Math.round((opt.warmup + opt.duration) * 5000));
  const runs = await alternatingRounds(opt.rounds, ['off', 'always'], async (mode, r) => {
    let payloads = null;
    if (mode === 'always') {
      const t = Date.now();
      payloads = await preSolvedPayloads(stack, perRound);
      log(`challenge round ${r}: ${payloads.length} pre-solved challenges minted in ${Date.now() - t} ms`);
    }
    await applySettings(stack, { resetChallenge: mode });
    let k = 0;
    const body = (stream) => () => (mode === 'always' ? { email: stream().email, altcha: payloads[k++] } : { email: stream().email });
    if (opt.warmup > 0) {
      const w = emailStream(`abuse-${mode}-${r}w`, 100_000);
      await closedLoop({ baseUrl: stack.baseUrl, path: FORGOT, connections: opt.connections, durationS: opt.warmup, next: body(w) });
    }
    const s = emailStream(`abuse-${mode}-${r}`, 100_000);
    const cpu0 = stack.api.cpuMs();
    const res = await closedLoop({
      baseUrl: stack.baseUrl,
      path: FORGOT,
      connections: opt.connections,
      durationS: opt.duration,
      next: body(s),
    });
    const apiCpuUs = (1000 * (stack.api.cpuMs() - cpu0)) / Math.max(1, res.requests);
    if (payloads && k > payloads.length) log(`WARNING: challenge round ${r} ran out of payloads (${k} > ${payloads.length})`);
    log(
      `forgot resetChallenge=${mode} round ${r}: ${res.rps} req/s p50 ${res.p50} p99 ${res.p99} non2xx ${res.non2xx} (${JSON.stringify(res.statusCodes)}), API CPU ${apiCpuUs.toFixed(0)} µs/request`,
    );
    return { ...res, apiCpuUs };
  });
  await applySettings(stack, {});
  const off = loopsSummary(runs.off);
  const always = loopsSummary(runs.always);
  const alwaysVsOffPerRound = perRoundRatios(runs.off, runs.always, 'rps', 2);
  return {
    off,
    always,
    floorRps,
    offVsFloor: floorRps ? off.rps / floorRps : null,
    alwaysVsFloor: floorRps ? always.rps / floorRps : null,
    // (always / floor) / (off / floor): the floor of the same run cancels out.
    alwaysVsOff: always.rps / off.rps,
    alwaysVsOffPerRound,
    cpuAlwaysVsOff: always.apiCpuUs / off.apiCpuUs,
  };
}

async function resetBreached({ stack, opt, log, ids, firstCustomer }) {
  const perRound = Number(process.env.BENCH_RESET_TOKENS ?? 2500);
  let nextCustomer = firstCustomer;
  const runs = { block: [], off: [] };
  const db = await infra.pgConnect(stack.dbName);
  try {
    // Warm the range cache: every reset sets the same new password, so after the first request its range is in Redis.
    await applySettings(stack, { breachedPasswordCheck: 'block' });
    const warm = await seed.seedFreshTokens(
      db,
      ids,
      Array.from({ length: 300 }, (_, k) => nextCustomer + k),
    );
    nextCustomer += 300;
    let w = 0;
    const warmBody = () => ({ token: warm[w++ % warm.length], password: seed.NEW_PASSWORD, passwordConfirmation: seed.NEW_PASSWORD });
    await closedLoop({ baseUrl: stack.baseUrl, path: RESET, connections: opt.resetConnections, durationS: 3, next: warmBody });
    const byMode = await alternatingRounds(opt.rounds, ['block', 'off'], async (mode, r) => {
      await applySettings(stack, { breachedPasswordCheck: mode });
      const raws = await seed.seedFreshTokens(
        db,
        ids,
        Array.from({ length: perRound }, (_, k) => nextCustomer + k),
      );
      nextCustomer += perRound;
      let k = 0;
      const cpu0 = stack.api.cpuMs();
      const res = await closedLoop({
        baseUrl: stack.baseUrl,
        path: RESET,
        connections: opt.resetConnections,
        durationS: opt.duration,
        next: () => ({ token: raws[k++], password: seed.NEW_PASSWORD, passwordConfirmation: seed.NEW_PASSWORD }),
      });
      const okRps = (res.requests - res.non2xx) / opt.duration;
      const apiCpuMs = (stack.api.cpuMs() - cpu0) / Math.max(1, res.requests);
      log(
        `reset breachedPasswordCheck=${mode} round ${r}: ${okRps.toFixed(1)} req/s p50 ${res.p50} p99 ${res.p99} non2xx ${res.non2xx}, API CPU ${apiCpuMs.toFixed(2)} ms/request`,
      );
      return { rps: okRps, p50: res.p50, p99: res.p99, apiCpuMs, non2xx: res.non2xx + res.errors };
    });
    Object.assign(runs, byMode);
  } finally {
    await db.end();
    await applySettings(stack, {});
  }
  const summary = (list) => ({
    rps: median(list.map((x) => x.rps)),
    p50: median(list.map((x) => x.p50)),
    p99: median(list.map((x) => x.p99)),
    apiCpuMs: median(list.map((x) => x.apiCpuMs)),
    non2xx: list.reduce((sum, x) => sum + x.non2xx, 0),
    rpsPerRound: list.map((x) => Math.round(x.rps * 10) / 10),
  });
  const block = summary(runs.block);
  const off = summary(runs.off);
  return { block, off, rpsBlockVsOff: block.rps / off.rps, cpuBlockVsOff: block.apiCpuMs / off.apiCpuMs, nextCustomer };
}

module.exports = { forgotChallenge, resetBreached, preSolvedPayloads };
