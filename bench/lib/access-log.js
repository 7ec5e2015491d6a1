'use strict';
/*
 * Section 9 of bench/run.js (issue 25): what the access line costs. Two fresh API processes of the
 * same build, against the same database and Redis, one at LOG_LEVEL=info (one access line per
 * request) and one at warn (no line), each with its stdout appended to a file of its own, as
 * `node main.js >> app.log` or a log collector in another process would take it. The stdout used to
 * be a pipe the bench process read, and that process also runs the load generator on the same two
 * cores: decoding the info side's log (~2 MB/s) took CPU from the load on that side only. After the
 * run the info side's access lines are counted in its file and compared with the 202s it answered:
 * nothing may be lost (the API flushes its log buffer on exit). Both start here, so both are the
 * same age: the stack's own API has served sections 1-3 by now (a heap several times larger, hence
 * more GC per request), and pitted against a fresh info process it made info read x1.16 of warn at
 * x0.88 of its CPU per request (a quiet run of 2026-12-07), a figure about the processes' age, not
 * the log line. Rounds alternate warn / info, the order swapped every round; the figure is the median of the per-round req/s ratios (info / warn), with the API's CPU per
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
const fs = require('node:fs');
const path = require('node:path');
const infra = require('./infra');
const { median, emailStream, closedLoop } = require('./load');

const FORGOT = '/api/v1/customers/password/forgot';

async function sectionAccessLog({ stack, opt, log }) {
  const startApi = async (level) => {
    const port = await infra.freePort();
    const logFile = path.join(path.dirname(infra.DIST), `access-log-${level}-${process.pid}.log`);
    fs.rmSync(logFile, { force: true });
    const proc = infra.startProcess(
      `api-${level}`,
      [path.join(infra.DIST, 'apps/api/main.js')],
      { ...stack.env, LOG_LEVEL: level, PORT: String(port) },
      { stdoutFile: logFile },
    );
    return { baseUrl: `http://127.0.0.1:${port}`, proc, logFile, runs: [], answered202: 0 };
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
          const warm = await closedLoop({
            baseUrl: side.baseUrl,
            path: FORGOT,
            connections: opt.connections,
            durationS: opt.warmup,
            next: () => ({ email: w().email }),
          });
          side.answered202 += warm.statusCodes['202'] ?? 0;
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
        side.answered202 += res.statusCodes['202'] ?? 0;
        log(
          `access log round ${r} ${level}: ${res.rps} req/s p50 ${res.p50} p99 ${res.p99} non2xx ${res.non2xx}, API CPU ${apiCpuUs.toFixed(0)} µs/request`,
        );
        side.runs.push({ ...res, apiCpuUs });
      }
    }
  } finally {
    await Promise.all([sides.warn.proc.stop(), infoApi.stop()]);
  }
  // Every 202 the info side answered has its line in the file once the process has exited on
  // SIGTERM. The server may also have answered a few requests the load generator no longer counted
  // (in flight when a loop's time was up), so lines >= answers, by at most the connections per loop.
  const lines = countOccurrences(sides.info.logFile, `"msg":"POST ${FORGOT} 202"`);
  const warnLines = countOccurrences(sides.warn.logFile, `"msg":"POST ${FORGOT} 202"`);
  for (const side of Object.values(sides)) fs.rmSync(side.logFile, { force: true });
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
    sink: 'stdout appended to a file per API (node main.js >> FILE), read after the run',
    accessLines: lines,
    answered202: sides.info.answered202,
    accessLinesAtWarn: warnLines,
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
