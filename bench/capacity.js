'use strict';
/*
 * npm run bench -- capacity [options]
 *
 * Capacity figures for issue 11, measured, not estimated. Not a test, not in CI.
 *   1. PostgreSQL: seeds, with COPY, --customers customers and --rows rows (default: one per customer)
 *      of every table that grows (password_reset_token, email_log, outbox_message, access_token,
 *      admin_audit_event), shaped like the rows the service writes; VACUUM ANALYZE; then per table:
 *      rows, heap (pg_relation_size), indexes (pg_indexes_size), total (pg_total_relation_size),
 *      and each per row.
 *   2. Redis, through the real API (no worker, so every job stays queued): --requests distinct forgot
 *      requests (50 % known customers, each from its own client IP via X-Forwarded-For, under the
 *      default protection "ip_and_email" with the minimum gap on and an hourly cap too high to refuse),
 *      so that each request makes all four throttle counters and one job. Reports used_memory before
 *      and after, keys by kind, MEMORY USAGE of every key, the TTLs, and what deleting each kind frees.
 *   3. Then starts the worker (SMTP sink of its own, retention off) for --complete-jobs more requests
 *      and measures the completed jobs BullMQ keeps (MAIL_JOB_RETENTION in libs/notification/src/mail-jobs.ts, applied by the worker).
 * Prints a Markdown table; the JSON goes to .bench/capacity-<time>.json. The database is dropped and
 * the Redis index flushed at the end (--keep-db keeps the database).
 *
 * Options: --customers 1000000 --rows (= customers) --requests 20000 --complete-jobs 2000 --concurrency 16
 * Everything talks to 127.0.0.1 only; each load is bounded in count and time.
 *
 * Redis's used_memory is the whole server's: another bench using other database indexes at the same
 * time moves it too. MEMORY USAGE per key is exact for our keys; the used_memory deltas are shown
 * beside the key-count change of the other indexes, so the reader can tell whether they are clean.
 */
const { createHash, randomUUID } = require('node:crypto');
const fs = require('node:fs');
const http = require('node:http');
const path = require('node:path');
const { Readable } = require('node:stream');
const { pipeline } = require('node:stream/promises');
const { parseArgs } = require('node:util');
const { Queue } = require('bullmq');
const Redis = require('ioredis');
const { from: copyFrom } = require('pg-copy-streams');
const infra = require('./lib/infra');

const { values: cli } = parseArgs({
  args: process.argv.slice(2).filter((a) => a !== 'capacity'),
  options: {
    customers: { type: 'string' },
    rows: { type: 'string' },
    requests: { type: 'string' },
    'complete-jobs': { type: 'string' },
    concurrency: { type: 'string' },
    'keep-db': { type: 'boolean' },
  },
});
const opt = {
  customers: Number(cli.customers ?? 1_000_000),
  rows: Number(cli.rows ?? cli.customers ?? 1_000_000),
  requests: Number(cli.requests ?? 20_000),
  completeJobs: Number(cli['complete-jobs'] ?? 2000),
  concurrency: Number(cli.concurrency ?? 16),
  keepDb: Boolean(cli['keep-db']),
};
const THROTTLE_PREFIX = '{customer-access:throttle}:'; // THROTTLE_KEY_PREFIX, libs/redis/src/key-layout.ts
const QUEUE_PREFIX = '{customer-access}:mail:'; // BULLMQ_PREFIX of libs/redis + queue name
// The store's default protection (docs/api.md, Settings), with the hourly cap raised so that nothing is refused:
// every request then makes all four counters (IP and email, hour and gap), as distinct clients would.
const SETTINGS = { resetProtectionType: 'ip_and_email', maxResetRequestsPerHour: 100_000_000, minSecondsBetweenResetRequests: 600 };
const SEND_DEADLINE_MS = 180_000;
const TABLES = ['customer', 'password_reset_token', 'email_log', 'outbox_message', 'access_token', 'admin_audit_event'];
const ADMIN_IDS = [randomUUID(), randomUUID(), randomUUID(), randomUUID()];
const log = (...a) => console.error(`[capacity ${new Date().toISOString().slice(11, 19)}]`, ...a);
const sha256hex = (s) => createHash('sha256').update(s, 'utf8').digest('hex');
const round1 = (x) => (x === null || x === undefined || Number.isNaN(x) ? null : Math.round(x * 10) / 10);

