'use strict';
/*
 * Section 9 of bench/run.js (issue 25): what the access line costs. API processes of the same
 * build, against the same database and Redis, one at LOG_LEVEL=info (one access line per request)
 * and one at warn (no line), each with its stdout appended to a file of its own, as `node main.js
 * >> app.log` or a log collector in another process would take it (a pipe read by the bench process
 * would take CPU from the load generator on the info side only). After each round the info side's
 * access lines are counted in its file and compared with the 202s it answered: nothing may be lost
 * (the API flushes its log buffer on exit). The mail queue stays paused (the caller's), as in
 * section 1.
 *
 * The line costs 3-5 us of a request's 175-250 us of API CPU (2-3 %); the method must resolve that
 * on a machine whose speed drifts. Three things it cancels:
 * - Drift over time: the two sides take turns in ACCESS_LOG_SLOT_S-second slots, the order swapped
 *   every pair, so the two slots of a pair are seconds apart (in 15-second slots the same build at
 *   the same level read 157-300 us of CPU per request between slots).
 * - The process: two processes of one build at one level differ by a few per cent for their whole
 *   life (where the scheduler puts them, their heaps), and one pair of processes made an A/A check
 *   (both at warn) read x0.95 over 24 pairs, its last six all below x0.95. So every round starts a
 *   fresh pair of processes (which one starts first alternates), warms both, runs its pairs of slots
 *   and stops them: a process's bias is one round's, and the median over rounds cancels it.
 * - Age: both sides are always the same age (the stack's own API, which has served sections 1-3,
 *   pitted against a fresh info process once made info read x1.16 of warn).
 * The figure is the median of all the per-pair req/s ratios (info / warn), with the API's CPU per
 * request beside it. Target: info costs at most 5 % (ratio >= 0.95). BENCH_ACCESS_LOG_B_LEVEL=warn
 * runs the same rounds with both sides at warn: the check of what the method resolves (x1.00 is
 * right). Each slot has its own email stream, so neither side finds the throttle counters the other
 * started.
 */
const ACCESS_LOG_ROUNDS = 6;
const ACCESS_LOG_PAIRS_PER_ROUND = 4;
const ACCESS_LOG_SLOT_S = 3;
const fs = require('node:fs');
const path = require('node:path');
const infra = require('./infra');
const { median, forgotLoop, loopsSummary, FORGOT_PATH: FORGOT } = require('./load');

const ACCESS_LINE = `"msg":"POST ${FORGOT} 202"`;

async function sectionAccessLog({ stack, opt, log }) {
  const infoLevel = process.env.BENCH_ACCESS_LOG_B_LEVEL ?? 'info';
  const levels = { warn: 'warn', info: infoLevel };
  const startApi = async (side, round) => {
    const port = await infra.freePort();
    const logFile = path.join(path.dirname(infra.DIST), `access-log-${side}-${round}-${process.pid}.log`);
    fs.rmSync(logFile, { force: true });
    const proc = infra.startProcess(
      `api-${side}`,
      [path.join(infra.DIST, 'apps/api/main.js')],
      { ...stack.env, LOG_LEVEL: levels[side], PORT: String(port) },
      { stdoutFile: logFile },
    );
    return { baseUrl: `http://127.0.0.1:${port}`, proc, logFile };
  };
  const load = (side, seed, durationS) =>
    forgotLoop({ baseUrl: side.baseUrl, seed, customers: 100_000, connections: opt.connections, durationS });
  const runs = { warn: [], info: [] };
  const counted = { answered202: 0, accessLines: 0, accessLinesAtWarn: 0 };
  const rounds = Math.max(opt.rounds, ACCESS_LOG_ROUNDS);
  for (let r = 1; r <= rounds; r++) {
    const startOrder = r % 2 === 1 ? ['warn', 'info'] : ['info', 'warn'];
    const sides = {};
    for (const name of startOrder) sides[name] = await startApi(name, r);
    try {
      for (const name of startOrder) {
        const side = sides[name];
        await infra.waitUntil(`API ${name} ready`, side.proc, 60000, () => infra.httpOk(`${side.baseUrl}/health/live`));
      }
      if (opt.warmup > 0) {
        for (const name of startOrder) {
          const warm = await load(sides[name], `log${r}w${name}`, opt.warmup);
          if (name === 'info') counted.answered202 += warm.statusCodes['202'] ?? 0;
        }
      }
      for (let p = 1; p <= ACCESS_LOG_PAIRS_PER_ROUND; p++) {
        const order = p % 2 === 1 ? startOrder : [...startOrder].reverse();
        const line = [];
        for (const name of order) {
          const side = sides[name];
          const cpu0 = side.proc.cpuMs();
          const res = await load(side, `log${r}p${p}${name}`, ACCESS_LOG_SLOT_S);
          const apiCpuUs = ((side.proc.cpuMs() - cpu0) * 1000) / Math.max(1, res.requests);
          if (name === 'info') counted.answered202 += res.statusCodes['202'] ?? 0;
          line.push(`${name} ${res.rps} req/s p99 ${res.p99} CPU ${apiCpuUs.toFixed(0)} µs`);
          runs[name].push({ ...res, apiCpuUs });
        }
        log(`access log round ${r} pair ${p}: ${line.join(', ')}`);
      }
    } finally {
      await Promise.all(Object.values(sides).map((side) => side.proc.stop()));
    }
    // Every 202 the info side answered has its line in its file once the process has exited on
    // SIGTERM. The server may also have answered a few requests the load generator no longer counted
    // (in flight when a loop's time was up), so lines >= answers, by at most the connections per loop.
    counted.accessLines += countOccurrences(sides.info.logFile, ACCESS_LINE);
    counted.accessLinesAtWarn += countOccurrences(sides.warn.logFile, ACCESS_LINE);
    for (const side of Object.values(sides)) fs.rmSync(side.logFile, { force: true });
  }
  const perPair = runs.info.map((x, i) => x.rps / runs.warn[i].rps);
  const cpuPerPair = runs.info.map((x, i) => x.apiCpuUs / runs.warn[i].apiCpuUs);
  return {
    warn: loopsSummary(runs.warn),
    info: loopsSummary(runs.info),
    infoVsWarn: median(perPair),
    infoVsWarnPerRound: perPair.map((x) => Math.round(x * 100) / 100),
    cpuInfoVsWarn: median(cpuPerPair),
    rounds,
    pairs: perPair.length,
    slotS: ACCESS_LOG_SLOT_S,
    infoSideLevel: infoLevel,
    sink: 'stdout appended to a file per API (node main.js >> FILE), read after each round',
    ...counted,
  };
}

/** How many times `needle` occurs in a file, read in chunks (a run writes ~100 MB of lines). */
function countOccurrences(file, needle) {
  const fd = fs.openSync(file, 'r');
  try {
    const buf = Buffer.alloc(1 << 20);
    let carry = '';
    let count = 0;
    for (let n; (n = fs.readSync(fd, buf, 0, buf.length, null)) > 0;) {
      const text = carry + buf.toString('latin1', 0, n);
      for (let at = text.indexOf(needle); at !== -1; at = text.indexOf(needle, at + needle.length)) count++;
      carry = text.slice(Math.max(0, text.length - needle.length + 1));
    }
    return count;
  } finally {
    fs.closeSync(fd);
  }
}

module.exports = { sectionAccessLog };
