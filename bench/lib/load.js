'use strict';
// Load generators, loopback only: closed loop (autocannon, fixed connections) and open loop
// (fixed request rate, per-request send time and latency, for request-to-email correlation).
const http = require('node:http');
const autocannon = require('autocannon');
const { assertLoopback } = require('./infra');
const { customerEmail, unknownEmail } = require('./seed');

function percentile(values, p) {
  if (values.length === 0) return null;
  const s = Float64Array.from(values).sort();
  const idx = Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1));
  return s[idx];
}
const median = (xs) => {
  const s = xs.filter((x) => x !== null && x !== undefined && !Number.isNaN(x)).sort((a, b) => a - b);
  if (s.length === 0) return null;
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};

// Same load shape as ../shared/bench-peers/load.mjs: a seeded PRNG picks a known customer (walked
// through a full-cycle stride permutation, none repeats) or a never-seeded address (all distinct).
function hash32(s) {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193) >>> 0;
  return h >>> 0;
}
function mulberry32(seed) {
  let t = seed >>> 0;
  return () => {
    t = (t + 0x6d2b79f5) >>> 0;
    let r = Math.imul(t ^ (t >>> 15), 1 | t);
    r = (r + Math.imul(r ^ (r >>> 7), 61 | r)) ^ r;
    return ((r ^ (r >>> 14)) >>> 0) / 4294967296;
  };
}
function emailStream(seed, customers, existingRatio = 0.5) {
  const STRIDE = 7919;
  const rnd = mulberry32(hash32(`mix:${seed}`));
  const start = hash32(`start:${seed}`) % customers;
  let kExisting = 0;
  let kUnknown = 0;
  return () => {
    if (rnd() < existingRatio) {
      const i = (start + (kExisting++ % customers) * STRIDE) % customers;
      return { kind: 'existing', email: customerEmail(i), index: i };
    }
    return { kind: 'unknown', email: unknownEmail(seed, kUnknown++) };
  };
}

/**
 * autocannon at fixed connections. POST: `next()` gives the JSON body of each request. GET:
 * `nextHeaders()` (optional) gives each request's extra headers (say, a cookie).
 */
async function closedLoop({ baseUrl, path, connections, durationS, next, method = 'POST', nextHeaders, timeoutS = 10 }) {
  assertLoopback(baseUrl);
  const request =
    method === 'POST'
      ? {
          method,
          path,
          headers: { 'content-type': 'application/json', accept: 'application/json' },
          setupRequest(req) {
            req.body = JSON.stringify(next());
            if (nextHeaders) req.headers = { ...req.headers, ...nextHeaders() };
            return req;
          },
        }
      : {
          method,
          path,
          headers: { accept: 'text/html' },
          setupRequest(req) {
            if (nextHeaders) req.headers = { ...req.headers, ...nextHeaders() };
            return req;
          },
        };
  const result = await autocannon({
    url: baseUrl,
    connections,
    pipelining: 1,
    duration: durationS,
    timeout: timeoutS,
    requests: [request],
  });
  const statusCodes = Object.fromEntries(Object.entries(result.statusCodeStats ?? {}).map(([k, v]) => [k, v.count]));
  return {
    requests: result.requests.total,
    rps: Math.round(result.requests.average * 10) / 10,
    p50: result.latency.p50,
    p97_5: result.latency.p97_5,
    p99: result.latency.p99,
    non2xx: result.non2xx,
    errors: result.errors,
    timeouts: result.timeouts,
    statusCodes,
  };
}

/**
 * Open loop: `rate` requests per second for `durationS`, whatever the answers take. Each record
 * has the wall-clock send time (to compare with the SMTP sink's arrival time), the latency and
 * the status. `next()` gives {body, meta}, and optionally a `path` of its own and extra `headers`.
 */
async function openLoop({ baseUrl, path, rate, durationS, next, maxSockets = 256 }) {
  assertLoopback(baseUrl);
  const url = new URL(path, baseUrl);
  const agent = new http.Agent({ keepAlive: true, maxSockets });
  const total = Math.round(rate * durationS);
  const records = [];
  let inflight = 0;
  let sent = 0;
  let resolveDone;
  const done = new Promise((r) => (resolveDone = r));
  const t0 = performance.now();
  const fire = () => {
    const { body, meta, path: ownPath, headers } = next();
    const payload = JSON.stringify(body);
    const rec = { meta, sentAt: Date.now(), latencyMs: null, status: 0 };
    records.push(rec);
    const start = performance.now();
    inflight++;
    const req = http.request(
      ownPath ? new URL(ownPath, baseUrl) : url,
      { method: 'POST', agent, headers: { ...headers, 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) } },
      (res) => {
        res.resume();
        res.on('end', () => {
          rec.latencyMs = performance.now() - start;
          rec.status = res.statusCode;
          if (--inflight === 0 && sent === total) resolveDone();
        });
      },
    );
    req.setTimeout(10000, () => req.destroy(new Error('timeout')));
    req.on('error', () => {
      rec.status = -1;
      if (--inflight === 0 && sent === total) resolveDone();
    });
    req.end(payload);
  };
  await new Promise((resolve) => {
    const tick = () => {
      const due = Math.min(total, Math.floor(((performance.now() - t0) / 1000) * rate) + 1);
      while (sent < due) {
        sent++;
        fire();
      }
      if (sent < total) setTimeout(tick, 1);
      else resolve();
    };
    tick();
  });
  if (inflight > 0) await Promise.race([done, new Promise((r) => setTimeout(r, 15000))]);
  agent.destroy();
  const ok = records.filter((r) => r.status >= 200 && r.status < 300);
  const lat = ok.map((r) => r.latencyMs);
  return {
    records,
    sent: records.length,
    ok: ok.length,
    failed: records.length - ok.length,
    achievedRate: records.length / ((performance.now() - t0) / 1000),
    p50: percentile(lat, 50),
    p99: percentile(lat, 99),
  };
}

/**
 * The medians of closed loops that carry the API's CPU per request (`apiCpuUs`), their failures
 * summed, and each loop's req/s in order.
 */
function loopsSummary(list) {
  return {
    rps: median(list.map((x) => x.rps)),
    p50: median(list.map((x) => x.p50)),
    p99: median(list.map((x) => x.p99)),
    apiCpuUs: median(list.map((x) => x.apiCpuUs)),
    non2xx: list.reduce((sum, x) => sum + x.non2xx + x.errors + x.timeouts, 0),
    rpsPerRound: list.map((x) => x.rps),
  };
}

/**
 * A closed loop on the forgot route, every request a new address of `emailStream(seed, customers)`
 * (headers from `nextHeaders`, when given).
 */
function forgotLoop({ baseUrl, seed, customers, connections, durationS, nextHeaders }) {
  const next = emailStream(seed, customers);
  return closedLoop({ baseUrl, path: FORGOT_PATH, connections, durationS, next: () => ({ email: next().email }), nextHeaders });
}

/** The storefront's forgot route, the one most sections load. */
const FORGOT_PATH = '/api/v1/customers/password/forgot';

module.exports = { percentile, median, emailStream, closedLoop, openLoop, loopsSummary, forgotLoop, FORGOT_PATH };