infra.snapshotDist();
const seed = require('./lib/seed');
const { emailStream, FORGOT_PATH: FORGOT } = require('./lib/load');
const { startSink } = require('./lib/sink');
const { MAIL_JOB_OPTIONS, MAIL_JOB_RETENTION } = require(path.join(infra.DIST, 'libs/notification/src/mail-jobs.js'));

// ---------------------------------------------------------------- 1. PostgreSQL rows

/** Streams `count` COPY text lines made by `line(i)`, 10,000 rows a chunk. */
async function copy(db, sql, count, line) {
  const CHUNK = 10_000;
  async function* chunks() {
    for (let start = 0; start < count; start += CHUNK) {
      let s = '';
      for (let i = start; i < Math.min(count, start + CHUNK); i++) s += line(i);
      yield s;
    }
  }
  await pipeline(Readable.from(chunks()), db.query(copyFrom(sql)));
}

/** Postfix-style queue id, as in "250 2.0.0 Ok: queued as 4ZkQ1r2XbJz9Tq" (the entity's example answer). */
const queueIdOf = (i) =>
  createHash('sha256')
    .update(`q${i}`)
    .digest('base64')
    .replace(/[^A-Za-z0-9]/g, '')
    .slice(0, 14);

/**
 * Rows shaped like the service's own, spread over the last `spanS` seconds: NULLs where the service
 * leaves them NULL (the null bitmap and missing fields are part of a row's size).
 */
