import { Injectable } from '@nestjs/common';
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

export { NO_USABLE_PASSWORD } from './no-usable-password';

/** Hashes and verifies passwords in their normalized form (normalizePassword). */
@Injectable()
export class PasswordHasher {
  /** A hash of a random string, verified against when the account does not exist (equal timing). */
  private dummyHash?: Promise<string>;

  hash(password: string): Promise<string> {
    return argon2.hash(normalizePassword(password), ARGON2_OPTIONS);
  }

  async verify(hash: string, password: string): Promise<boolean> {
    try {
      return await argon2.verify(hash, normalizePassword(password));
    } catch {
      return false;
    }
  }

  /** Spends the same time as a real verification, for unknown accounts. Always false. */
  async verifyDummy(password: string): Promise<false> {
    this.dummyHash ??= this.hash('dummy-password-for-timing-equalization');
    await this.verify(await this.dummyHash, password);
    return false;
  }
}
