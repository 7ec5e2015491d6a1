import { createHash, randomBytes } from 'node:crypto';

export const RECOVERY_CODE_COUNT = 10;
const ALPHABET = 'abcdefghjkmnpqrstuvwxyz23456789'; // no 0/o, 1/l/i: read from paper

/**
 * A recovery code: 12 characters of a 31-letter alphabet (about 59 bits), shown as `xxxx-xxxx-xxxx`.
 * With at most 5 tries per mfa_token and the sign-in limiter, guessing one is out of reach, so a
 * fast hash (salted with the admin's id) is enough to keep the stored form useless on its own.
 */
export function newRecoveryCode(): string {
  const bytes = randomBytes(12);
  let code = '';
  for (let i = 0; i < 12; i++) {
    // 256 % 31 != 0: redraw the few biased bytes rather than skew the alphabet.
    let b = bytes[i];
    while (b >= 248) b = randomBytes(1)[0];
    code += ALPHABET[b % ALPHABET.length];
    if (i === 3 || i === 7) code += '-';
  }
  return code;
}

/** Case, spaces and dashes do not matter when a person types a code back. */
export function normalizeRecoveryCode(input: string): string | null {
  const compact = input.toLowerCase().replace(/[\s-]/g, '');
  if (!/^[a-z0-9]{12}$/.test(compact)) return null;
  return `${compact.slice(0, 4)}-${compact.slice(4, 8)}-${compact.slice(8)}`;
}

export function hashRecoveryCode(adminId: string, normalizedCode: string): string {
  return createHash('sha256').update(`admin-recovery-code:${adminId}:${normalizedCode}`, 'utf8').digest('hex');
}