async function seedTables(db) {
  const t0 = Date.now();
  const { ids, ms } = await seed.seedCustomers(db, opt.customers);
  log(`customers: ${opt.customers} in ${Math.round((ms.customers + ms.vacuum) / 1000)} s`);
  const n = opt.rows;
  const now = Date.now();
  const H = 3600e3;
  const iso = (t) => new Date(t).toISOString();
  // Requests over the last day, in the order they happened, each at its own millisecond: repeated
  // timestamps would let B-tree deduplication shrink the timestamp indexes below what real rows
  // (microsecond times, all distinct) take, and rows written newest-first would split the
  // indexes' pages half-empty, where a live table only ever appends to their right edge.
  const at = (i) => now - 86_400e3 + Math.floor((i * 86_400e3) / n);
  const tokenIds = new Array(n);
  for (let i = 0; i < n; i++) tokenIds[i] = randomUUID();
  const timed = async (table, fn) => {
    const t = Date.now();
    await fn();
    log(`${table}: ${n} rows in ${Math.round((Date.now() - t) / 1000)} s`);
  };

  // A reset link: valid 24 h; a third used, a third superseded by a newer one, a third open.
  await timed('password_reset_token', () =>
    copy(
      db,
      'COPY password_reset_token (id, customer_id, token_hash, origin, created_at, expires_at, used_at, superseded_at) FROM STDIN',
      n,
      (i) => {
        const c = at(i);
        const used = i % 3 === 0 ? iso(c + 300e3) : '\\N';
        const superseded = i % 3 === 1 ? iso(c + 900e3) : i % 3 === 0 ? iso(c + 300e3) : '\\N';
        return `${tokenIds[i]}\t${ids[i % ids.length]}\t${seed.hashToken(`reset-${i}`)}\t${i % 20 === 0 ? 'admin' : 'storefront'}\t${iso(c)}\t${iso(c + 24 * H)}\t${used}\t${superseded}\n`;
      },
    ),
  );
  // A sent reset email, as the worker records it (email-log.repository.ts recordAttempt): nodemailer's
  // Message-ID (<uuid@domain of MAIL_FROM>) and the mail server's answer; no error.
  await timed('email_log', () =>
    copy(
      db,
      'COPY email_log (id, customer_id, template, origin, locale, status, attempts, requested_at, sent_at, message_id, smtp_response, last_error, reset_token_id, updated_at) FROM STDIN',
      n,
      (i) => {
        const c = at(i);
        return `${randomUUID()}\t${ids[i % ids.length]}\tpassword-reset\tstorefront\t${i % 10 === 0 ? 'zh-CN' : 'en'}\tsent\t1\t${iso(c)}\t${iso(c + 400)}\t<${randomUUID()}@shop.test>\t250 2.0.0 Ok: queued as ${queueIdOf(i)}\t\\N\t${tokenIds[i]}\t${iso(c + 400)}\n`;
      },
    ),
  );
  // The confirmation after a completed reset, relayed (a pending one differs only by a NULL relayed_at).
  await timed('outbox_message', () =>
    copy(db, 'COPY outbox_message (id, job_name, payload, created_at, relayed_at) FROM STDIN', n, (i) => {
      const c = at(i);
      return `${randomUUID()}\tpassword-changed\t{"customerId": "${ids[i % ids.length]}"}\t${iso(c)}\t${iso(c + 50)}\n`;
    }),
  );
  // A sign-in's token: 1 h; one in ten revoked (sign-out, Force Sign-In, a reset).
  await timed('access_token', () =>
    copy(db, 'COPY access_token (id, customer_id, token_hash, created_at, expires_at, revoked_at) FROM STDIN', n, (i) => {
      const c = at(i);
      return `${randomUUID()}\t${ids[i % ids.length]}\t${sha256hex(`access-${i}`)}\t${iso(c)}\t${iso(c + H)}\t${i % 10 === 0 ? iso(c + H / 2) : '\\N'}\n`;
    }),
  );
  // Admin actions on customers: reset links sent ({} details) and Force Sign-In ({"revoked": n}).
  await timed('admin_audit_event', () =>
    copy(db, 'COPY admin_audit_event (admin_id, admin_email, action, customer_id, client_ip, details, created_at) FROM STDIN', n, (i) => {
      const force = i % 4 === 0;
      return `${ADMIN_IDS[i % 4]}\tsupport-${i % 4}@shop.test\t${force ? 'customer.force_sign_in' : 'customer.password_reset_sent'}\t${ids[i % ids.length]}\t203.0.113.${i % 250}\t${force ? `{"revoked": ${1 + (i % 3)}}` : '{}'}\t${iso(at(i))}\n`;
    }),
  );
  const tv = Date.now();
  for (const table of TABLES.slice(1)) await db.query(`VACUUM ANALYZE ${table}`);
  await db.query('CHECKPOINT').catch(() => undefined);
  log(`VACUUM ANALYZE in ${Math.round((Date.now() - tv) / 1000)} s; seeding took ${Math.round((Date.now() - t0) / 1000)} s`);
  await db.query(
    `INSERT INTO settings (id, values, updated_at) VALUES (1, $1::jsonb, now())
     ON CONFLICT (id) DO UPDATE SET values = EXCLUDED.values, updated_at = now()`,
    [JSON.stringify(SETTINGS)],
  );
}

async function tableSizes(db) {
  const out = [];
  for (const table of TABLES) {
    const { rows } = await db.query(
      `select (select count(*) from ${table})::bigint as rows,
              pg_relation_size($1::regclass) as heap, pg_table_size($1::regclass) as table_all,
              pg_indexes_size($1::regclass) as indexes, pg_total_relation_size($1::regclass) as total`,
      [table],
    );
    const idx = await db.query(
      `select i.indexrelid::regclass::text as name, pg_relation_size(i.indexrelid) as bytes
       from pg_index i where i.indrelid = $1::regclass order by 1`,
      [table],
    );
    const r = rows[0];
    const count = Number(r.rows);
    const per = (b) => round1(Number(b) / count);
    out.push({
      table,
      rows: count,
      heapBytes: Number(r.heap),
      tableBytes: Number(r.table_all), // heap + TOAST + free space and visibility maps
      indexBytes: Number(r.indexes),
      totalBytes: Number(r.total),
      heapPerRow: per(r.heap),
      indexesPerRow: per(r.indexes),
      totalPerRow: per(r.total),
      indexes: idx.rows.map((x) => ({ name: x.name, bytes: Number(x.bytes), perRow: per(x.bytes) })),
    });
  }
  return out;
}

// ---------------------------------------------------------------- 2. Redis, through the API

