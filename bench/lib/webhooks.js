'use strict';
/*
 * Section "webhooks" of `npm run bench` (bench/run.js; issue 22, docs/performance.md):
 *   a. delivery throughput: the real worker delivering N events (their deliveries written while the
 *      webhooks queue was paused, which stops the deliverers from claiming, then released at once) to a
 *      receiver on 127.0.0.1 that answers 204, timed from the release to the last arrival; beside the anchor, raw pooled undici POSTs of exactly the requests
 *      the worker sent (bench/lib/webhook-anchor.js, a process of its own, as many in flight as
 *      WEBHOOK_CONCURRENCY), timed the same way. Target: worker >= 0.5x the anchor.
 *   b. event-to-receipt at a fixed 200 events/s: the storefront forgot route for known accounts in an
 *      open loop, each request one customer.password_reset.requested event (written by the worker in
 *      the statement that issues the token, relayed at once). Forgot, not Force Sign-In (the event
 *      the issue starts from): Force Sign-In's route (admin guard, audit row, a transaction) sustains
 *      only ~105 requests/s on 2 cores, so at 200/s it measured the route's queue, not the delivery.
 *      Latency from the event's own `timestamp` (the statement's time) to the delivery's arrival;
 *      request-to-receipt (the mail job and the token's statement included) is printed beside it.
 *      Target: p99 < 1 s, nothing lost.
 *   c. the forgot route (section 1's load: 32 connections, distinct emails, half known) with two
 *      endpoints subscribed to every event type vs none, rounds alternating (bench/lib/rounds.js),
 *      the worker running in both (the route writes no event itself: the worker does, when it issues
 *      a token, so the webhooks can only cost the route the machine's CPU they take). Target: the
 *      median of the per-round ratios >= 0.95 (the floor of the same run cancels out).
 * Production settings (NODE_ENV=production: https: only), so the receiver speaks TLS with a
 * certificate made for the run, which the service trusts through NODE_EXTRA_CA_CERTS; the allow-list
 * names 127.0.0.1 (WEBHOOK_ALLOWED_HOSTS), as a deployment would for a receiver on its own network.
 */
const { execFileSync, fork, spawn } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');
const readline = require('node:readline');
const { Queue } = require('bullmq');
const infra = require('./infra');
const adminBench = require('./admin');
const { alternatingRounds, perRoundRatios, medianRatio } = require('./rounds');
const { percentile, median, emailStream, openLoop, forgotLoop, FORGOT_PATH: FORGOT } = require('./load');
const { customerEmail } = require('./seed');
const { arrivalCounter } = require('./arrival-counter');

const ADMIN = '/api/v1/admin';
const ALL_TYPES = [
  'customer.created',
  'customer.password_reset.requested',
  'customer.password.changed',
  'customer.tokens.revoked',
  'customer.locked',
  'customer.deleted',
  'webhook.test',
];

/** A self-signed certificate for 127.0.0.1 (made once per run), and what the stack needs to use it. */
function stackEnv(benchDir) {
  const dir = path.join(benchDir, 'webhooks-tls');
  fs.mkdirSync(dir, { recursive: true });
  const key = path.join(dir, 'key.pem');
  const cert = path.join(dir, 'cert.pem');
  execFileSync(
    'openssl',
    [
      'req',
      '-x509',
      '-newkey',
      'ec',
      '-pkeyopt',
      'ec_paramgen_curve:prime256v1',
      '-nodes',
      '-keyout',
      key,
      '-out',
      cert,
      '-days',
      '2',
      '-subj',
      '/CN=127.0.0.1',
      '-addext',
      'subjectAltName=IP:127.0.0.1',
    ],
    { stdio: 'ignore' },
  );
  return { WEBHOOK_ALLOWED_HOSTS: '127.0.0.1', NODE_EXTRA_CA_CERTS: cert };
}

