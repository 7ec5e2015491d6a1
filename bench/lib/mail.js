'use strict';
/*
 * The mail queue and the worker's emails/s at saturation, shared by section 2 (bench/run.js) and
 * section 7 (bench/lib/stores.js): jobs queued while the queue is paused, then released at once;
 * timed from the go to the last arrival at the sink; the worker's CPU (and PostgreSQL's and Redis's)
 * per delivered email.
 */
const path = require('node:path');
const { Queue } = require('bullmq');
const infra = require('./infra');

function redisOpts(url) {
  const u = new URL(url);
  return { host: u.hostname, port: Number(u.port || 6379), db: Number(u.pathname.slice(1) || 0) };
}

function mailQueue(stack) {
  // prefix: BULLMQ_PREFIX of libs/redis (hash-tagged, one Cluster slot per queue).
  return new Queue('mail', { prefix: '{customer-access}', connection: { ...redisOpts(stack.redis.url), maxRetriesPerRequest: null } });
}

/** `jobs` password-reset-requested jobs, the k-th with payload `data(k)`, through the worker at full speed. */
async function saturation(stack, sink, queue, jobs, data) {
  // From the build under test (infra.snapshotDist has run before any section starts).
  const { MAIL_JOB_OPTIONS } = require(path.join(infra.DIST, 'libs/notification/src/mail-jobs.js'));
  await queue.pause();
  await queue.addBulk(
    Array.from({ length: jobs }, (_, k) => ({
      name: 'password-reset-requested',
      data: data(k),
      // As the service adds them; the worker applies the retention (MAIL_JOB_RETENTION).
      opts: MAIL_JOB_OPTIONS,
    })),
  );
  sink.reset();
  const t0 = Date.now();
  const cpu0 = stack.worker.cpuMs();
  const redis0 = await infra.redisCpuMs();
  // The bench database's backends only: the server's other clients (another bench, tests) are not the worker's.
  const pgMeter = infra.postgresCpuMeter(stack.dbName); // per process: exiting backends keep their CPU
  await queue.resume();
  const all = await sink.waitFor(jobs, 120000);
  const workerCpuMsPerEmail = (stack.worker.cpuMs() - cpu0) / Math.max(1, sink.count);
  // For the capacity plan: what each email costs the servers behind the worker.
  const postgresCpuMsPerEmail = pgMeter.stop() / Math.max(1, sink.count);
  const redisCpuMsPerEmail = ((await infra.redisCpuMs()) - redis0) / Math.max(1, sink.count);
  let last = t0;
  for (const list of sink.arrivals.values()) for (const at of list) last = Math.max(last, at);
  return {
    jobs,
    delivered: sink.count,
    complete: all,
    seconds: (last - t0) / 1000,
    emailsPerSecond: sink.count / ((last - t0) / 1000),
    workerCpuMsPerEmail,
    postgresCpuMsPerEmail,
    redisCpuMsPerEmail,
  };
}

module.exports = { mailQueue, saturation };
