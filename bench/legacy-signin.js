'use strict';
/*
 * npm run bench -- legacy-signin [--rounds 5] [--per-round 15]
 *
 * Issue 20: a sign-in (POST /api/v1/oauth/token) with an imported legacy hash, including its upgrade
 * to argon2id in the same request, against a native argon2id sign-in: p50 of each must be at most
 * 1.2x the native one. Kinds side by side in alternating rounds (native, Magento sha256, bcrypt cost
 * 10, then again), one request at a time (latency, not throughput). Every legacy request uses an
 * account not signed into before (the first sign-in upgrades it); native ones reuse a few accounts.
 * The built API alone (no worker), scratch database `ca_bench_legacy`.
 */
const crypto = require('node:crypto');
const { parseArgs } = require('node:util');
const argon2 = require('argon2');
const { hash: bcryptHash } = require('@node-rs/bcrypt');
const infra = require('./lib/infra');

infra.snapshotDist(); // the build under test, copied before anything loads from it
const { ARGON2_OPTIONS } = require('./lib/seed');

const { values } = parseArgs({
  args: process.argv.slice(3),
  options: { rounds: { type: 'string' }, 'per-round': { type: 'string' } },
});
const ROUNDS = Number(values.rounds ?? 5);
const PER_ROUND = Number(values['per-round'] ?? 15);
const PASSWORD = 'Legacy-Bench-2026!';
const TARGET = 1.2;
const KINDS = ['argon2id', 'magento-sha256', 'bcrypt-10'];

const email = (kind, i) => `${kind}.${i}@legacy.bench.test`;

async function storedHash(kind) {
  if (kind === 'magento-sha256') {
    const salt = crypto.randomBytes(16).toString('hex');
    return `${crypto
      .createHash('sha256')
      .update(salt + PASSWORD)
      .digest('hex')}:${salt}:1`;
  }
  if (kind === 'bcrypt-10') return (await bcryptHash(PASSWORD, 10)).replace(/^\$2b\$/, '$2y$'); // as PHP writes it
  return argon2.hash(PASSWORD, ARGON2_OPTIONS);
}

async function prepare(db) {
  const accounts = { argon2id: 5, 'magento-sha256': ROUNDS * PER_ROUND + 5, 'bcrypt-10': ROUNDS * PER_ROUND + 5 };
  for (const kind of KINDS) {
    const nativeHash = kind === 'argon2id' ? await storedHash(kind) : null;
    for (let i = 0; i < accounts[kind]; i++) {
      await db.query(
        `insert into customer (id, email, password_hash, first_name, last_name) values (gen_random_uuid(), $1, $2, 'Le', 'Gacy')`,
        [email(kind, i), nativeHash ?? (await storedHash(kind))],
      );
    }
  }
}

async function signIn(baseUrl, username) {
  const started = process.hrtime.bigint();
  const res = await fetch(`${baseUrl}/api/v1/oauth/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ grant_type: 'password', username, password: PASSWORD }),
  });
  await res.arrayBuffer();
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  if (res.status !== 200) throw new Error(`sign-in of ${username} answered ${res.status}`);
  return ms;
}

const percentile = (xs, p) => {
  const sorted = [...xs].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
};

async function main() {
  const stack = await infra.createStack({
    name: 'legacy',
    dbName: 'ca_bench_legacy',
    smtpPort: await infra.freePort(), // no mail is sent in this bench
    worker: false,
    prepare,
  });
  try {
    const times = Object.fromEntries(KINDS.map((k) => [k, []]));
    const next = Object.fromEntries(KINDS.map((k) => [k, 0]));
    // Warm-up: one of each (first argon2 allocations, connections, JIT), not counted.
    for (const kind of KINDS) await signIn(stack.baseUrl, email(kind, kind === 'argon2id' ? 0 : next[kind]++));
    for (let round = 0; round < ROUNDS; round++) {
      for (const kind of round % 2 ? [...KINDS].reverse() : KINDS) {
        for (let i = 0; i < PER_ROUND; i++) {
          const account = kind === 'argon2id' ? i % 5 : next[kind]++;
          times[kind].push(await signIn(stack.baseUrl, email(kind, account)));
        }
      }
    }
    // Every legacy account signed into now holds an argon2id hash (the upgrade happened).
    const db = await infra.pgConnect('ca_bench_legacy');
    const { rows } = await db.query(
      `select count(*) filter (where password_hash like '$argon2id$%')::int as upgraded from customer where email not like 'argon2id.%' and email = any($1)`,
      [['magento-sha256', 'bcrypt-10'].flatMap((k) => Array.from({ length: next[k] }, (_, i) => email(k, i)))],
    );
    await db.end();
    const native = percentile(times.argon2id, 50);
    const results = KINDS.map((kind) => {
      const p50 = percentile(times[kind], 50);
      const ratio = p50 / native;
      return {
        kind,
        requests: times[kind].length,
        p50Ms: Number(p50.toFixed(1)),
        p90Ms: Number(percentile(times[kind], 90).toFixed(1)),
        xNative: Number(ratio.toFixed(2)),
        verdict: kind === 'argon2id' ? '' : ratio <= TARGET ? 'PASS' : 'FAIL',
      };
    });
    console.table(results);
    console.log(
      `upgraded to argon2id: ${rows[0].upgraded} of ${next['magento-sha256'] + next['bcrypt-10']} legacy accounts signed into. ` +
        `Target (issue 20): legacy p50 <= ${TARGET}x native. One request at a time on a shared machine: noisy, compare the ratios.`,
    );
    console.log(JSON.stringify({ legacySignIn: results }));
  } finally {
    await stack.stop();
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
