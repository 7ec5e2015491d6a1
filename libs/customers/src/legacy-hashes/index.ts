import { argon2 } from './argon2';
import { bcrypt } from './bcrypt';
import { HashFamily, LegacyAlgorithm, UnsupportedHashFormatError } from './format';
import { magento } from './magento';
import { django, pbkdf2Sha256 } from './pbkdf2';
import { phpass } from './phpass';
import { wordpress } from './wordpress';

export { type LegacyAlgorithm, UnsupportedHashFormatError, type UnsupportedReason, WORK_FACTOR_LIMITS } from './format';

/** Tried in order; each recognizes its own prefix or shape only, so at most one claims a hash. */
const FAMILIES: readonly HashFamily<unknown>[] = [
  wordpress,
  bcrypt,
  phpass,
  argon2,
  pbkdf2Sha256,
  django,
  magento,
] as HashFamily<unknown>[];

const MAX_HASH_LENGTH = 1024;

/**
 * The form of nearly every row of a Magento 2 export, `sha256hex:salt:1`, told without building the
 * parsed hash (the importer only asks which algorithm). It starts with a hex digit, so no other
 * family claims it, and magento.parse answers the same for it (a unit test holds the two together).
 */
const MAGENTO_V1_SHA256 = /^[0-9a-fA-F]{64}:[^:]*:1$/;

const COLON = 0x3a;
/** {@link MAGENTO_V1_SHA256}'s test, a character at a time (the importer asks it of every row: about 3× faster). */
function isMagentoV1Sha256(hash: string): boolean {
  const length = hash.length;
  if (length < 67 || hash.charCodeAt(64) !== COLON || hash.charCodeAt(length - 2) !== COLON || hash.charCodeAt(length - 1) !== 0x31)
    return false;
  for (let i = 0; i < 64; i++) {
    const c = hash.charCodeAt(i);
    if (!((c >= 0x30 && c <= 0x39) || (c >= 0x61 && c <= 0x66) || (c >= 0x41 && c <= 0x46))) return false;
  }
  for (let i = 65; i < length - 2; i++) if (hash.charCodeAt(i) === COLON) return false;
  return true;
}

/** For the unit test that holds the two together. */
export const magentoV1Sha256Test = { regex: MAGENTO_V1_SHA256, fast: isMagentoV1Sha256 };

function parse(hash: string): { algorithm: LegacyAlgorithm; parsed: unknown; family: HashFamily<unknown> } {
  if (typeof hash !== 'string' || hash.length === 0) throw new UnsupportedHashFormatError('unknown-format', 'the hash is empty');
  if (hash.length > MAX_HASH_LENGTH)
    throw new UnsupportedHashFormatError('malformed', `the hash is longer than ${MAX_HASH_LENGTH} characters`);
  for (const family of FAMILIES) {
    const found = family.parse(hash);
    if (found) return { ...found, family };
  }
  throw new UnsupportedHashFormatError(
    'unknown-format',
    'not a Magento 2, bcrypt, phpass, WordPress, Django pbkdf2_sha256, argon2 or pbkdf2-sha256 hash',
  );
}

/**
 * Which algorithm made a stored hash, for the importer to accept or reject a row before anything is
 * written. Throws UnsupportedHashFormatError (with its reason) for an unknown, damaged or too costly hash.
 */
export function identify(hash: string): LegacyAlgorithm {
  if (typeof hash === 'string' && hash.length <= MAX_HASH_LENGTH && isMagentoV1Sha256(hash)) return 'magento-v1-sha256';
  return parse(hash).algorithm;
}

/**
 * Whether `password` (as typed: the old systems hashed it without normalization) matches a legacy
 * hash. Every comparison is constant-time. Throws UnsupportedHashFormatError as {@link identify}.
 */
export async function verify(password: string, hash: string): Promise<boolean> {
  const { family, parsed } = parse(hash);
  return family.verify(password, parsed);
}
