'use strict';
/*
 * node bench/import-variants.js [--rows 100000] [--rounds 2] [--variants a,b,...]
 *
 * The PostgreSQL side of customers:import, one idea at a time (docs/performance.md, "Import"): the
 * same customer-shaped rows (Magento sha256 hashes, as bench/import.js) written into `customer` by
 * each way below, the COPY text made beforehand so that only the server's work differs. Per way and
 * round: the backend's CPU per row (/proc/PID/stat), wall time per row, WAL bytes per row
 * (pg_current_wal_lsn: the whole cluster, so noisy on a shared server), and the bare COPY floor
 * (into an UNLOGGED text table) in the same round. Rounds alternate the order of the ways.
 * Database: BENCH_DB_NAME (default ca_bench_import), migrated by the built CLI (npm run build first).
 *
 *   staging5k     the import before this work: COPY into the UNLOGGED staging table (primary key
 *                 batch_id, line), insert … select … on conflict do nothing with ids made in SQL,
 *                 delete the batch's staging rows; 5,000 rows a batch, synchronous commit
 *   staging5kJsIds   the same with the ids made by the client and COPYed with the rows
 *   direct5k      the batch's addresses checked by one select (unnest of two text parameters), the new
 *                 rows COPYed straight into customer with ids made by the client
 *   direct5kAsync     direct5k with synchronous_commit = off (SET LOCAL)
 *   direct20kAsync    the same, 20,000 rows a batch
 *   direct20kAsyncSorted  the same, each batch's rows in email order
 *   direct10kSorted       direct, 10,000 rows a batch in email order, synchronous commit (the import's batches)
 *   direct10kSortedNoCheck    the same without the check select (what an unchecked batch does)
 *   direct10kSortedBinary     direct10kSorted with the COPY in binary format
 *   direct10kSortedBinaryNoCheck  the same without the check select (the import now)
 */
const { execFileSync } = require('node:child_process');
const crypto = require('node:crypto');
const fs = require('node:fs');
const path = require('node:path');
const { parseArgs } = require('node:util');
const { Client } = require('pg');
const { from: copyFrom } = require('pg-copy-streams');

const ROOT = path.join(__dirname, '..');
const { values } = parseArgs({
  options: { rows: { type: 'string' }, rounds: { type: 'string' }, variants: { type: 'string' } },
});
const ROWS = Number(values.rows ?? 100000);
const ROUNDS = Number(values.rounds ?? 2);
const server = new URL(process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/customer_access');
const DB = process.env.BENCH_DB_NAME || 'ca_bench_import';
const dbUrl = (name) => Object.assign(new URL(server), { pathname: `/${name}` }).toString();
const TICK_US = 1e4;

function procCpuUs(pid) {
  const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
  const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(f[11]) + Number(f[12])) * TICK_US;
}

