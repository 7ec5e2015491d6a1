import { Injectable } from '@nestjs/common';
import * as argon2 from 'argon2';
import { hashPassword } from './password-hashing';
import { normalizePassword } from './normalize-password';

export { ARGON2_OPTIONS } from './password-hashing';
export { NO_USABLE_PASSWORD } from './no-usable-password';

/** Hashes and verifies passwords in their normalized form (normalizePassword). */
@Injectable()
export class PasswordHasher {
  /** A hash of a random string, verified against when the account does not exist (equal timing). */
  private dummyHash?: Promise<string>;

  hash(password: string): Promise<string> {
    return hashPassword(password);
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