/** The receiver child; `hits` are [webhook-id, customerId, arrival ms, event ms] since the last reset. */
async function startReceiver(keyFile, certFile) {
  const child = fork(path.join(__dirname, 'webhook-receiver-child.js'), [keyFile, certFile], {
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const receiver = {
    child,
    port: 0,
    hits: [],
    reset() {
      this.hits = [];
    },
    waitFor: (n, timeoutMs) => counter.waitFor(n, timeoutMs),
    settle: (quietMs, timeoutMs) => counter.settle(quietMs, timeoutMs),
    capture(on) {
      child.send({ cmd: 'capture', on });
    },
    /** TLS connections the receiver accepted during the last capture (told when it is turned off). */
    connections: () =>
      new Promise((resolve) => {
        const onMessage = (m) => {
          if (m.type !== 'connections') return;
          child.off('message', onMessage);
          resolve(m.count);
        };
        child.on('message', onMessage);
      }),
    dump(file) {
      return new Promise((resolve) => {
        const onMessage = (m) => {
          if (m.type !== 'dumped') return;
          child.off('message', onMessage);
          resolve(m.count);
        };
        child.on('message', onMessage);
        child.send({ cmd: 'dump', file });
      });
    },
    lastArrival(since) {
      return this.hits.reduce((last, h) => Math.max(last, h[2]), since);
    },
    stop() {
      child.kill('SIGTERM');
    },
  };
  const counter = arrivalCounter(() => receiver.hits.length, 1000);
  child.on('message', (m) => {
    if (m.type !== 'hits') return;
    for (const h of m.items) receiver.hits.push(h);
    counter.arrived();
  });
  receiver.port = await new Promise((resolve, reject) => {
    child.once('message', (m) => (m.type === 'ready' ? resolve(m.port) : reject(new Error('webhook receiver did not start'))));
    child.once('exit', () => reject(new Error('webhook receiver exited')));
  });
  return receiver;
}

async function api(stack, jwt, method, route, body) {
  const res = await fetch(`${stack.baseUrl}${ADMIN}${route}`, {
    method,
    headers: {
      authorization: `Bearer ${jwt}`,
      accept: 'application/json',
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : null };
}

async function addEndpoint(stack, jwt, receiver, route, events) {
  const res = await api(stack, jwt, 'POST', '/webhooks', {
    url: `https://127.0.0.1:${receiver.port}${route}`,
    events,
    description: `bench ${route}`,
  });
  if (res.status !== 201) throw new Error(`webhooks: adding an endpoint answered ${res.status} ${JSON.stringify(res.body)}`);
  return res.body.id;
}

async function deleteEndpoint(stack, jwt, id) {
  const res = await api(stack, jwt, 'DELETE', `/webhooks/${id}`);
  if (res.status !== 204) throw new Error(`webhooks: deleting an endpoint answered ${res.status}`);
}

/** One live access token for each of `customerIds` (Force Sign-In revokes them and writes the event). */
async function seedAccessTokens(db, customerIds) {
  await db.query(
    `insert into access_token (id, customer_id, token_hash, created_at, expires_at)
     select gen_random_uuid(), c, encode(sha256(gen_random_uuid()::text::bytea), 'hex'), now(), now() + interval '1 day'
       from unnest($1::uuid[]) c`,
    [customerIds],
  );
}

/** Force Sign-In on each customer, `concurrency` at a time; throws unless every answer is 200. */
async function forceSignIns(stack, jwt, customerIds, concurrency = 16) {
  let next = 0;
  let failed = 0;
  let example = '';
  const lane = async () => {
    while (next < customerIds.length) {
      const res = await api(stack, jwt, 'POST', `/customers/${customerIds[next++]}/force-sign-in`);
      if (res.status !== 200) {
        failed++;
        example = `${res.status} ${JSON.stringify(res.body)}`;
      }
    }
  };
  await Promise.all(Array.from({ length: concurrency }, lane));
  if (failed) throw new Error(`webhooks: ${failed} Force Sign-In requests failed (e.g. ${example})`);
}

function webhooksQueue(stack) {
  const u = new URL(stack.redis.url);
  // QueueName.Webhooks with BULLMQ_PREFIX of libs/redis.
  return new Queue('webhooks', {
    prefix: '{customer-access}',
    connection: { host: u.hostname, port: Number(u.port || 6379), db: Number(u.pathname.slice(1) || 0), maxRetriesPerRequest: null },
  });
}

/** Deliveries waiting to be claimed (the relay writes them while the paused queue holds the deliverers back). */
async function pendingDeliveries(db) {
  return Number((await db.query(`select count(*)::int as n from webhook_delivery where status = 'pending'`)).rows[0].n);
}

/** a. The worker: N events' deliveries written behind a paused queue, released at once, timed to the last arrival. */
async function workerRun(ctx, customerIds) {
  const { stack, receiver, queue, db } = ctx;
  await seedAccessTokens(db, customerIds);
  await queue.pause();
  try {
    // The deliverers read the paused flag at each poll (250 ms): let them see it before events come.
    await new Promise((resolve) => setTimeout(resolve, 600));
    await forceSignIns(stack, ctx.jwt, customerIds);
    await infra.waitUntil('the deliveries written', null, 30000, async () => (await pendingDeliveries(db)) >= customerIds.length);
  } catch (error) {
    await queue.resume();
    throw error;
  }
  receiver.reset();
  receiver.capture(true);
  const xacts0 = await committed(db, stack.dbName);
  const updates0 = await deliveryUpdates(db);
  const cpu0 = stack.worker.cpuMs();
  const pg0 = infra.postgresCpuMs(stack.dbName);
  const receiver0 = infra.cpuMsOf(receiver.child.pid);
  const t0 = Date.now();
  await queue.resume();
  const complete = await receiver.waitFor(customerIds.length, 120000);
  const workerCpuMs = stack.worker.cpuMs() - cpu0;
  // The bench database's backends (the claims, the outcomes; the bench's own reads are a few) and
  // the receiver: with the worker, what the 2 cores pay per delivered event.
  const pgCpuMs = infra.postgresCpuMs(stack.dbName) - pg0;
  const receiverCpuMs = infra.cpuMsOf(receiver.child.pid) - receiver0;
  // PostgreSQL reports a backend's counts within a second; this one's own reads count too (2 of them).
  await new Promise((resolve) => setTimeout(resolve, 1200));
  const xacts = (await committed(db, stack.dbName)) - xacts0 - 2;
  const updates1 = await deliveryUpdates(db);
  const connections = receiver.connections();
  receiver.capture(false);
  const tlsConnections = await connections;
  const n = receiver.hits.length;
  const seconds = (receiver.lastArrival(t0) - t0) / 1000;
  const firstMs = receiver.hits.reduce((first, h) => Math.min(first, h[2]), Infinity) - t0;
  return {
    firstMs,
    events: customerIds.length,
    delivered: n,
    complete,
    seconds,
    eventsPerSecond: n / seconds,
    workerCpuMsPerEvent: workerCpuMs / Math.max(1, n),
    pgXactsPerEvent: xacts / Math.max(1, n),
    pgCpuMsPerEvent: pgCpuMs / Math.max(1, n),
    receiverCpuMsPerEvent: receiverCpuMs / Math.max(1, n),
    tlsConnections,
    updatesPerEvent: (updates1.upd - updates0.upd) / Math.max(1, n),
    hotShare: (updates1.hot - updates0.hot) / Math.max(1, updates1.upd - updates0.upd),
  };
}

/** webhook_delivery's row updates so far, and how many of them were HOT (no index entry written). */
async function deliveryUpdates(db) {
  await db.query('select pg_stat_clear_snapshot()');
  const { rows } = await db.query(
    `select n_tup_upd::float8 as upd, n_tup_hot_upd::float8 as hot from pg_stat_user_tables where relname = 'webhook_delivery'`,
  );
  return { upd: Number(rows[0].upd), hot: Number(rows[0].hot) };
}

/** Transactions committed in the bench database so far (every autocommit statement is one). */
async function committed(db, dbName) {
  await db.query('select pg_stat_clear_snapshot()');
  const { rows } = await db.query('select xact_commit::float8 as n from pg_stat_database where datname = $1', [dbName]);
  return Number(rows[0].n);
}

/** a. The anchor: the requests the worker just sent, replayed by raw pooled undici from its own process. */
async function anchorRun(ctx, inFlight) {
  const { receiver } = ctx;
  const file = path.join(ctx.benchDir, 'webhooks-captured.json');
  const count = await receiver.dump(file);
  const child = spawn(
    process.execPath,
    [path.join(__dirname, 'webhook-anchor.js'), String(receiver.port), file, String(inFlight), ctx.certFile],
    {
      stdio: ['pipe', 'pipe', 'inherit'],
    },
  );
  const lines = readline.createInterface({ input: child.stdout })[Symbol.asyncIterator]();
  const nextLine = async () => {
    const { value, done } = await lines.next();
    if (done) throw new Error(`webhook anchor exited (${child.exitCode ?? 'no code yet'})`);
    return value;
  };
  if ((await nextLine()) !== 'ready') throw new Error('webhook anchor did not start');
  await receiver.settle(300, 5000);
  receiver.reset();
  const t0 = Date.now();
  child.stdin.write('go\n');
  const own = JSON.parse(await nextLine());
  await receiver.waitFor(count, 120000);
  child.stdin.end();
  const seconds = (receiver.lastArrival(t0) - t0) / 1000;
  return {
    requests: count,
    delivered: receiver.hits.length,
    failed: own.failed,
    seconds,
    eventsPerSecond: receiver.hits.length / seconds,
    cpuMsPerRequest: own.cpuMsPerRequest,
  };
}

/** b. forgot for known accounts at a fixed rate (`indexes`: seeded customers, one request each); event-to-receipt latencies. */
async function latencyRun(ctx, ids, indexes, rate, durationS) {
  const { stack, receiver } = ctx;
  receiver.reset();
  let k = 0;
  const res = await openLoop({
    baseUrl: stack.baseUrl,
    path: FORGOT,
    rate,
    durationS,
    next: () => {
      const i = indexes[k++];
      return { body: { email: customerEmail(i) }, meta: { id: ids[i] } };
    },
  });
  await receiver.waitFor(res.ok, 30000);
  const arrivals = new Map(receiver.hits.map((h) => [h[1], h]));
  const requestToReceipt = [];
  const eventToReceipt = [];
  let missing = 0;
  for (const r of res.records) {
    if (!(r.status >= 200 && r.status < 300)) continue;
    const hit = arrivals.get(r.meta.id);
    if (!hit) {
      missing++;
      continue;
    }
    requestToReceipt.push(hit[2] - r.sentAt);
    if (Number.isFinite(hit[3])) eventToReceipt.push(hit[2] - hit[3]);
  }
  return {
    sent: res.sent,
    ok: res.ok,
    achievedRate: res.achievedRate,
    httpP99: res.p99,
    p50: percentile(eventToReceipt, 50),
    p99: percentile(eventToReceipt, 99),
    max: eventToReceipt.length ? Math.max(...eventToReceipt) : null,
    requestP99: percentile(requestToReceipt, 99),
    missing: missing + (res.sent - res.ok),
  };
}

/**
 * The start of a forgot round (parts c and cpu): `endpoints` endpoints subscribed to everything (the
 * previous round's removed), and what the previous round left queued dropped, so that each round
 * starts from the same state.
 */
async function startRound(ctx, endpoints, mailQueue) {
  const { stack, receiver, queue } = ctx;
  for (const id of ctx.subscribed.splice(0)) await deleteEndpoint(stack, ctx.jwt, id);
  for (let i = 0; i < endpoints; i++) ctx.subscribed.push(await addEndpoint(stack, ctx.jwt, receiver, `/everything-${i + 1}`, ALL_TYPES));
  for (const q of [mailQueue, queue]) {
    await q.pause();
    await q.drain(true);
    await q.resume();
  }
}

/** c. The forgot route with `endpoints` endpoints subscribed to everything; both queues start empty. */
async function forgotRun(ctx, opt, endpoints, round, mailQueue) {
  const { stack, receiver } = ctx;
  await startRound(ctx, endpoints, mailQueue);
  const load = (seed, durationS) =>
    forgotLoop({ baseUrl: stack.baseUrl, seed, customers: opt.customers, connections: opt.connections, durationS });
  if (opt.warmup > 0) await load(`webhooks-${endpoints}-${round}w`, opt.warmup);
  receiver.reset();
  const meter = cpuMeter(ctx);
  const res = await load(`webhooks-${endpoints}-${round}`, opt.duration);
  const cpuMsPerRequest = await meter.perRequest(res.requests);
  return { ...res, deliveries: receiver.hits.length, workerCpuS: (cpuMsPerRequest.worker * res.requests) / 1000, cpuMsPerRequest };
}

/**
 * Each process's CPU from now to `perRequest(n)`, per request: where the endpoints' extra cost goes.
 * Redis is the machine's shared server (other clients' commands count too): indicative only; `load`
 * is the bench process (the load generator).
 */
function cpuMeter({ stack, receiver, db }) {
  const pg = infra.postgresCpuMeter(stack.dbName);
  const xacts0 = committed(db, stack.dbName).catch(() => NaN); // read only when asked for
  const redis0 = infra.redisCpuMs();
  const cpu0 = {
    api: stack.api.cpuMs(),
    worker: stack.worker.cpuMs(),
    receiver: infra.cpuMsOf(receiver.child.pid),
    load: process.cpuUsage(),
  };
  return {
    /** With `countTransactions`, also the bench database's committed transactions per request (waits 1.2 s for them). */
    async perRequest(requests, countTransactions = false) {
      const n = Math.max(1, requests);
      const loadUsage = process.cpuUsage(cpu0.load);
      const c = {
        api: (stack.api.cpuMs() - cpu0.api) / n,
        worker: (stack.worker.cpuMs() - cpu0.worker) / n,
        postgres: pg.stop() / n,
        receiver: (infra.cpuMsOf(receiver.child.pid) - cpu0.receiver) / n,
        load: (loadUsage.user + loadUsage.system) / 1000 / n,
      };
      c.redis = ((await infra.redisCpuMs()) - (await redis0)) / n;
      c.total = c.api + c.worker + c.postgres + c.receiver + c.redis;
      if (countTransactions) {
        // PostgreSQL reports a backend's counts within a second (the bench's own two reads count too).
        await new Promise((resolve) => setTimeout(resolve, 1200));
        c.transactions = ((await committed(db, stack.dbName)) - (await xacts0) - 2) / n;
      }
      return c;
    },
  };
}

/** Waits until `queue` has no job waiting, active or delayed. */
async function drained(queue, timeoutMs) {
  await infra.waitUntil(`the ${queue.name} queue drained`, null, timeoutMs, async () => {
    const c = await queue.getJobCounts('waiting', 'active', 'delayed', 'prioritized');
    return c.waiting + c.active + c.delayed + c.prioritized === 0;
  });
}

/**
 * BENCH_WEBHOOK_PARTS=cpu: the forgot route's load (distinct emails, half known) at a fixed rate
 * (BENCH_WEBHOOK_CPU_RATE, below what the worker's mail keeps up with, so both modes do the same
 * work), 2 endpoints subscribed to everything vs none, alternating; each process's CPU per request,
 * counted until the mail queue has drained and the receiver has then been quiet 500 ms (the whole
 * round's tokens and deliveries, however far the worker fell behind).
 */
async function cpuPart(ctx, opt, log, mailQueue) {
  const runs = await alternatingRounds(opt.rounds, [0, 2], async (endpoints, round) => {
    const { stack, receiver } = ctx;
    await startRound(ctx, endpoints, mailQueue);
    const load = (seed, durationS) => {
      const s = emailStream(seed, opt.customers);
      return openLoop({ baseUrl: stack.baseUrl, path: FORGOT, rate: opt.cpuRate, durationS, next: () => ({ body: { email: s().email } }) });
    };
    if (opt.warmup > 0) await load(`webhooks-cpu-${endpoints}-${round}w`, opt.warmup);
    await receiver.settle(500, 10000);
    receiver.reset();
    const meter = cpuMeter(ctx);
    const res = await load(`webhooks-cpu-${endpoints}-${round}`, opt.duration);
    // The whole round's work: the mail jobs it queued all done (their tokens, events, deliveries), then the deliveries' tail.
    await drained(mailQueue, 120000);
    await receiver.settle(500, 10000);
    const c = await meter.perRequest(res.ok, true);
    log(
      `webhooks forgot at ${opt.cpuRate}/s with ${endpoints} endpoint(s) round ${round}: ${res.ok}/${res.sent} ok, ${receiver.hits.length} deliveries; CPU ms/request: ${cpuLine(c)}, total ${c.total.toFixed(3)}; PostgreSQL transactions/request ${c.transactions.toFixed(3)}`,
    );
    return { ...c, deliveries: receiver.hits.length, requests: res.ok };
  });
  for (const id of ctx.subscribed.splice(0)) await deleteEndpoint(ctx.stack, ctx.jwt, id);
  const med = (list) => Object.fromEntries([...CPU_PARTS, 'total', 'transactions'].map((k) => [k, median(list.map((x) => x[k]))]));
  return {
    cpuRate: opt.cpuRate,
    cpuNone: med(runs[0]),
    cpuTwo: med(runs[2]),
    cpuTotalPerRound: [runs[0].map((x) => x.total), runs[2].map((x) => x.total)],
    cpuDeliveriesPerRequest: median(runs[2].map((x) => x.deliveries / Math.max(1, x.requests))),
  };
}

const CPU_PARTS = ['api', 'worker', 'postgres', 'redis', 'receiver', 'load'];
const cpuLine = (c) => CPU_PARTS.map((k) => `${k} ${c[k].toFixed(3)}`).join(', ');

/** c. forgot with 2 endpoints subscribed to everything vs none, alternating. */
async function forgotPart(ctx, opt, log, mailQueue) {
  const { stack } = ctx;
  // c. forgot with 2 endpoints subscribed to everything vs none, alternating
  const forgot = await alternatingRounds(opt.forgotRounds ?? opt.rounds, [0, 2], async (endpoints, r) => {
    const res = await forgotRun(ctx, opt, endpoints, r, mailQueue);
    log(
      `webhooks forgot with ${endpoints} endpoint(s) round ${r}: ${res.rps} req/s p50 ${res.p50} p99 ${res.p99} non2xx ${res.non2xx}, ${res.deliveries} deliveries received, worker CPU ${res.workerCpuS.toFixed(1)} s; CPU ms/request: ${cpuLine(res.cpuMsPerRequest)}`,
    );
    return res;
  });
  for (const id of ctx.subscribed.splice(0)) await deleteEndpoint(stack, ctx.jwt, id);

  const summary = (runs) => ({
    rps: median(runs.map((x) => x.rps)),
    p50: median(runs.map((x) => x.p50)),
    p99: median(runs.map((x) => x.p99)),
    non2xx: runs.reduce((s, x) => s + x.non2xx + x.errors + x.timeouts, 0),
    deliveries: median(runs.map((x) => x.deliveries)),
    rpsPerRound: runs.map((x) => x.rps),
    cpuMsPerRequest: Object.fromEntries(CPU_PARTS.map((k) => [k, median(runs.map((x) => x.cpuMsPerRequest[k]))])),
  });
  return {
    forgotNone: summary(forgot[0]),
    forgotTwo: summary(forgot[2]),
    forgotTwoVsNone: medianRatio(forgot[0], forgot[2]),
    forgotTwoVsNonePerRound: perRoundRatios(forgot[0], forgot[2]),
  };
}

/**
 * The section. `opt`: rounds, duration, warmup, connections, customers, rate, events (per throughput
 * round), concurrency (the worker's WEBHOOK_CONCURRENCY), benchDir; `ids`: the seeded customers.
 */
async function sectionWebhooks(stack, opt, log, { ids, mailQueue }) {
  const certFile = stack.env.NODE_EXTRA_CA_CERTS;
  const receiver = await startReceiver(path.join(path.dirname(certFile), 'key.pem'), certFile);
  const db = await infra.pgConnect(stack.dbName);
  const queue = webhooksQueue(stack);
  const ctx = { stack, receiver, db, queue, certFile, benchDir: opt.benchDir, subscribed: [] };
  try {
    const admins = await adminBench.seedAdmins(stack, db, 1, 'bench-webhooks-admin');
    ctx.jwt = (await adminBench.totpOverHttp(stack, admins)).jwt;
    // Customers of their own (the last ones seeded): the throughput rounds reuse theirs with fresh
    // tokens; each latency round has its own, so that a request of the previous round the API was
    // still serving cannot revoke a token seeded for the next.
    const perRound = Math.ceil(opt.rate * opt.duration);
    const warm = Math.ceil(opt.rate * 2);
    const pool = ids.slice(ids.length - opt.events);
    const latencyFirst = ids.length - opt.events - warm - opt.rounds * perRound;
    const latencyPool = Array.from({ length: warm + opt.rounds * perRound }, (_, k) => latencyFirst + k);

    if (opt.forgotOnly) return { forgotOnly: true, ...(await forgotPart(ctx, opt, log, mailQueue)) };
    if (opt.cpuOnly) return { cpuOnly: true, ...(await cpuPart(ctx, opt, log, mailQueue)) };

    // a. throughput, worker then anchor in each round
    const only = await addEndpoint(stack, ctx.jwt, receiver, '/throughput', ['customer.tokens.revoked']);
    await workerRun(ctx, pool.slice(0, Math.min(500, opt.events))); // warm-up
    await receiver.settle(500, 10000);
    const throughput = [];
    for (let r = 1; r <= opt.rounds; r++) {
      const worker = await workerRun(ctx, pool.slice(0, opt.events));
      await receiver.settle(500, 10000);
      const anchor = await anchorRun(ctx, opt.concurrency);
      await receiver.settle(500, 10000);
      const ratio = worker.eventsPerSecond / anchor.eventsPerSecond;
      log(
        `webhooks throughput round ${r}: worker ${worker.eventsPerSecond.toFixed(0)} events/s (${worker.delivered}/${worker.events} in ${worker.seconds.toFixed(2)} s, the first at +${worker.firstMs} ms, CPU ${worker.workerCpuMsPerEvent.toFixed(2)} ms/event, ${worker.pgXactsPerEvent.toFixed(3)} PostgreSQL transactions/event, PostgreSQL CPU ${worker.pgCpuMsPerEvent.toFixed(3)} ms/event, receiver CPU ${worker.receiverCpuMsPerEvent.toFixed(3)} ms/event, ${worker.tlsConnections} TLS connections, ${worker.updatesPerEvent.toFixed(2)} row updates/event, ${(worker.hotShare * 100).toFixed(0)} % HOT) vs raw undici ${anchor.eventsPerSecond.toFixed(0)}/s (CPU ${anchor.cpuMsPerRequest.toFixed(2)} ms/request) -> x${ratio.toFixed(2)}`,
      );
      throughput.push({ worker, anchor, ratio });
    }

    await deleteEndpoint(stack, ctx.jwt, only);
    const throughputFigures = {
      concurrency: opt.concurrency,
      events: opt.events,
      workerEventsPerSecond: median(throughput.map((t) => t.worker.eventsPerSecond)),
      workerCpuMsPerEvent: median(throughput.map((t) => t.worker.workerCpuMsPerEvent)),
      workerPgXactsPerEvent: median(throughput.map((t) => t.worker.pgXactsPerEvent)),
      workerPgCpuMsPerEvent: median(throughput.map((t) => t.worker.pgCpuMsPerEvent)),
      anchorEventsPerSecond: median(throughput.map((t) => t.anchor.eventsPerSecond)),
      anchorCpuMsPerRequest: median(throughput.map((t) => t.anchor.cpuMsPerRequest)),
      workerVsAnchor: median(throughput.map((t) => t.ratio)),
      workerVsAnchorPerRound: throughput.map((t) => Math.round(t.ratio * 100) / 100),
      workerCpuMsPerEventPerRound: throughput.map((t) => Math.round(t.worker.workerCpuMsPerEvent * 1000) / 1000),
      lost: throughput.reduce((s, t) => s + (t.worker.events - t.worker.delivered), 0),
    };
    // BENCH_WEBHOOK_PARTS=throughput: part a only (A/B of the deliverer's CPU per event).
    if (opt.throughputOnly) return { ...throughputFigures, throughputOnly: true };

    // b. event-to-receipt at a fixed rate: forgot for known accounts, customer.password_reset.requested
    const requested = await addEndpoint(stack, ctx.jwt, receiver, '/latency', ['customer.password_reset.requested']);
    const latency = [];
    await latencyRun(ctx, ids, latencyPool.slice(0, warm), opt.rate, 2); // warm-up
    await receiver.settle(500, 10000);
    for (let r = 1; r <= opt.rounds; r++) {
      const from = warm + (r - 1) * perRound;
      const res = await latencyRun(ctx, ids, latencyPool.slice(from, from + perRound), opt.rate, opt.duration);
      await receiver.settle(500, 10000);
      log(
        `webhooks forgot -> password_reset.requested received at ${opt.rate}/s round ${r}: event -> receipt p50 ${res.p50?.toFixed(1)} p99 ${res.p99?.toFixed(1)} max ${res.max?.toFixed(1)} ms (request -> receipt p99 ${res.requestP99?.toFixed(1)}), HTTP p99 ${res.httpP99?.toFixed(1)}, missing ${res.missing}, rate ${res.achievedRate.toFixed(0)}/s`,
      );
      latency.push(res);
    }
    await deleteEndpoint(stack, ctx.jwt, requested);

    return {
      ...throughputFigures,
      rate: opt.rate,
      durationS: opt.duration,
      receiptP50: median(latency.map((x) => x.p50)),
      receiptP99: median(latency.map((x) => x.p99)),
      receiptP99PerRound: latency.map((x) => (x.p99 === null ? '-' : Math.round(x.p99 * 10) / 10)),
      requestToReceiptP99: median(latency.map((x) => x.requestP99)),
      receiptMissing: latency.reduce((s, x) => s + x.missing, 0),
      ...(await forgotPart(ctx, opt, log, mailQueue)),
    };
  } finally {
    for (const id of ctx.subscribed) await deleteEndpoint(stack, ctx.jwt, id).catch(() => undefined);
    await queue.resume().catch(() => undefined);
    await queue.close();
    await db.end();
    receiver.stop();
  }
}

/** The section's lines of the printed report. */
function render(w, fmt, verdict) {
  if (w.cpuOnly) {
    return [
      `10. webhooks, CPU per forgot request at ${w.cpuRate}/s (BENCH_WEBHOOK_PARTS=cpu), medians of rounds`,
      `   no endpoint:      ${cpuLine(w.cpuNone)}, total ${w.cpuNone.total.toFixed(3)}; PostgreSQL transactions/request ${w.cpuNone.transactions.toFixed(3)}`,
      `   2 endpoints, all: ${cpuLine(w.cpuTwo)}, total ${w.cpuTwo.total.toFixed(3)}; PostgreSQL transactions/request ${w.cpuTwo.transactions.toFixed(3)} (${w.cpuDeliveriesPerRequest.toFixed(2)} deliveries/request)`,
      `   2 endpoints - none, total: ${(w.cpuTwo.total - w.cpuNone.total).toFixed(3)} ms/request; per round ${w.cpuTotalPerRound[0].map((x) => x.toFixed(3)).join(' ')} / ${w.cpuTotalPerRound[1].map((x) => x.toFixed(3)).join(' ')}`,
    ];
  }
  const forgot = [
    ...[
      ['no endpoint', w.forgotNone],
      ['2 endpoints, all', w.forgotTwo],
    ].map(
      ([label, r]) =>
        `   forgot, ${label.padEnd(17)}${fmt(r.rps, 0).padStart(7)} req/s  p50 ${r.p50}  p99 ${r.p99}  non2xx ${r.non2xx}  deliveries ${fmt(r.deliveries, 0)}; per round ${r.rpsPerRound.map((x) => x.toFixed(0)).join(' ')}; CPU ms/request (median of rounds) ${cpuLine(r.cpuMsPerRequest)}`,
    ),
    `   forgot, 2 endpoints vs none: x${fmt(w.forgotTwoVsNone, 3)} (median of rounds; target >= 0.95: ${verdict(w.forgotTwoVsNone >= 0.95)}); per round ${w.forgotTwoVsNonePerRound.join(' ')}`,
  ];
  if (w.forgotOnly) return ['10. webhooks, part c only (BENCH_WEBHOOK_PARTS=forgot)', ...forgot];
  const throughput = [
    `10. webhooks: ${w.events} events per throughput round (WEBHOOK_CONCURRENCY ${w.concurrency}), a receiver on 127.0.0.1 (HTTPS) answering 204`,
    `   worker: ${fmt(w.workerEventsPerSecond, 0)} events/s, CPU ${fmt(w.workerCpuMsPerEvent, 2)} ms/event; raw pooled undici, same requests, own process: ${fmt(w.anchorEventsPerSecond, 0)}/s, CPU ${fmt(w.anchorCpuMsPerRequest, 2)} ms/request; lost ${w.lost}`,
    `   worker vs raw undici: x${fmt(w.workerVsAnchor, 2)} (target >= 0.5: ${verdict(w.workerVsAnchor >= 0.5)}); per round ${w.workerVsAnchorPerRound.join(' ')}; worker CPU ms/event per round ${(w.workerCpuMsPerEventPerRound ?? []).join(' ')}; PostgreSQL transactions per event ${fmt(w.workerPgXactsPerEvent, 3)}, PostgreSQL CPU ms/event ${fmt(w.workerPgCpuMsPerEvent, 3)}`,
  ];
  if (w.throughputOnly) return throughput;
  return [
    ...throughput,
    `   forgot (known accounts) at ${w.rate}/s for ${w.durationS} s, customer.password_reset.requested: event timestamp -> delivery received p50 ${fmt(w.receiptP50)} p99 ${fmt(w.receiptP99)} (target p99 < 1000: ${verdict(w.receiptP99 !== null && w.receiptP99 < 1000 && w.receiptMissing === 0)}); request -> receipt p99 ${fmt(w.requestToReceiptP99)}; per round p99 ${w.receiptP99PerRound.join(' ')}; missing ${w.receiptMissing}`,
    ...forgot,
  ];
}

/** The section's rows of the targets table. */
function targets(w, fmt) {
  if (w.cpuOnly) return [];
  const forgot = ['forgot req/s with 2 endpoints >= 0.95x none', `x${fmt(w.forgotTwoVsNone, 3)}`, w.forgotTwoVsNone >= 0.95];
  if (w.forgotOnly) return [forgot];
  const throughput = [
    'webhook worker events/s >= 0.5x raw pooled undici',
    `x${fmt(w.workerVsAnchor, 2)} (CPU ${fmt(w.workerCpuMsPerEvent, 2)} ms/event)`,
    w.workerVsAnchor >= 0.5,
  ];
  if (w.throughputOnly) return [throughput];
  return [
    throughput,
    [
      'event-to-receipt p99 < 1 s at 200 events/s',
      `${fmt(w.receiptP99, 0)} ms, ${w.receiptMissing} lost`,
      w.receiptP99 !== null && w.receiptP99 < 1000 && w.receiptMissing === 0,
    ],
    forgot,
  ];
}

module.exports = { stackEnv, sectionWebhooks, render, targets };
