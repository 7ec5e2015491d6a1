'use strict';
/*
 * CPU per access line, in one process, for the build's own logger options (pinoOptions: redaction,
 * scrubbing, ISO time) and the API's access line (accessLineWriter, or accessLogLine's fields through
 * pino in builds before it), with the request's scope fields, written to stdout through a
 * synchronous destination (pino's default, one write(2) per line) or the asynchronous one the apps
 * use (libs/observability/src/logging.ts: jsonLinesDestination, lines gathered into 32 KiB writes).
 * CPU time, not wall time, so that a busy shared machine moves it less than a req/s figure. It
 * writes 32 lines per turn of the event loop, so it cannot show what one write per turn costs a
 * process that answers one or two requests per turn (see section 9 and docs/performance.md, Round 3).
 * Run with stdout on a pipe, as in production:
 *   node bench/access-line-cost.js [DIST] [lines=50000] | cat > /dev/null        (prints to stderr)
 */
const path = require('node:path');
const dist = path.resolve(process.argv[2] || 'dist');
const n = Number(process.argv[3] || 50000);
const pino = require('pino');
const { pinoOptions, accessLogLine, accessLineWriter, jsonLinesDestination } = require(
  path.join(dist, 'libs/observability/src/logging.js'),
);

const request = {
  id: 'b3c1d0a4-6a7e-4c1e-9a53-0d7f1c2b9e11',
  method: 'POST',
  url: '/api/v1/customers/password/forgot',
  ip: '127.0.0.1',
  headers: { 'user-agent': 'autocannon' },
};

async function measure(sync) {
  // The apps' own asynchronous destination when the build has one (8 KiB writes since Round 3, 32 KiB since its access log (6)).
  const destination = sync || !jsonLinesDestination ? pino.destination({ dest: 1, sync }) : jsonLinesDestination(1);
  const logger = pino(pinoOptions({ logLevel: 'info' }, 'api'), destination);
  // The API's own writer when the build has one (one string per line since Round 3), else the fields through pino.
  const scope = { requestId: request.id };
  const write = accessLineWriter
    ? accessLineWriter(logger)
    : (req, status, ms, fields) => {
        const line = accessLogLine(req, status, ms, fields);
        logger[line.level](line.fields, line.msg);
      };
  const batch = 32; // lines per turn of the event loop, as 32 connections' responses would come
  const cpu0 = process.cpuUsage();
  for (let i = 0; i < n; i += batch) {
    for (let k = 0; k < batch; k++) write(request, 202, 3.2, scope);
    await new Promise((resolve) => setImmediate(resolve));
  }
  await new Promise((resolve) => destination.flush(resolve));
  const cpu = process.cpuUsage(cpu0);
  return (cpu.user + cpu.system) / n;
}

(async () => {
  const out = { sync: [], async: [] };
  for (let r = 0; r < 5; r++)
    for (const mode of r % 2 ? ['async', 'sync'] : ['sync', 'async']) out[mode].push(await measure(mode === 'sync'));
  const med = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
  console.error(
    `CPU per access line (${n} lines x 5 rounds, median): synchronous ${med(out.sync).toFixed(1)} µs, asynchronous ${med(out.async).toFixed(1)} µs (rounds: ${out.sync.map((x) => x.toFixed(1)).join(' ')} | ${out.async.map((x) => x.toFixed(1)).join(' ')})`,
  );
})();
