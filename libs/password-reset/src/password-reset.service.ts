import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import {
  generateToken,
  hashToken,
  isWellFormedToken,
  passwordMismatch,
  resetTokenExpired,
  resetTokenInvalid,
} from '@customer-access/common';
import { Customer, CustomerRepository, normalizeEmail, PasswordHasher, PasswordPolicy } from '@customer-access/customers';
import { MailJob, OutboxService } from '@customer-access/notification';
import { SettingsService } from '@customer-access/settings';
import { PasswordResetTokenRepository } from './password-reset-token.repository';
import { ResetOrigin } from './password-reset-token.entity';

export interface IssuedResetToken {
  customer: Customer;
  /** Lives only in the worker's memory and in the email. */
  rawToken: string;
  expiresAt: Date;
  expiresInHours: number;
}

export interface ResetPasswordInput {
  token: string;
  password: string;
  passwordConfirmation: string;
}

/** The reset use cases: issue a token (worker), validate it and set a new password (API). */
@Injectable()
export class PasswordResetService {
  constructor(
    private readonly tokens: PasswordResetTokenRepository,
    private readonly customers: CustomerRepository,
    private readonly hasher: PasswordHasher,
    private readonly policy: PasswordPolicy,
    private readonly settings: SettingsService,
    private readonly outbox: OutboxService,
  ) {}

  /** Storefront request: null when no account has this email (the caller then sends nothing). */
  async issueForEmail(email: string): Promise<IssuedResetToken | null> {
    const customer = await this.customers.findByEmail(normalizeEmail(email));
    return customer ? this.issue(customer, 'storefront') : null;
  }

  /** Admin request: null when the customer no longer exists. */
  async issueForCustomer(customerId: string): Promise<IssuedResetToken | null> {
    const customer = await this.customers.findById(customerId);
    return customer ? this.issue(customer, 'admin') : null;
  }

  private async issue(customer: Customer, origin: ResetOrigin): Promise<IssuedResetToken> {
    const expiresInHours = this.settings.current().resetLinkExpirationHours;
    const rawToken = generateToken();
    const expiresAt = await this.tokens.replaceForCustomer(customer.id, hashToken(rawToken), origin, expiresInHours);
    return { customer, rawToken, expiresAt, expiresInHours };
  }

  async validate(rawToken: string): Promise<void> {
    const state = isWellFormedToken(rawToken) ? await this.tokens.state(hashToken(rawToken)) : 'invalid';
    if (state === 'invalid') throw resetTokenInvalid();
    if (state === 'expired') throw resetTokenExpired();
  }

  /**
   * Sets the new password. Cheap checks come first (no argon2 for a bad token) and the argon2 hash
   * is computed before the write, which is one statement (see consumeAndSetPassword): it consumes
   * the token (atomically, once), stores the hash, deletes the customer's reset tokens, revokes
   * their access tokens (revokeTokensOnReset), and records the confirmation email in the outbox.
   */
  async resetPassword(input: ResetPasswordInput): Promise<{ customerId: string }> {
    const settings = this.settings.current();
    this.policy.assertAcceptable(input.password, settings);
    if (input.password !== input.passwordConfirmation) {
      throw passwordMismatch();
    }
    await this.validate(input.token);
    const tokenHash = hashToken(input.token);
    const passwordHash = await this.hasher.hash(input.password);

    const outboxId = randomUUID();
    const customerId = await this.tokens.consumeAndSetPassword({
      tokenHash,
      passwordHash,
      revokeAccessTokens: settings.revokeTokensOnReset,
      outboxId,
      outboxJobName: MailJob.PasswordChanged,
    });
    if (!customerId) {
      // Lost a race with a concurrent reset, or expired in between: tell which.
      await this.validate(input.token);
      throw resetTokenInvalid();
    }
    await this.outbox.relayNow(outboxId, { name: MailJob.PasswordChanged, payload: { customerId } });
    return { customerId };
  }
}
