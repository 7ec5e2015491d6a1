'use strict';
// PostgreSQL's CPU for each statement of a password reset, each run alone (N times, one connection,
// values inlined as MikroORM sends them), read from the backend's /proc entry: what a reset costs the
// database statement by statement, independent of the machine's load and of the HTTP path.
//   node bench/reset-statements.js [BUILD_DIR=dist] [N=600]    (BENCH_DB_NAME: the scratch database)
// BENCH_PREPARED=1: each statement as a named prepared statement with bind parameters (parsed and
// planned once per connection, as preparedRows sends them) instead of inlined values.
// Makes its own database (ca_bench_statements by default) with the build's migrations and drops it.
const fs = require('node:fs');
const path = require('node:path');
const { execFileSync } = require('node:child_process');
const { createHash, randomBytes, randomUUID } = require('node:crypto');
const { Client } = require('pg');

const BUILD = path.resolve(process.argv[2] || 'dist');
const N = Number(process.argv[3] || 600);
const DB = process.env.BENCH_DB_NAME || 'ca_bench_statements';
const BASE = 'postgres://postgres@127.0.0.1:5432';
const load = (file) => require(path.join(BUILD, file));
const { PasswordResetTokenSql } = load('libs/password-reset/src/password-reset-token.queries.js');
const { OutboxMessageSql } = load('libs/notification/src/outbox-message.queries.js');
const { WebhookDeliverySql } = load('libs/webhooks/src/webhook-delivery.queries.js');

const sha256 = (s) => createHash('sha256').update(s).digest('hex');
const backendCpuMs = (pid) => {
  const f = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return (Number(f[11]) + Number(f[12])) * 10;
};

(async () => {
  const admin = new Client({ connectionString: `${BASE}/postgres` });
  await admin.connect();
  await admin.query(`drop database if exists ${DB}`);
  await admin.query(`create database ${DB}`);
  execFileSync(process.execPath, [path.join(BUILD, 'apps/cli/main.js'), 'migrate'], {
    env: { ...process.env, DATABASE_URL: `${BASE}/${DB}` },
    stdio: 'ignore',
  });
  const c = new Client({ connectionString: `${BASE}/${DB}` });
  await c.connect();
  const literal = (v) =>
    v === null || v === undefined ? 'null' : typeof v === 'boolean' || typeof v === 'number' ? String(v) : c.escapeLiteral(String(v));
  const prepared = process.env.BENCH_PREPARED === '1';
  const named = (q) => ({ name: `s${sha256(q.text).slice(0, 16)}`, text: q.text, values: [...q.params] });
  const inline = (q) => q.chunks.reduce((text, chunk, i) => text + literal(q.params[i - 1]) + chunk);
  try {
    const pid = (await c.query('select pg_backend_pid() as pid')).rows[0].pid;
    await c.query(`insert into customer (id, email, password_hash, first_name, last_name, locale, website_code, store_view_code, created_at, updated_at)
      select gen_random_uuid(), 'c' || i || '@shop.test', 'x', 'C', 'N' || i, 'en', 'base', 'default', now(), now() from generate_series(1, ${4 * N}) i`);
    const ids = (await c.query('select id from customer order by email')).rows.map((r) => r.id);
    const raws = ids.map(() => randomBytes(32).toString('base64url'));
    const rows = ids.map((id, i) => `('${randomUUID()}', '${id}', '${sha256(raws[i])}', 'storefront', now(), now() + interval '1 day')`);
    for (let i = 0; i < rows.length; i += 5000) {
      await c.query(
        `insert into password_reset_token (id, customer_id, token_hash, origin, created_at, expires_at) values ${rows.slice(i, i + 5000).join(', ')}`,
      );
    }
    await c.query('vacuum analyze');
    const hash = `$argon2id$v=19$m=19456,t=2,p=1$${randomBytes(16).toString('base64url')}$${randomBytes(32).toString('base64url')}`;
    // A build whose reset statement fans its webhook events out itself has no relay statement after it.
    const sample = PasswordResetTokenSql.completeReset({
      tokenHash: 'x',
      passwordHash: hash,
      revokeAccessTokens: true,
      outboxId: randomUUID(),
      changedEventId: randomUUID(),
      revokedEventId: randomUUID(),
    });
    const fansOut = sample.chunks.join('').includes('insert into webhook_delivery');
    for (let round = 1; round <= 2; round++) {
      const offset = (round - 1) * 2 * N;
      const mails = [];
      const events = [];
      let k = 0;
      const kinds = {
        inspect: () => PasswordResetTokenSql.inspect(sha256(raws[offset + k++])),
        completeReset: () => {
          const [outboxId, changedEventId] = [randomUUID(), randomUUID()];
          mails.push(outboxId);
          events.push(changedEventId);
          return PasswordResetTokenSql.completeReset({
            tokenHash: sha256(raws[offset + k++]),
            passwordHash: hash,
            revokeAccessTokens: true,
            outboxId,
            changedEventId,
            revokedEventId: randomUUID(),
          });
        },
        // The relay's mark, one row at a time (the worker's sweep now marks many at once). Builds before
        // its second argument was dropped read the missing one as false: the same statement.
        markRelayed: () => OutboxMessageSql.markRelayed([mails[k++]]),
        ...(fansOut ? {} : { relayAndFanOut: () => WebhookDeliverySql.relayAndFanOut([events[k++]]) }),
      };
      const out = [];
      let sum = 0;
      for (const [name, next] of Object.entries(kinds)) {
        k = 0;
        const t0 = backendCpuMs(pid);
        for (let i = 0; i < N; i++) await c.query(prepared ? named(next()) : inline(next()));
        const ms = (backendCpuMs(pid) - t0) / N;
        sum += ms;
        out.push(`${name} ${(1000 * ms).toFixed(0)} µs`);
      }
      console.log(`round ${round}: backend CPU per statement: ${out.join(', ')}; per reset ${(1000 * sum).toFixed(0)} µs`);
    }
  } finally {
    await c.end();
    await admin.query(`drop database if exists ${DB}`);
    await admin.end();
  }
})();
