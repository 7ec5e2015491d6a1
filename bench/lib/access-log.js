'use strict';
/*
 * Section 9 of bench/run.js (issue 25): what the access line costs. Two fresh API processes of the
 * same build, against the same database and Redis, one at LOG_LEVEL=info (one access line per
 * request, written to its stdout, a pipe the bench reads like a log collector would) and one at
 * warn (no line). Both start here, so both are the same age: the stack's own API has served
 * sections 1-3 by now (a heap several times larger, hence more GC per request), and pitted against
 * a fresh info process it made info read x1.16 of warn at x0.88 of its CPU per request (a quiet run
 * of 2026-12-07), a figure about the processes' age, not the log line. Rounds alternate warn / info,
 * the order swapped every round;
 * the figure is the median of the per-round req/s ratios (info / warn), with the API's CPU per
 * request beside it. Target: info costs at most 5 % (ratio >= 0.95). The mail queue stays paused
 * (the caller's), as in section 1.
 *
 * At least ACCESS_LOG_MIN_ROUNDS rounds whatever --rounds says: one round's ratio swung from 0.78 to
 * 1.16 within a quiet run (docs/benchmark-results.md), and a median of three such draws cannot
 * resolve a 5 % target. Each side counts its own emails (its own email stream): with one stream per
 * round the side that went second found the throttle counters already started (no PEXPIRE) and
 * only that side did, an order effect the alternation had to cancel.
 */
const ACCESS_LOG_MIN_ROUNDS = 5;
const path = require('node:path');
const infra = require('./infra');
const { median, emailStream, closedLoop } = require('./load');

const FORGOT = '/api/v1/customers/password/forgot';

async function sectionAccessLog({ stack, opt, log }) {
  const startApi = async (level) => {
    const port = await infra.freePort();
    const proc = infra.startProcess(`api-${level}`, [path.join(infra.DIST, 'apps/api/main.js')], {
      ...stack.env,
      LOG_LEVEL: level,
      PORT: String(port),
    });
    return { baseUrl: `http://127.0.0.1:${port}`, proc, runs: [] };
  };
  const sides = { warn: await startApi('warn'), info: await startApi('info') };
  const infoApi = sides.info.proc;
  try {
    for (const [level, side] of Object.entries(sides)) {
      await infra.waitUntil(`API at ${level} ready`, side.proc, 60000, () => infra.httpOk(`${side.baseUrl}/health/live`));
    }
    const rounds = Math.max(opt.rounds, ACCESS_LOG_MIN_ROUNDS);
    for (let r = 1; r <= rounds; r++) {
      const order = r % 2 === 1 ? ['warn', 'info'] : ['info', 'warn'];
      for (const level of order) {
        const side = sides[level];
        if (opt.warmup > 0) {
          const w = emailStream(`log${r}w${level}`, 100_000);
          await closedLoop({
            baseUrl: side.baseUrl,
            path: FORGOT,
            connections: opt.connections,
            durationS: opt.warmup,
            next: () => ({ email: w().email }),
          });
        }
        const s = emailStream(`log${r}${level}`, 100_000);
        const cpu0 = side.proc.cpuMs();
        const res = await closedLoop({
          baseUrl: side.baseUrl,
          path: FORGOT,
          connections: opt.connections,
          durationS: opt.duration,
          next: () => ({ email: s().email }),
        });
        const apiCpuUs = ((side.proc.cpuMs() - cpu0) * 1000) / Math.max(1, res.requests);
        log(
          `access log round ${r} ${level}: ${res.rps} req/s p50 ${res.p50} p99 ${res.p99} non2xx ${res.non2xx}, API CPU ${apiCpuUs.toFixed(0)} µs/request`,
        );
        side.runs.push({ ...res, apiCpuUs });
      }
    }
  } finally {
    await Promise.all([sides.warn.proc.stop(), infoApi.stop()]);
  }
  const lines = (infoApi.output().match(/"msg":"POST \/api\/v1\/customers\/password\/forgot 202"/g) ?? []).length;
  const summary = (runs) => ({
    rps: median(runs.map((x) => x.rps)),
    p50: median(runs.map((x) => x.p50)),
    p99: median(runs.map((x) => x.p99)),
    apiCpuUs: median(runs.map((x) => x.apiCpuUs)),
    non2xx: runs.reduce((sum, x) => sum + x.non2xx + x.errors + x.timeouts, 0),
    rpsPerRound: runs.map((x) => x.rps),
  });
  const perRound = sides.info.runs.map((x, i) => x.rps / sides.warn.runs[i].rps);
  const cpuPerRound = sides.info.runs.map((x, i) => x.apiCpuUs / sides.warn.runs[i].apiCpuUs);
  return {
    warn: summary(sides.warn.runs),
    info: summary(sides.info.runs),
    infoVsWarn: median(perRound),
    infoVsWarnPerRound: perRound.map((x) => Math.round(x * 100) / 100),
    cpuInfoVsWarn: median(cpuPerRound),
    // A sanity check that the info side did log: access lines seen in the tail the bench keeps.
    accessLinesSeenInTail: lines,
  };
}

module.exports = { sectionAccessLog };
