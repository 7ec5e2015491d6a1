import { Injectable, Optional } from '@nestjs/common';
import { ApiMetrics } from '@customer-access/observability';
import { Customer } from './customer.entity';
import { CustomerRepository } from './customer.repository';
import { identify, LegacyAlgorithm, UnsupportedHashFormatError, verify as verifyLegacy } from './legacy-hashes';
import { ARGON2_OPTIONS, NO_USABLE_PASSWORD, PasswordHasher } from './password-hasher';

/** The parameters of every hash this service writes (PasswordHasher), in the order they are sorted to. */
const NATIVE_PARAMS = [`m=${ARGON2_OPTIONS.memoryCost}`, `p=${ARGON2_OPTIONS.parallelism}`, `t=${ARGON2_OPTIONS.timeCost}`].join(',');

/** An argon2id hash with this service's parameters (written in any order); anything else is a legacy hash. */
function isNativeHash(hash: string): boolean {
  const m = /^\$argon2id\$v=19\$([^$]+)\$/.exec(hash);
  return m !== null && m[1].split(',').sort().join(',') === NATIVE_PARAMS;
}

/**
 * Checks a customer's password against the stored hash, whatever made it (docs/importing.md).
 * A hash brought from another system (Magento, WordPress, Django, bcrypt, …) is verified with the
 * password as typed and, when it matches, replaced in the same request by this service's argon2id
 * hash, only if the row still holds the hash that was verified (a concurrent reset wins).
 */
@Injectable()
export class CustomerCredentials {
  constructor(
    private readonly customers: CustomerRepository,
    private readonly hasher: PasswordHasher,
    /** Present in the API (ObservabilityModule); the worker and the CLI count nothing. */
    @Optional() private readonly metrics?: ApiMetrics,
  ) {}

  async verify(customer: Pick<Customer, 'id' | 'passwordHash'>, password: string): Promise<boolean> {
    const stored = customer.passwordHash;
    if (isNativeHash(stored)) return this.hasher.verify(stored, password);
    // No usable password yet (imported without one): the same answer, and the same time, as a wrong password.
    if (stored === NO_USABLE_PASSWORD) return this.hasher.verifyDummy(password);

    // The argon2id hash that replaces a matching legacy hash is computed while the legacy hash is
    // verified, not after: both run on native thread pools, so a sign-in that upgrades takes about
    // max(legacy, argon2) instead of their sum (bcrypt cost 10 + argon2id was about 2x a native
    // sign-in). A mismatch awaits it too, as the argon2 work that keeps a cheap legacy check (md5,
    // sha256) from answering faster than an unknown account: the same CPU as before either way.
    const rehash = this.hasher.hash(password);
    rehash.catch(() => undefined); // awaited below on every path; not an unhandled rejection meanwhile
    let algorithm: LegacyAlgorithm | 'unsupported' = 'unsupported';
    let matches = false;
    try {
      algorithm = identify(stored);
      matches = await verifyLegacy(password, stored);
    } catch (error) {
      // A stored hash no verifier accepts (or an account without a usable password) answers as a wrong password.
      if (!(error instanceof UnsupportedHashFormatError)) throw error;
    }
    this.metrics?.legacyPasswordVerifications.labels(algorithm, matches ? 'success' : 'failure').inc();
    const newHash = await rehash;
    if (!matches) return false;
    // Only if the row still holds the hash that was verified (a concurrent reset wins).
    const upgraded = await this.customers.replaceLegacyPasswordHash(customer.id, stored, newHash);
    if (upgraded) this.metrics?.legacyPasswordUpgrades.labels(algorithm).inc();
    return true;
  }
}
