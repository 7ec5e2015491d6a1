import { createHash, randomBytes } from 'node:crypto';

/**
 * Bearer secrets (reset tokens, customer access tokens): 32 bytes from the OS CSPRNG, base64url.
 * Only {@link hashToken} of a secret is ever stored, so a database leak yields nothing usable.
 * SHA-256 without salt is right here: the input has 256 bits of entropy, so there is nothing to
 * brute-force, and an unsalted hash can be looked up with a unique index.
 */
export function generateToken(): string {
  return randomBytes(32).toString('base64url');
}

export function hashToken(rawToken: string): string {
  return createHash('sha256').update(rawToken, 'utf8').digest('hex');
}

/** A raw token has exactly the shape generateToken produces; anything else cannot match a hash. */
export function isWellFormedToken(value: string): boolean {
  return /^[A-Za-z0-9_-]{43}$/.test(value);
}
