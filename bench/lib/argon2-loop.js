'use strict';
// The raw argon2id hashing rate on this machine with the service's own parameters: `concurrency`
// hashes in flight (argon2 runs on libuv's thread pool, like in the API) for `seconds`, after a
// one-second warm-up. Prints one JSON line.
const path = require('node:path');
const argon2 = require('argon2');
const { ARGON2_OPTIONS } = require(path.resolve(__dirname, '../../.bench/dist/libs/customers/src/password-hasher.js'));

const concurrency = Number(process.argv[2] || 4);
const seconds = Number(process.argv[3] || 8);

async function loop(untilMs) {
  let n = 0;
  const worker = async () => {
    while (performance.now() < untilMs) {
      await argon2.hash('N3w-Bench-Passw0rd!', ARGON2_OPTIONS);
      n++;
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  return n;
}

(async () => {
  await loop(performance.now() + 1000);
  const t0 = performance.now();
  const cpu0 = process.cpuUsage();
  const hashes = await loop(t0 + seconds * 1000);
  const elapsed = (performance.now() - t0) / 1000;
  const cpu = process.cpuUsage(cpu0);
  const cpuPerHashS = (cpu.user + cpu.system) / 1e6 / hashes;
  process.stdout.write(
    `${JSON.stringify({ concurrency, hashes, seconds: elapsed, rate: hashes / elapsed, cpuPerHashS, options: ARGON2_OPTIONS })}\n`,
  );
})();
