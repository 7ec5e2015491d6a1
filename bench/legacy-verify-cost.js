'use strict';
/*
 * node bench/legacy-verify-cost.js [--rounds 6] [--per-round 10]
 *
 * Issue 20's legacy sign-in target, in process and without HTTP or the database: what each part of a
 * sign-in's password work costs, one operation at a time, kinds in alternating rounds. For each: p50
 * wall time and CPU time per operation (process.cpuUsage, which counts the native pools' threads):
 *   argon2id-verify   a native sign-in's password check (the service's ARGON2_OPTIONS)
 *   bcrypt10-verify   a bcrypt cost-10 check alone (@node-rs/bcrypt, as the legacy verifier)
 *   argon2id-hash     the upgrade's new hash alone
 *   bcrypt10-upgrade  what CustomerCredentials does for a matching bcrypt hash: the check and the new
 *                     hash side by side (Promise.all on the native pools)
 * The ratio bcrypt10-verify / argon2id-verify is the least a bcrypt sign-in can cost against a native
 * one, whatever the rest of the path does; CPU per operation is the figure a loaded machine leaves
 * intact, wall time is noise there.
 */
const path = require('node:path');
const { parseArgs } = require('node:util');
const argon2 = require('argon2');
const bcrypt = require('@node-rs/bcrypt');

const { values } = parseArgs({ options: { rounds: { type: 'string' }, 'per-round': { type: 'string' } } });
const ROUNDS = Number(values.rounds ?? 6);
const PER_ROUND = Number(values['per-round'] ?? 10);
const { ARGON2_OPTIONS } = require(path.join(__dirname, '..', 'dist/libs/customers/src/password-hasher.js')); // npm run build first
const PASSWORD = 'Legacy-Bench-2026!';

async function main() {
  const argonHash = await argon2.hash(PASSWORD, ARGON2_OPTIONS);
  const bcryptHash = (await bcrypt.hash(PASSWORD, 10)).replace(/^\$2b\$/, '$2y$');
  const ops = {
    'argon2id-verify': () => argon2.verify(argonHash, PASSWORD),
    'bcrypt10-verify': () => bcrypt.verify(PASSWORD, bcryptHash),
    'argon2id-hash': () => argon2.hash(PASSWORD, ARGON2_OPTIONS),
    'bcrypt10-upgrade': () => Promise.all([bcrypt.verify(PASSWORD, bcryptHash), argon2.hash(PASSWORD, ARGON2_OPTIONS)]),
  };
  const samples = Object.fromEntries(Object.keys(ops).map((k) => [k, { wall: [], cpu: [] }]));
  for (const op of Object.values(ops)) await op(); // warm-up
  for (let round = 0; round < ROUNDS; round++) {
    const names = round % 2 ? Object.keys(ops).reverse() : Object.keys(ops);
    for (const name of names) {
      for (let i = 0; i < PER_ROUND; i++) {
        const cpu = process.cpuUsage();
        const t = process.hrtime.bigint();
        await ops[name]();
        samples[name].wall.push(Number(process.hrtime.bigint() - t) / 1e6);
        const used = process.cpuUsage(cpu);
        samples[name].cpu.push((used.user + used.system) / 1e3);
      }
    }
  }
  const p50 = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
  const base = samples['argon2id-verify'];
  const table = Object.fromEntries(
    Object.entries(samples).map(([name, s]) => [
      name,
      {
        p50Ms: Number(p50(s.wall).toFixed(1)),
        cpuMsPerOp: Number(p50(s.cpu).toFixed(1)),
        p50VsArgon2Verify: Number((p50(s.wall) / p50(base.wall)).toFixed(2)),
        cpuVsArgon2Verify: Number((p50(s.cpu) / p50(base.cpu)).toFixed(2)),
      },
    ]),
  );
  console.table(table);
  console.log(
    `${ROUNDS} rounds x ${PER_ROUND} per kind, alternating; UV_THREADPOOL_SIZE=${process.env.UV_THREADPOOL_SIZE ?? '4 (default)'}`,
  );
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
