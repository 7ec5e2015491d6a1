import { createHash } from 'node:crypto';
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
    const pw = passwordBytes(password);
    let hash = createHash('md5').update(salt).update(pw).digest();
    for (let count = 2 ** log2Rounds; count > 0; count--) hash = createHash('md5').update(hash).update(pw).digest();
    return equalBytes(Buffer.from(setting + encode64(hash), 'utf8'), stored);
  },
};

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
