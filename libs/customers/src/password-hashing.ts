import * as argon2 from 'argon2';
import { normalizePassword } from './normalize-password';

/**
 * argon2id with OWASP's recommended minimum (19 MiB, 2 iterations, 1 lane): strong enough for
 * stored passwords while keeping a reset-confirm request at a few tens of milliseconds of CPU.
 */
export const ARGON2_OPTIONS = Object.freeze({
  type: argon2.argon2id,
  memoryCost: 19_456,
  timeCost: 2,
  parallelism: 1,
});

/** The stored form of a password: argon2id of its normalized form (PasswordHasher.hash; no Nest, for the light CLI commands). */
export function hashPassword(password: string): Promise<string> {
  return argon2.hash(normalizePassword(password), ARGON2_OPTIONS);
}