async function memoryInfo(redis) {
  const [mem, keyspace] = await Promise.all([redis.info('memory'), redis.info('keyspace')]);
  const otherKeys = [...keyspace.matchAll(/^db(\d+):keys=(\d+)/gm)]
    .filter(([, index]) => Number(index) !== redis.options.db)
    .reduce((s, [, , keys]) => s + Number(keys), 0);
  return { usedMemory: Number(/used_memory:(\d+)/.exec(mem)[1]), dbsize: await redis.dbsize(), otherDbKeys: otherKeys };
}

/** Every key of our Redis index, with its kind, MEMORY USAGE (exact: SAMPLES 0) and PTTL. */
async function scanKeys(redis) {
  const keys = [];
  let cursor = '0';
  do {
    const [next, batch] = await redis.scan(cursor, 'COUNT', 2000);
    cursor = next;
    keys.push(...batch);
  } while (cursor !== '0');
  const out = [];
  for (let i = 0; i < keys.length; i += 1000) {
    const slice = keys.slice(i, i + 1000);
    const p = redis.pipeline();
    for (const k of slice) {
      p.memory('USAGE', k, 'SAMPLES', 0);
      p.pttl(k);
      p.type(k);
    }
    const replies = await p.exec();
    slice.forEach((key, j) => {
      out.push({ key, kind: kindOf(key), bytes: replies[3 * j][1], pttl: replies[3 * j + 1][1], type: replies[3 * j + 2][1] });
    });
  }
  return out;
}

function kindOf(key) {
  if (key.startsWith(THROTTLE_PREFIX)) return `throttle:${key.slice(THROTTLE_PREFIX.length).split(':')[0]}`;
  if (key.startsWith(QUEUE_PREFIX)) {
    const rest = key.slice(QUEUE_PREFIX.length);
    if (/^\d+$/.test(rest)) return 'job';
    if (/^\d+:logs$/.test(rest)) return 'job-logs';
    return `queue:${rest}`;
  }
  return 'other';
}

function summarize(keys) {
  const kinds = {};
  for (const k of keys) {
    const s = (kinds[k.kind] ??= { keys: 0, bytes: 0, type: k.type, minTtlS: null, maxTtlS: null, maxKeyLength: 0 });
    s.keys++;
    s.bytes += k.bytes ?? 0;
    s.maxKeyLength = Math.max(s.maxKeyLength, Buffer.byteLength(k.key));
    if (k.pttl >= 0) {
      s.minTtlS = s.minTtlS === null ? k.pttl / 1000 : Math.min(s.minTtlS, k.pttl / 1000);
      s.maxTtlS = s.maxTtlS === null ? k.pttl / 1000 : Math.max(s.maxTtlS, k.pttl / 1000);
    }
  }
  for (const s of Object.values(kinds)) {
    s.bytesPerKey = round1(s.bytes / s.keys);
    s.minTtlS = round1(s.minTtlS);
    s.maxTtlS = round1(s.maxTtlS);
  }
  return kinds;
}

/** N forgot requests at bounded concurrency; request k comes from its own client IP. */
async function sendForgots(baseUrl, n, firstK, stream) {
  infra.assertLoopback(baseUrl);
  const url = new URL(FORGOT, baseUrl);
  const agent = new http.Agent({ keepAlive: true, maxSockets: opt.concurrency });
  const statuses = {};
  const deadline = Date.now() + SEND_DEADLINE_MS;
  let k = 0;
  const post = (body, ip) =>
    new Promise((resolve) => {
      const payload = JSON.stringify(body);
      const req = http.request(
        url,
        {
          method: 'POST',
          agent,
          headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload), 'x-forwarded-for': ip },
        },
        (res) => {
          res.resume();
          res.on('end', () => resolve(res.statusCode));
        },
      );
      req.setTimeout(10_000, () => req.destroy(new Error('timeout')));
      req.on('error', () => resolve(-1));
      req.end(payload);
    });
  const t0 = Date.now();
  await Promise.all(
    Array.from({ length: opt.concurrency }, async () => {
      while (k < n && Date.now() < deadline) {
        const j = firstK + k++;
        // 10.0.0.0/8 addresses, one per request: each a client of its own.
        const ip = `10.${(j >> 16) & 255}.${(j >> 8) & 255}.${j & 255}`;
        const status = await post({ email: stream().email }, ip);
        statuses[status] = (statuses[status] ?? 0) + 1;
      }
    }),
  );
  agent.destroy();
  return { sent: k, seconds: (Date.now() - t0) / 1000, statuses };
}

