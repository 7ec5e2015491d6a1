import { pbkdf2 } from 'node:crypto';
import { promisify } from 'node:util';
import { equalBytes, HashFamily, malformed, passwordBytes, tooCostly, WORK_FACTOR_LIMITS } from './format';

const pbkdf2Async = promisify(pbkdf2);

/** PBKDF2-HMAC-SHA256 by node:crypto (libuv's thread pool, off the event loop), compared in constant time. */
export interface Pbkdf2Hash {
  iterations: number;
  salt: Buffer;
  hash: Buffer;
}

function checkIterations(text: string): number {
  if (!/^[1-9]\d{0,9}$/.test(text)) throw malformed('pbkdf2 iterations must be a positive integer');
  const iterations = Number(text);
  if (iterations > WORK_FACTOR_LIMITS.pbkdf2Iterations) throw tooCostly('pbkdf2 iterations above 5,000,000');
  return iterations;
}

const verifyPbkdf2 = async (password: string, { iterations, salt, hash }: Pbkdf2Hash): Promise<boolean> =>
  equalBytes(await pbkdf2Async(passwordBytes(password), salt, iterations, hash.length, 'sha256'), hash);

/** Django's `pbkdf2_sha256$iterations$salt$base64(hash)` (django.contrib.auth.hashers); the salt is used as text. */
export const django: HashFamily<Pbkdf2Hash> = {
  parse(stored) {
    if (!stored.startsWith('pbkdf2_sha256$')) return null;
    const parts = stored.split('$');
    if (parts.length !== 4 || parts[2] === '') throw malformed('a Django hash is pbkdf2_sha256$iterations$salt$hash');
    if (!/^[A-Za-z0-9+/]{43}=$/.test(parts[3])) throw malformed('a Django pbkdf2_sha256 hash is 32 bytes of base64');
    return {
      algorithm: 'django-pbkdf2-sha256',
      parsed: { iterations: checkIterations(parts[1]), salt: Buffer.from(parts[2], 'utf8'), hash: Buffer.from(parts[3], 'base64') },
    };
  },
  verify: verifyPbkdf2,
};

/** passlib's adapted base64: standard base64 with "." for "+" and no padding. */
const ab64 = (text: string): Buffer => Buffer.from(text.replace(/\./g, '+'), 'base64');

/** passlib's PHC-like `$pbkdf2-sha256$rounds$ab64(salt)$ab64(hash)`. */
export const pbkdf2Sha256: HashFamily<Pbkdf2Hash> = {
  parse(stored) {
    if (!stored.startsWith('$pbkdf2-sha256$')) return null;
    const parts = stored.split('$');
    if (parts.length !== 5 || !/^[./A-Za-z0-9]{1,200}$/.test(parts[3]) || !/^[./A-Za-z0-9]{43}$/.test(parts[4])) {
      throw malformed('a pbkdf2-sha256 hash is $pbkdf2-sha256$rounds$salt$hash in adapted base64, a 32-byte hash');
    }
    return { algorithm: 'pbkdf2-sha256', parsed: { iterations: checkIterations(parts[2]), salt: ab64(parts[3]), hash: ab64(parts[4]) } };
  },
  verify: verifyPbkdf2,
};
