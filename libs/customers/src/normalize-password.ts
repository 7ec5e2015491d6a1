/**
 * The form a password is hashed, verified and checked in: Unicode NFKC (NIST SP 800-63B
 * §3.1.1.2), so that "é" typed as one code point (NFC, most keyboards) or as "e" + a combining
 * accent (NFD, some macOS input paths) is the same password. Nothing else is changed: no trimming,
 * no case folding.
 */
export function normalizePassword(password: string): string {
  return password.normalize('NFKC');
}
