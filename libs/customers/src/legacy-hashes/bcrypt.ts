import { verify as bcryptVerify } from '@node-rs/bcrypt';
import { HashFamily, malformed, tooCostly, WORK_FACTOR_LIMITS } from './format';

/** `$2a$`, `$2b$`, `$2y$` (PHP's password_hash): cost, 22 characters of salt, 31 of hash. */
const BCRYPT = /^\$2[aby]\$(\d\d)\$[./A-Za-z0-9]{53}$/;

/** Checks a bcrypt string's shape and cost; returns it, or throws UnsupportedHashFormatError. */
export function checkBcrypt(hash: string): string {
  const m = BCRYPT.exec(hash);
  if (!m) throw malformed('not a bcrypt hash ($2a$/$2b$/$2y$, a two-digit cost, 53 characters)');
  const cost = Number(m[1]);
  if (cost < 4 || cost > 31) throw malformed('bcrypt cost outside 4-31');
  if (cost > WORK_FACTOR_LIMITS.bcryptCost) throw tooCostly(`bcrypt cost above ${WORK_FACTOR_LIMITS.bcryptCost}`);
  return hash;
}

/** Verified by @node-rs/bcrypt (a maintained Rust binding, off the event loop, constant-time compare). */
export async function verifyBcrypt(password: string | Buffer, hash: string): Promise<boolean> {
  try {
    return await bcryptVerify(password, hash);
  } catch {
    return false;
  }
}

export const bcrypt: HashFamily<string> = {
  parse: (hash) => (/^\$2[a-z]\$/.test(hash) ? { algorithm: 'bcrypt', parsed: checkBcrypt(hash) } : null),
  verify: (password, hash) => verifyBcrypt(password, hash),
};