async function deleteKeys(redis, keys) {
  for (let i = 0; i < keys.length; i += 1000) await redis.del(...keys.slice(i, i + 1000));
}

async function measureRedis(stack, sink) {
  const u = new URL(stack.redis.url);
  const redis = new Redis(stack.redis.url, { maxRetriesPerRequest: 1 });
  const queue = new Queue('mail', {
    prefix: '{customer-access}',
    connection: { host: u.hostname, port: Number(u.port || 6379), db: Number(u.pathname.slice(1) || 0), maxRetriesPerRequest: null },
  });
  try {
    // A few requests first, so that the queue's fixed keys (id, meta, events) and the API's
    // connections exist before the baseline: the delta is then the requests' own.
    const warm = emailStream('capacity-warm', opt.customers);
    await sendForgots(stack.baseUrl, 50, 16_000_000, warm);
    // Their counters go again (their jobs stay: the wait list must exist in the baseline too).
    await deleteKeys(
      redis,
      (await scanKeys(redis)).filter((k) => k.kind.startsWith('throttle:')).map((k) => k.key),
    );
    await infra.sleep(500);
    const before = await memoryInfo(redis);
    const keysBefore = summarize(await scanKeys(redis));
    log(`redis before: used_memory ${before.usedMemory}, dbsize ${before.dbsize}`);
    const sent = await sendForgots(stack.baseUrl, opt.requests, 0, emailStream('capacity', opt.customers, 0.5));
    log(`sent ${sent.sent} forgot requests in ${round1(sent.seconds)} s: ${JSON.stringify(sent.statuses)}`);
    await infra.sleep(500);
    const after = await memoryInfo(redis);
    const all = await scanKeys(redis);
    const kinds = summarize(all);
    log(`redis after: used_memory ${after.usedMemory} (+${after.usedMemory - before.usedMemory}), dbsize ${after.dbsize}`);

    // What each kind takes, seen from the server: delete it and read used_memory again.
    const throttleKeys = all.filter((k) => k.kind.startsWith('throttle:')).map((k) => k.key);
    await deleteKeys(redis, throttleKeys);
    const afterThrottleDel = await memoryInfo(redis);
    const counts0 = await queue.getJobCounts('wait', 'paused', 'active', 'completed', 'failed', 'delayed');
    await queue.drain(true); // deletes the waiting jobs: hashes and list entries
    const afterJobDel = await memoryInfo(redis);
    const freed = {
      throttleKeys: throttleKeys.length,
      throttleBytes: afterThrottleDel.usedMemory - after.usedMemory,
      jobs: counts0.wait + counts0.paused,
      jobBytes: afterJobDel.usedMemory - afterThrottleDel.usedMemory,
      otherDbKeysChange: afterJobDel.otherDbKeys - after.otherDbKeys,
    };
    log(`deleting ${freed.throttleKeys} throttle keys freed ${-freed.throttleBytes} B; ${freed.jobs} jobs freed ${-freed.jobBytes} B`);

    // 3. Completed jobs, as BullMQ keeps them (removeOnComplete), processed by the real worker.
    let completed = null;
    if (opt.completeJobs > 0) completed = await completedJobs(stack, redis, queue, sink);
    return {
      settings: SETTINGS,
      sent,
      before,
      after,
      keysBefore,
      kinds,
      freed,
      queueCounts: counts0,
      completed,
      sampleKeys: Object.fromEntries(Object.keys(kinds).map((kind) => [kind, all.find((k) => k.kind === kind)])),
    };
  } finally {
    await queue.close();
    redis.disconnect();
  }
}

