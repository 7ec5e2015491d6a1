import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { hashToken, passwordMismatch, resetTokenInvalid } from '@customer-access/common';
import { BreachedPasswordCheck, PasswordHasher, PasswordPolicy } from '@customer-access/customers';
import { OutboxService } from '@customer-access/notification';
import { SettingsService } from '@customer-access/settings';
import { PasswordResetTokenRepository } from './password-reset-token.repository';
import { PasswordResetService } from './password-reset.service';

export interface ResetPasswordInput {
  token: string;
  password: string;
  passwordConfirmation: string;
}

/**
 * The "complete a reset" use case: a customer with a usable token sets a new password. It touches
 * five tables (reset tokens, customer, access tokens, outbox, webhook deliveries) in one statement
 * (PasswordResetTokenSql.completeReset), each table's part written by the lib that owns the table.
 */
@Injectable()
export class CompletePasswordReset {
  constructor(
    private readonly tokens: PasswordResetTokenRepository,
    private readonly passwordReset: PasswordResetService,
    private readonly hasher: PasswordHasher,
    private readonly policy: PasswordPolicy,
    private readonly settings: SettingsService,
    private readonly outbox: OutboxService,
    private readonly breached: BreachedPasswordCheck,
  ) {}

  /**
   * Cheap checks come first (no argon2 for a bad token), and the argon2 hash is computed before the
   * write, so the token row is locked only for the statement itself.
   */
  async execute(input: ResetPasswordInput): Promise<{ customerId: string }> {
    const settings = this.settings.current();
    this.policy.assertAcceptable(input.password, settings);
    if (input.password !== input.passwordConfirmation) throw passwordMismatch();
    await this.passwordReset.validate(input.token);
    // After the token: only a link's holder makes the service ask the range API.
    await this.breached.assertNotBreached(input.password, settings.breachedPasswordCheck);
    const passwordHash = await this.hasher.hash(input.password);

    const completed = await this.tokens.completeReset({
      tokenHash: hashToken(input.token),
      passwordHash,
      revokeAccessTokens: settings.revokeTokensOnReset,
      outboxId: randomUUID(),
      changedEventId: randomUUID(),
      revokedEventId: randomUUID(),
    });
    if (!completed) {
      // Lost a race with a concurrent reset (spent), or expired in between: tell which.
      await this.passwordReset.validate(input.token);
      throw resetTokenInvalid('spent');
    }
    const { customerId, deliveries } = completed;
    // The confirmation email's outbox row committed with the change: the worker's outbox sweep puts
    // its job on the queue (docs/architecture.md, Outbox), so the request neither adds the job nor
    // marks the row. The webhook events were fanned out by the statement itself: only the
    // deliverers need waking.
    if (deliveries > 0) await this.outbox.wakeWebhookDeliverers();
    return { customerId };
  }
}
