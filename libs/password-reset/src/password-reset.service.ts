import { Injectable } from '@nestjs/common';
import { generateToken, hashToken, isWellFormedToken, resetTokenExpired, resetTokenInvalid } from '@customer-access/common';
import { CustomerContact, normalizeEmail } from '@customer-access/customers';
import { OutboxService } from '@customer-access/notification';
import { SettingsService } from '@customer-access/settings';
import { TokenIssue } from './password-reset-token.queries';
import { PasswordResetTokenRepository } from './password-reset-token.repository';
import { ResetOrigin } from './password-reset-token.entity';

export interface IssuedResetToken {
  customer: CustomerContact;
  /** The token row's id (for the delivery log; not a secret: it opens nothing). */
  tokenId: string;
  /** Lives only in the worker's memory and in the email. */
  rawToken: string;
  expiresAt: Date;
  expiresInHours: number;
}

/**
 * What a usable token tells the reset page about its account. Only the holder of a good link sees
 * it: an unknown, used or expired token yields nothing but its error.
 */
export interface UsableResetToken {
  customerLocale?: string;
  customerEmail?: string;
}

/** Issuing a reset token (worker) and checking one (API); completing a reset is CompletePasswordReset. */
@Injectable()
export class PasswordResetService {
  constructor(
    private readonly tokens: PasswordResetTokenRepository,
    private readonly settings: SettingsService,
    private readonly outbox: OutboxService,
  ) {}

  /**
   * Storefront request: null when no account has this email in `websiteCode` (null: in any website,
   * accountSharingScope = global); the caller then sends nothing.
   */
  issueForEmail(email: string, websiteCode: string | null = 'base'): Promise<IssuedResetToken | null> {
    return this.issue({ email: normalizeEmail(email), websiteCode }, 'storefront');
  }

  /** Admin request: null when the customer no longer exists. */
  issueForCustomer(customerId: string): Promise<IssuedResetToken | null> {
    return this.issue({ id: customerId }, 'admin');
  }

  /**
   * An account invitation's link (customers:invite): a reset token like an admin's, valid
   * `invitationLinkExpirationHours`, that opens the same Set a New Password page.
   */
  issueInvitation(customerId: string): Promise<IssuedResetToken | null> {
    return this.issue({ id: customerId }, 'admin', this.settings.current().invitationLinkExpirationHours);
  }

  /** Looks the customer up and stores the token in one statement (the repository says why). */
  private async issue(
    customer: TokenIssue['customer'],
    origin: ResetOrigin,
    expiresInHours = this.settings.current().resetLinkExpirationHours,
  ): Promise<IssuedResetToken | null> {
    const rawToken = generateToken();
    const issued = await this.tokens.issueForCustomer(customer, hashToken(rawToken), origin, expiresInHours);
    if (!issued) return null;
    // customer.password_reset.requested, written and relayed (fanned out) with the token (existing
    // accounts only): the deliverers are woken only when an endpoint wanted it and this worker's
    // deliverer did not take its deliveries claimed already (the repository).
    if (issued.unclaimedDeliveries > 0) await this.outbox.wakeWebhookDeliverers();
    return { customer: issued.customer, tokenId: issued.id, rawToken, expiresAt: issued.expiresAt, expiresInHours };
  }

  /**
   * Throws unless the token is usable; a used or superseded token reads as invalid, like an unknown
   * one. Returns the language and email stored on the token's account, so that the reset page can
   * speak it and name the account to password managers (callers ask behind the wrong-token limiter:
   * the answer tells whether a token is usable).
   */
  async validate(rawToken: string): Promise<UsableResetToken> {
    const { usability, customerLocale, customerEmail } = isWellFormedToken(rawToken)
      ? await this.tokens.inspect(hashToken(rawToken))
      : { usability: 'unknown' as const, customerLocale: undefined, customerEmail: undefined };
    if (usability === 'unknown') throw resetTokenInvalid('unknown');
    if (usability === 'spent') throw resetTokenInvalid('spent');
    if (usability === 'expired') throw resetTokenExpired();
    return { customerLocale, customerEmail };
  }
}
