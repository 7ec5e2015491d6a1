'use strict';
// Fast seeding with COPY FROM STDIN: customers with one precomputed argon2id hash, filler reset
// tokens, and fresh tokens (raw value known to the bench) for reset-confirm requests.
const { createHash, randomBytes, randomUUID } = require('node:crypto');
const { Readable } = require('node:stream');
const { pipeline } = require('node:stream/promises');
const { from: copyFrom } = require('pg-copy-streams');
const argon2 = require('argon2');
const path = require('node:path');

const { DIST } = require('./infra');
// The service's own argon2 parameters, from the build under test (npm run bench builds first).
const { ARGON2_OPTIONS } = require(path.join(DIST, 'libs/customers/src/password-hasher.js'));

const SEED_PASSWORD = 'Bench-Password-2024!';
const NEW_PASSWORD = 'N3w-Bench-Passw0rd!';
const customerEmail = (i) => `customer${i}@shop.test`;
const unknownEmail = (seed, k) => `nobody-${seed}-${k}@shop.test`;
/** The service's token rule: sha256 hex of the raw base64url string. */
const hashToken = (raw) => createHash('sha256').update(raw, 'utf8').digest('hex');

let seedHash;
async function passwordHash() {
  seedHash ??= argon2.hash(SEED_PASSWORD, ARGON2_OPTIONS);
  return seedHash;
}

/** Streams `count` text-format COPY lines made by `line(i)` in chunks of 5,000 rows. */
async function copyRows(db, sql, count, line) {
  const CHUNK = 5000;
  async function* chunks() {
    for (let start = 0; start < count; start += CHUNK) {
      const end = Math.min(count, start + CHUNK);
      let s = '';
      for (let i = start; i < end; i++) s += line(i);
      yield s;
    }
  }
  await pipeline(Readable.from(chunks()), db.query(copyFrom(sql)));
}

/**
 * `count` customers customer0..customer{count-1}@shop.test, and with `tokens`, one unused, unexpired
 * filler reset token each (a random value nobody knows). Returns the customer ids by index.
 */
async function seedCustomers(db, count, { tokens = false } = {}) {
  const hash = await passwordHash();
  const ids = new Array(count);
  for (let i = 0; i < count; i++) ids[i] = randomUUID();
  const t0 = Date.now();
  await copyRows(
    db,
    'COPY customer (id, email, password_hash, first_name, last_name, locale) FROM STDIN',
    count,
    (i) => `${ids[i]}\t${customerEmail(i)}\t${hash}\tCustomer\tNo${i}\ten\n`,
  );
  const tCustomers = Date.now() - t0;
  let tTokens = 0;
  if (tokens) {
    const t1 = Date.now();
    const salt = randomBytes(16).toString('hex');
    await copyRows(
      db,
      'COPY password_reset_token (id, customer_id, token_hash, origin, created_at, expires_at) FROM STDIN',
      count,
      (i) => `${randomUUID()}\t${ids[i]}\t${hashToken(`${salt}-${i}`)}\tstorefront\tnow\tinfinity\n`,
    );
    tTokens = Date.now() - t1;
  }
  const t2 = Date.now();
  await db.query('VACUUM ANALYZE customer');
  if (tokens) await db.query('VACUUM ANALYZE password_reset_token');
  // Steady state before measuring: the bulk load's WAL is checkpointed now, not during a round.
  await db.query('CHECKPOINT').catch(() => undefined);
  return { ids, ms: { customers: tCustomers, tokens: tTokens, vacuum: Date.now() - t2 } };
}

/**
 * One fresh token (valid 24 h) for each given customer index. Returns the raw tokens, in order.
 * Like the worker, it first removes the customer's earlier unused tokens.
 */
async function seedFreshTokens(db, ids, indexes) {
  const raws = indexes.map(() => randomBytes(32).toString('base64url'));
  const customerIds = indexes.map((i) => ids[i]);
  await db.query('DELETE FROM password_reset_token WHERE customer_id = ANY($1::uuid[]) AND used_at IS NULL', [customerIds]);
  await copyRows(
    db,
    'COPY password_reset_token (id, customer_id, token_hash, origin, created_at, expires_at) FROM STDIN',
    raws.length,
    (k) =>
      `${randomUUID()}\t${customerIds[k]}\t${hashToken(raws[k])}\tstorefront\tnow\t${new Date(Date.now() + 24 * 3600e3).toISOString()}\n`,
  );
  await db.query('ANALYZE password_reset_token');
  return raws;
}

/** Caps so high that every throttle check still runs and none rejects (docs/api.md, Settings). */
const BENCH_SETTINGS = { maxResetRequestsPerHour: 100_000_000, minSecondsBetweenResetRequests: 0 };
async function setBenchSettings(db) {
  await db.query(
    `INSERT INTO settings (id, values, updated_at) VALUES (1, $1::jsonb, now())
     ON CONFLICT (id) DO UPDATE SET values = EXCLUDED.values, updated_at = now()`,
    [JSON.stringify(BENCH_SETTINGS)],
  );
}

module.exports = {
  ARGON2_OPTIONS,
  SEED_PASSWORD,
  NEW_PASSWORD,
  BENCH_SETTINGS,
  customerEmail,
  unknownEmail,
  hashToken,
  seedCustomers,
  seedFreshTokens,
  setBenchSettings,
};
