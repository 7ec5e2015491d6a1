import { Injectable } from '@nestjs/common';
import { generateToken, hashToken, isWellFormedToken, resetTokenExpired, resetTokenInvalid } from '@customer-access/common';
import { Customer, CustomerRepository, normalizeEmail } from '@customer-access/customers';
import { SettingsService } from '@customer-access/settings';
import { PasswordResetTokenRepository } from './password-reset-token.repository';
import { ResetOrigin } from './password-reset-token.entity';

export interface IssuedResetToken {
  customer: Customer;
  /** The token row's id (for the delivery log; not a secret: it opens nothing). */
  tokenId: string;
  /** Lives only in the worker's memory and in the email. */
  rawToken: string;
  expiresAt: Date;
  expiresInHours: number;
}

/** Issuing a reset token (worker) and checking one (API); completing a reset is CompletePasswordReset. */
@Injectable()
export class PasswordResetService {
  constructor(
    private readonly tokens: PasswordResetTokenRepository,
    private readonly customers: CustomerRepository,
    private readonly settings: SettingsService,
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
    const { id, expiresAt } = await this.tokens.issueReplacing(customer.id, hashToken(rawToken), origin, expiresInHours);
    return { customer, tokenId: id, rawToken, expiresAt, expiresInHours };
  }

  /** Throws unless the token is usable; a used or superseded token reads as invalid, like an unknown one. */
  /**
   * The language stored on the account of a usable token, so that the reset page can speak it.
   * Ask only after `validate` accepted the token (behind the wrong-token limiter): the answer tells
   * whether a token is usable.
   */
  async customerLocale(rawToken: string): Promise<string | undefined> {
    if (!isWellFormedToken(rawToken)) return undefined;
    const customerId = await this.tokens.customerOfUsable(hashToken(rawToken));
    return customerId ? (await this.customers.findById(customerId))?.locale : undefined;
  }

  async validate(rawToken: string): Promise<void> {
    const usability = isWellFormedToken(rawToken) ? await this.tokens.usabilityOf(hashToken(rawToken)) : 'unknown';
    if (usability === 'unknown') throw resetTokenInvalid('unknown');
    if (usability === 'spent') throw resetTokenInvalid('spent');
    if (usability === 'expired') throw resetTokenExpired();
  }
}