async function completedJobs(stack, redis, queue, sink) {
  const worker = infra.startProcess('capacity-worker', [path.join(infra.DIST, 'apps/worker/main.js')], {
    ...stack.env,
    // Retention off: its first run would start purging the seeded tables within a minute.
    ACCESS_TOKEN_RETENTION_HOURS: '0',
    RESET_TOKEN_RETENTION_HOURS: '0',
    EMAIL_LOG_RETENTION_DAYS: '0',
    AUDIT_RETENTION_DAYS: '0',
  });
  try {
    await infra.waitUntil('worker ready', worker, 60_000, async () => (await queue.getWorkersCount()) > 0);
    const done0 = (await queue.getJobCounts('completed')).completed;
    const sent = await sendForgots(stack.baseUrl, opt.completeJobs, 8_000_000, emailStream('capacity-complete', opt.customers, 0.5));
    await infra.waitUntil('jobs completed', worker, 120_000, async () => {
      const c = await queue.getJobCounts('completed', 'failed');
      return c.completed + c.failed - done0 >= (sent.statuses[202] ?? 0);
    });
    const counts = await queue.getJobCounts('wait', 'active', 'completed', 'failed', 'delayed');
    // Hashes of completed jobs: a known customer's (an email sent) and an unknown address's (none).
    const ids = await redis.zrange(`${QUEUE_PREFIX}completed`, 0, -1);
    const p = redis.pipeline();
    for (const id of ids) p.memory('USAGE', `${QUEUE_PREFIX}${id}`, 'SAMPLES', 0);
    const sizes = (await p.exec()).map(([, b]) => b ?? 0);
    const zsetBytes = await redis.memory('USAGE', `${QUEUE_PREFIX}completed`, 'SAMPLES', 0);
    const eventsBytes = await redis.memory('USAGE', `${QUEUE_PREFIX}events`, 'SAMPLES', 0);
    const eventsLength = await redis.xlen(`${QUEUE_PREFIX}events`);
    const sample = await redis.hgetall(`${QUEUE_PREFIX}${ids[ids.length - 1]}`);
    const total = sizes.reduce((s, b) => s + b, 0);
    log(`completed: ${ids.length} jobs, ${round1(total / ids.length)} B/hash + ${round1(zsetBytes / ids.length)} B zset share`);
    return {
      sent,
      counts,
      jobs: ids.length,
      hashBytesPerJob: round1(total / ids.length),
      hashBytesMin: Math.min(...sizes),
      hashBytesMax: Math.max(...sizes),
      zsetBytes,
      zsetBytesPerJob: round1(zsetBytes / ids.length),
      eventsStream: { entries: eventsLength, bytes: eventsBytes },
      sampleHashFields: Object.keys(sample),
      delivered: sink.count,
    };
  } finally {
    await worker.stop();
  }
}

// ---------------------------------------------------------------- report

