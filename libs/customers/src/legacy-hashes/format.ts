import { timingSafeEqual } from 'node:crypto';

/**
 * The password-hash formats of the systems stores leave (docs/importing.md). Each name is also the
 * `algorithm` label of the legacy-password metrics, so the set is small and fixed.
 */
export type LegacyAlgorithm =
  | 'magento-v0-md5'
  | 'magento-v1-sha256'
  | 'magento-v2-argon2id13'
  | 'magento-v3-argon2id13'
  | 'magento-chained'
  | 'magento-unversioned-md5'
  | 'magento-unversioned-sha256'
  | 'md5'
  | 'bcrypt'
  | 'phpass'
  | 'wordpress-bcrypt'
  | 'django-pbkdf2-sha256'
  | 'argon2id'
  | 'argon2i'
  | 'pbkdf2-sha256';

/** Why a stored hash cannot be used: no family recognizes it, it is damaged, or it costs too much. */
export type UnsupportedReason = 'unknown-format' | 'malformed' | 'work-factor-too-high';

/**
 * A hash that cannot be verified, with a reason a person can read (an import's error file shows it).
 * The message never contains the hash itself: a legacy hash is never logged.
 */
export class UnsupportedHashFormatError extends Error {
  constructor(
    readonly reason: UnsupportedReason,
    readonly detail: string,
  ) {
    super(`Unsupported password hash (${reason}): ${detail}`);
    this.name = 'UnsupportedHashFormatError';
  }
}

/**
 * Work factors above these would let one sign-in tie up the server (a denial of service), so such
 * hashes are refused at identification, before they are stored.
 */
export const WORK_FACTOR_LIMITS = Object.freeze({
  bcryptCost: 14,
  pbkdf2Iterations: 5_000_000,
  argon2MemoryKiB: 256 * 1024,
  argon2TimeCost: 10,
  /** log2 of phpass's md5 rounds; they run on the event loop (WordPress writes 13). */
  phpassLog2Rounds: 16,
});

/** One family's recognizer and verifier. `parse` throws UnsupportedHashFormatError, or returns null when the hash is not of this family. */
export interface HashFamily<P> {
  parse(hash: string): { algorithm: LegacyAlgorithm; parsed: P } | null;
  verify(password: string, parsed: P): Promise<boolean>;
}

export const malformed = (detail: string) => new UnsupportedHashFormatError('malformed', detail);
export const tooCostly = (detail: string) => new UnsupportedHashFormatError('work-factor-too-high', detail);

/** Constant-time equality of two byte strings (a length difference is not secret: it is the format's). */
export function equalBytes(a: Buffer, b: Buffer): boolean {
  return a.length === b.length && timingSafeEqual(a, b);
}

/** The bytes a PHP or Python system hashed: the password as typed, in UTF-8 (no normalization). */
export const passwordBytes = (password: string): Buffer => Buffer.from(password, 'utf8');