let lastMs = 0;
let counter = 0;
function v7() {
  const b = crypto.randomBytes(16);
  const ms = Date.now();
  if (ms > lastMs) [lastMs, counter] = [ms, 0];
  else if (++counter > 0xfff) [lastMs, counter] = [lastMs + 1, 0];
  b.writeUIntBE(lastMs, 0, 6);
  b[6] = 0x70 | (counter >>> 8);
  b[7] = counter & 0xff;
  b[8] = 0x80 | (b[8] & 0x3f);
  const h = b.toString('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

const rows = Array.from({ length: ROWS }, (_, i) => {
  const salt = crypto.randomBytes(16).toString('hex');
  const hash = crypto.createHash('sha256').update(`${salt}pw-${i}`).digest('hex');
  return { line: i + 2, email: `customer.${i}@bench.example`, first: `First ${i}`, hash: `${hash}:${salt}:1` };
});
const CREATED = '2024-01-31T09:15:00.000Z';
const floorCsv = rows
  .map((r) => `"${r.email}","base","default","1","1","Default Store View","${r.first}","Last","${r.hash}","2024-01-31 09:15:00"\n`)
  .join('');

async function copyText(c, statement, text) {
  const stream = c.query(copyFrom(statement));
  const done = new Promise((resolve, reject) => {
    stream.on('finish', resolve);
    stream.on('error', reject);
  });
  for (let at = 0; at < text.length; at += 64 * 1024)
    if (!stream.write(text.slice(at, at + 64 * 1024))) await new Promise((r) => stream.once('drain', r));
  stream.end();
  await done;
}

function batches(size, sorted) {
  const out = [];
  for (let at = 0; at < rows.length; at += size) {
    const b = rows.slice(at, at + size);
    if (sorted) b.sort((x, y) => (x.email < y.email ? -1 : 1));
    out.push(b);
  }
  return out;
}

async function staging(c, size, jsIds) {
  for (const b of batches(size, false)) {
    const batchId = crypto.randomUUID();
    await c.query('begin');
    const text = b
      .map(
        (r) => `${batchId}\t${r.line}\t${r.email}\tbase\tdefault\t${r.first}\tLast\ten\t${r.hash}\t${CREATED}${jsIds ? `\t${v7()}` : ''}\n`,
      )
      .join('');
    await copyText(
      c,
      `copy exp_staging (batch_id, line, email, website_code, store_view_code, first_name, last_name, locale, password_hash, created_at${jsIds ? ', id' : ''}) from stdin`,
      text,
    );
    const id = jsIds
      ? 's.id'
      : `encode(set_bit(set_bit(overlay(uuid_send(gen_random_uuid()) placing substring(int8send(floor(extract(epoch from clock_timestamp()) * 1000)::bigint) from 3) from 1 for 6), 52, 1), 53, 1), 'hex')::uuid`;
    await c.query(
      `insert into customer (id, email, website_code, store_view_code, first_name, last_name, locale, password_hash, password_changed_at, created_at, updated_at)
       select ${id}, s.email, s.website_code, s.store_view_code, s.first_name, s.last_name, s.locale, s.password_hash,
              coalesce(s.created_at, now()), coalesce(s.created_at, now()), now()
       from exp_staging s where s.batch_id = $1 order by s.line on conflict (email, website_code) do nothing returning id`,
      [batchId],
    );
    await c.query('delete from exp_staging where batch_id = $1', [batchId]);
    await c.query('commit');
  }
}

const PG_EPOCH_MS = Date.UTC(2000, 0, 1);
/** The batch as COPY BINARY: uuid as 16 bytes, timestamptz as microseconds since 2000, text as UTF-8. */
function binaryCopy(b) {
  const created = BigInt(Date.parse(CREATED) - PG_EPOCH_MS) * 1000n;
  const parts = [];
  const header = Buffer.alloc(19);
  header.write('PGCOPY\n\xff\r\n\0', 0, 'latin1');
  parts.push(header);
  for (const r of b) {
    const texts = [r.email, 'base', 'default', r.first, 'Last', 'en', r.hash];
    let size = 2 + 4 + 16 + 2 * 12;
    for (const t of texts) size += 4 + Buffer.byteLength(t);
    const buf = Buffer.alloc(size);
    let at = buf.writeInt16BE(10, 0);
    at = buf.writeInt32BE(16, at);
    crypto.randomFillSync(buf, at, 16);
    buf.writeUIntBE(Date.now(), at, 6);
    buf[at + 6] = 0x70 | (buf[at + 6] & 0x0f);
    buf[at + 8] = 0x80 | (buf[at + 8] & 0x3f);
    at += 16;
    for (const t of texts) {
      const n = buf.write(t, at + 4);
      buf.writeInt32BE(n, at);
      at += 4 + n;
    }
    for (let k = 0; k < 2; k++) {
      at = buf.writeInt32BE(8, at);
      at = buf.writeBigInt64BE(created, at);
    }
    parts.push(buf);
  }
  const trailer = Buffer.alloc(2);
  trailer.writeInt16BE(-1, 0);
  parts.push(trailer);
  return Buffer.concat(parts);
}

async function direct(c, size, async, sorted, { check = true, binary = false } = {}) {
  for (const b of batches(size, sorted)) {
    await c.query('begin');
    const [{ now }] = (await c.query(`select set_config('synchronous_commit', $1, true), now()::text as now`, [async ? 'off' : 'on'])).rows;
    void now;
    const existing = !check
      ? { rows: [] }
      : await c.query(
          `select t.n::int as n from unnest(string_to_array($1, E'\\n'), string_to_array($2, E'\\n')) with ordinality as t(email, website_code, n)
       where exists (select 1 from customer c where c.email = t.email and ($3 = 'global' or c.website_code = t.website_code))`,
          [b.map((r) => r.email).join('\n'), b.map(() => 'base').join('\n'), 'website'],
        );
    if (existing.rows.length) throw new Error('unexpected existing rows');
    if (binary) {
      await copyText(
        c,
        'copy customer (id, email, website_code, store_view_code, first_name, last_name, locale, password_hash, password_changed_at, created_at) from stdin with (format binary)',
        binaryCopy(b),
      );
      await c.query('commit');
      continue;
    }
    const text = b.map((r) => `${v7()}\t${r.email}\tbase\tdefault\t${r.first}\tLast\ten\t${r.hash}\t${CREATED}\t${CREATED}\n`).join('');
    await copyText(
      c,
      'copy customer (id, email, website_code, store_view_code, first_name, last_name, locale, password_hash, password_changed_at, created_at) from stdin',
      text,
    );
    await c.query('commit');
  }
}

const VARIANTS = {
  staging5k: (c) => staging(c, 5000, false),
  staging5kJsIds: (c) => staging(c, 5000, true),
  direct5k: (c) => direct(c, 5000, false, false),
  direct5kAsync: (c) => direct(c, 5000, true, false),
  direct20kAsync: (c) => direct(c, 20000, true, false),
  direct20kAsyncSorted: (c) => direct(c, 20000, true, true),
  direct10kSorted: (c) => direct(c, 10000, false, true),
  direct10kSortedNoCheck: (c) => direct(c, 10000, false, true, { check: false }),
  direct10kSortedBinary: (c) => direct(c, 10000, false, true, { binary: true }),
  direct10kSortedBinaryNoCheck: (c) => direct(c, 10000, false, true, { check: false, binary: true }),
};

async function measure(c, meter, fn) {
  const pid = (await c.query('select pg_backend_pid() as pid')).rows[0].pid;
  const lsn = (await meter.query('select pg_current_wal_lsn() as l')).rows[0].l;
  const cpu = procCpuUs(pid);
  const t = process.hrtime.bigint();
  await fn(c);
  const wallUs = Number(process.hrtime.bigint() - t) / 1e3;
  const pgUs = procCpuUs(pid) - cpu;
  const wal = (await meter.query('select pg_wal_lsn_diff(pg_current_wal_lsn(), $1)::float8 as d', [lsn])).rows[0].d;
  return { pgUsPerRow: pgUs / ROWS, wallUsPerRow: wallUs / ROWS, walBytesPerRow: wal / ROWS };
}

async function main() {
  const names = values.variants ? values.variants.split(',') : Object.keys(VARIANTS);
  const admin = new Client({ connectionString: dbUrl('postgres') });
  await admin.connect();
  await admin.query(`drop database if exists ${DB} with (force)`);
  await admin.end();
  const env = { ...process.env, DATABASE_URL: dbUrl(DB), DATABASE_MIGRATION_URL: dbUrl(DB) };
  execFileSync(process.execPath, ['dist/apps/cli/main.js', 'migrate'], { cwd: ROOT, env, stdio: 'ignore' });
  const c = new Client({ connectionString: dbUrl(DB) });
  const meter = new Client({ connectionString: dbUrl(DB) });
  await c.connect();
  await meter.connect();
  await c.query(
    'create unlogged table exp_staging (batch_id uuid not null, line int not null, email text not null, website_code text not null, store_view_code text not null, first_name text not null, last_name text not null, locale text not null, password_hash text not null, created_at timestamptz, id uuid, primary key (batch_id, line))',
  );
  await c.query(
    'create unlogged table exp_floor (email text, _website text, _store text, website_id text, store_id text, created_in text, firstname text, lastname text, password_hash text, created_at text)',
  );
  const results = Object.fromEntries([...names, 'floor'].map((n) => [n, []]));
  for (let round = 0; round < ROUNDS; round++) {
    await c.query('truncate exp_floor');
    results.floor.push(await measure(c, meter, (cl) => copyText(cl, 'copy exp_floor from stdin with (format csv)', floorCsv)));
    const order = round % 2 ? [...names].reverse() : names;
    for (const name of order) {
      await c.query('truncate customer cascade');
      await c.query('truncate exp_staging');
      const r = await measure(c, meter, VARIANTS[name]);
      results[name].push(r);
      console.log(JSON.stringify({ round, name, ...r }));
    }
  }
  await c.end();
  await meter.end();
  const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor((xs.length - 1) / 2)];
  console.table(
    Object.fromEntries(
      Object.entries(results).map(([n, rs]) => [
        n,
        {
          pgCpuUsPerRow: Math.round(median(rs.map((r) => r.pgUsPerRow)) * 10) / 10,
          wallUsPerRow: Math.round(median(rs.map((r) => r.wallUsPerRow)) * 10) / 10,
          walBytesPerRow: Math.round(median(rs.map((r) => r.walBytesPerRow))),
        },
      ]),
    ),
  );
  console.log('median (lower) of the rounds; CPU per row is the figure to compare, wall and WAL are noisy on a shared machine');
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