function markdown(r) {
  const mb = (b) => (b / 2 ** 20).toFixed(1);
  const lines = [
    `### PostgreSQL, ${opt.customers} customers, ${opt.rows} rows per other table (after VACUUM ANALYZE)`,
    '',
    '| table | rows | heap MB | indexes MB | total MB | heap B/row | indexes B/row | total B/row |',
    '| --- | --- | --- | --- | --- | --- | --- | --- |',
    ...r.tables.map(
      (t) =>
        `| \`${t.table}\` | ${t.rows} | ${mb(t.heapBytes)} | ${mb(t.indexBytes)} | ${mb(t.totalBytes)} | ${t.heapPerRow} | ${t.indexesPerRow} | **${t.totalPerRow}** |`,
    ),
    '',
    'Indexes, bytes per row: ' +
      r.tables.map((t) => `${t.table}: ${t.indexes.map((i) => `${i.name.replace(`${t.table}_`, '')} ${i.perRow}`).join(', ')}`).join('; '),
  ];
  const x = r.redis;
  if (x) {
    const delta = x.after.usedMemory - x.before.usedMemory;
    const throttleKinds = Object.entries(x.kinds).filter(([k]) => k.startsWith('throttle:'));
    const throttleKeys = throttleKinds.reduce((s, [, v]) => s + v.keys, 0);
    const throttleUsage = throttleKinds.reduce((s, [, v]) => s + v.bytes, 0);
    const jobs = x.kinds.job?.keys ?? 0;
    const queueKeys = Object.entries(x.kinds).filter(([k]) => k.startsWith('queue:'));
    lines.push(
      '',
      `### Redis, ${x.sent.sent} distinct forgot requests (${JSON.stringify(x.sent.statuses)}), API only, jobs left queued`,
      '',
      `used_memory ${x.before.usedMemory} -> ${x.after.usedMemory} (+${delta} B = ${round1(delta / x.sent.sent)} B per request); ` +
        `keys in our index ${x.before.dbsize} -> ${x.after.dbsize}; other indexes' keys changed by ${x.after.otherDbKeys - x.before.otherDbKeys} meanwhile`,
      '',
      '| kind | keys | MEMORY USAGE B/key | TTL left, s (min-max) | Redis type |',
      '| --- | --- | --- | --- | --- |',
      ...Object.entries(x.kinds)
        .sort()
        .map(
          ([k, v]) => `| ${k} | ${v.keys} | ${v.bytesPerKey} | ${v.minTtlS === null ? 'none' : `${v.minTtlS}-${v.maxTtlS}`} | ${v.type} |`,
        ),
      '',
      `Throttle keys: ${throttleKeys}, MEMORY USAGE ${round1(throttleUsage / throttleKeys)} B/key; deleting them freed ` +
        `${-x.freed.throttleBytes} B = ${round1(-x.freed.throttleBytes / throttleKeys)} B/key (with the expires entry and hash-table slots).`,
      `Queued jobs: ${jobs} hashes, ${x.kinds.job?.bytesPerKey} B/hash; wait list ${x.kinds['queue:wait']?.bytes ?? '?'} B = ` +
        `${round1((x.kinds['queue:wait']?.bytes ?? 0) / jobs)} B/job; deleting the queued jobs freed ${-x.freed.jobBytes} B = ` +
        `${round1(-x.freed.jobBytes / x.freed.jobs)} B/job. Fixed queue keys: ${queueKeys.map(([k, v]) => `${k} ${v.bytes} B`).join(', ')}.`,
      `Other indexes' keys changed by ${x.freed.otherDbKeysChange} during the deletions (0 = clean used_memory deltas).`,
    );
    if (x.completed) {
      const c = x.completed;
      lines.push(
        `Completed jobs (worker on, ${c.sent.sent} more requests): ${c.jobs} kept, ${c.hashBytesPerJob} B/hash (${c.hashBytesMin}-${c.hashBytesMax}) + ` +
          `${c.zsetBytesPerJob} B/job in the completed zset; events stream ${c.eventsStream.entries} entries, ${c.eventsStream.bytes} B. ` +
          `removeOnComplete ${JSON.stringify(MAIL_JOB_RETENTION.removeOnComplete)}, removeOnFail ${JSON.stringify(MAIL_JOB_RETENTION.removeOnFail)} (the worker's).`,
      );
    }
  }
  return lines.join('\n');
}

async function main() {
  const t0 = Date.now();
  const dbName = `ca_bench_capacity_${process.pid}`;
  const sink = await startSink();
  let stack;
  try {
    stack = await infra.createStack({
      name: 'capacity',
      dbName,
      smtpPort: sink.port,
      worker: false,
      // Each request's X-Forwarded-For is its client IP (the bench plays distinct clients).
      env: { TRUSTED_PROXIES: '127.0.0.1' },
      prepare: seedTables,
    });
    const db = await infra.pgConnect(dbName);
    let tables;
    try {
      tables = await tableSizes(db);
    } finally {
      await db.end();
    }
    for (const t of tables) log(`${t.table}: ${t.rows} rows, ${t.totalPerRow} B/row (heap ${t.heapPerRow}, indexes ${t.indexesPerRow})`);
    const redis = opt.requests > 0 ? await measureRedis(stack, sink) : null;
    const results = {
      startedAt: new Date(t0).toISOString(),
      seconds: Math.round((Date.now() - t0) / 1000),
      options: opt,
      machine: { nproc: require('node:os').availableParallelism(), loadavg: require('node:os').loadavg() },
      mailJobOptions: MAIL_JOB_OPTIONS,
      mailJobRetention: MAIL_JOB_RETENTION,
      tables,
      redis,
    };
    fs.mkdirSync(path.join(infra.ROOT, '.bench'), { recursive: true });
    const file = path.join(infra.ROOT, '.bench', `capacity-${Date.now()}.json`);
    fs.writeFileSync(file, JSON.stringify(results, null, 1));
    console.log(markdown(results));
    log(`JSON: ${file}; ${results.seconds} s in all`);
  } finally {
    if (stack) await stack.stop({ keepDb: opt.keepDb });
    sink.stop();
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
