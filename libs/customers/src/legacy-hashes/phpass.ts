import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { equalBytes, HashFamily, malformed, passwordBytes, tooCostly, WORK_FACTOR_LIMITS } from './format';

/**
 * phpass's portable hashes (WordPress and WooCommerce before 6.8 `$P$`, phpBB `$H$`):
 * `$P$` + one character giving log2 of the rounds + 8 characters of salt + 22 of hash.
 * hash = md5(salt + password), then `rounds` times md5(hash + password), written in phpass's own
 * base64 (crypt's alphabet, little-endian groups). No maintained library exists for Node, and the
 * algorithm is a loop of node:crypto md5; the result is compared in constant time.
 */
const ITOA64 = './0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
const PHPASS = /^\$[PH]\$[./0-9A-Za-z]{31}$/;

export interface PhpassHash {
  stored: Buffer;
  setting: string;
  log2Rounds: number;
  salt: Buffer;
}

export const phpass: HashFamily<PhpassHash> = {
  parse(hash) {
    if (!hash.startsWith('$P$') && !hash.startsWith('$H$')) return null;
    if (!PHPASS.test(hash)) throw malformed('a phpass hash is $P$ or $H$ and 31 characters of ./0-9A-Za-z');
    const log2Rounds = ITOA64.indexOf(hash[3]);
    if (log2Rounds < 7 || log2Rounds > 30) throw malformed('phpass rounds outside 2^7-2^30');
    if (log2Rounds > WORK_FACTOR_LIMITS.phpassLog2Rounds) throw tooCostly(`phpass rounds above 2^${WORK_FACTOR_LIMITS.phpassLog2Rounds}`);
    return {
      algorithm: 'phpass',
      parsed: { stored: Buffer.from(hash, 'utf8'), setting: hash.slice(0, 12), log2Rounds, salt: Buffer.from(hash.slice(4, 12), 'utf8') },
    };
  },

  async verify(password, { stored, setting, log2Rounds, salt }) {
    const hash = await md5Rounds(salt, passwordBytes(password), 2 ** log2Rounds);
    return equalBytes(Buffer.from(setting + encode64(hash), 'utf8'), stored);
  },
};

/**
 * phpass's md5 loop, off the event loop. Up to 2^16 md5 calls (WORK_FACTOR_LIMITS) take tens of
 * milliseconds of JavaScript: run in place they would stall every other request of the process for
 * as long (review finding). argon2, bcrypt and pbkdf2 already run on native thread pools; this loop
 * has no native asynchronous form, so it runs in a small pool of worker threads of its own, started
 * on first use and unreferenced while idle (they never keep a process alive).
 */
const MD5_ROUNDS_WORKER = `
const { parentPort } = require('node:worker_threads');
const { createHash } = require('node:crypto');
parentPort.on('message', ({ id, salt, password, rounds }) => {
  let hash = createHash('md5').update(salt).update(password).digest();
  for (let count = rounds; count > 0; count--) hash = createHash('md5').update(hash).update(password).digest();
  parentPort.postMessage({ id, hash });
});
`;

interface PoolWorker {
  worker: Worker;
  pending: Map<number, { resolve: (hash: Buffer) => void; reject: (error: Error) => void }>;
}

const POOL_SIZE = Math.max(1, Math.min(4, availableParallelism() - 1));
const pool: PoolWorker[] = [];
let nextId = 0;

function startWorker(): PoolWorker {
  const entry: PoolWorker = { worker: new Worker(MD5_ROUNDS_WORKER, { eval: true }), pending: new Map() };
  entry.worker.unref();
  entry.worker.on('message', ({ id, hash }: { id: number; hash: Uint8Array }) => {
    const request = entry.pending.get(id);
    entry.pending.delete(id);
    if (entry.pending.size === 0) entry.worker.unref();
    request?.resolve(Buffer.from(hash));
  });
  // A worker that dies fails its requests (the sign-in answers 500, as any verifier error) and leaves the pool.
  const fail = (error: Error) => {
    const at = pool.indexOf(entry);
    if (at >= 0) pool.splice(at, 1);
    for (const { reject } of entry.pending.values()) reject(error);
    entry.pending.clear();
  };
  entry.worker.on('error', fail);
  entry.worker.on('exit', (code) => fail(new Error(`the phpass worker exited (${code})`)));
  pool.push(entry);
  return entry;
}

/**
 * md5(salt + password), then `rounds` times md5(hash + password), in a worker thread: an idle one,
 * else a new one while the pool has fewer than POOL_SIZE, else the one with the fewest requests.
 */
export function md5Rounds(salt: Buffer, password: Buffer, rounds: number): Promise<Buffer> {
  const entry =
    pool.find((candidate) => candidate.pending.size === 0) ??
    (pool.length < POOL_SIZE ? startWorker() : pool.reduce((least, c) => (c.pending.size < least.pending.size ? c : least)));
  const id = nextId++;
  return new Promise((resolve, reject) => {
    entry.pending.set(id, { resolve, reject });
    entry.worker.ref();
    entry.worker.postMessage({ id, salt, password, rounds });
  });
}

/** phpass's encode64 of 16 bytes: 22 characters, 6 bits at a time from little-endian 24-bit groups. */
function encode64(input: Buffer): string {
  let out = '';
  for (let i = 0; i < input.length; i += 3) {
    const value = input[i] | ((input[i + 1] ?? 0) << 8) | ((input[i + 2] ?? 0) << 16);
    const chars = i + 1 >= input.length ? 2 : i + 2 >= input.length ? 3 : 4;
    for (let c = 0; c < chars; c++) out += ITOA64[(value >> (6 * c)) & 0x3f];
  }
  return out;
}
