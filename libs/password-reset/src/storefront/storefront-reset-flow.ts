import { Injectable } from '@nestjs/common';
import { clientNetworkKey, DomainError, ErrorCode, resetRateLimited } from '@customer-access/common';
import { normalizeEmail } from '@customer-access/customers';
import { MailJob, MailProducer } from '@customer-access/notification';
import { ApiMetrics, LogContext } from '@customer-access/observability';
import { ResolvedStoreView, SettingsService } from '@customer-access/settings';
import { CompletePasswordReset, ResetPasswordInput } from '../complete-password-reset';
import { PasswordResetService, UsableResetToken } from '../password-reset.service';
import { RedisThrottlerStorage } from './redis-throttler.storage';
import { ResetChallenge } from './reset-challenge';
import { resetRequestCounters } from './reset-request-counters';
import { ResetTokenGuessLimiter } from './reset-token-guess-limiter';

/** A "Forgot Your Password?" request the door has validated: `email` is a well-formed address. */
export interface ResetRequest {
  /** The client IP (Fastify's request.ip: the peer, or X-Forwarded-For from a trusted proxy). */
  ip: string;
  email: string;
  /** The request's store view (its `Store` header, or the hosted page's Host): the email's link base, sender and name. */
  storeView: Pick<ResolvedStoreView, 'code' | 'websiteCode' | 'supportEmail'>;
  /** The solved proof-of-work challenge (the ALTCHA widget's payload), when the request brings one. */
  altcha?: string;
}

/**
 * The storefront's password reset, behind every door (the REST routes and the hosted pages), so
 * that every rule holds whichever one a customer uses. The doors validate their input first and
 * only call the flow with a well-formed request: input that fails validation never counts against
 * a limit. The flow owns the forgot throttle, the enqueue, the wrong-token limiter and the
 * outcome metrics; the doors only shape the answer.
 */
@Injectable()
export class StorefrontResetFlow {
  constructor(
    private readonly settings: SettingsService,
    private readonly throttle: RedisThrottlerStorage,
    private readonly producer: MailProducer,
    private readonly guessLimiter: ResetTokenGuessLimiter,
    private readonly challenge: ResetChallenge,
    private readonly passwordReset: PasswordResetService,
    private readonly completeReset: CompletePasswordReset,
    private readonly metrics: ApiMetrics,
    private readonly logContext: LogContext,
  ) {}

  /**
   * Admits the request past the proof of work when `resetChallenge` asks for one (CHALLENGE_REQUIRED
   * otherwise, before any throttle counter is touched), counts it against the forgot throttle (all
   * counters in one Redis round trip), then
   * only enqueues, with no database work, so the answer and its timing are the same whether or not
   * the account exists: the worker looks the address up and emails the account's stored address.
   * Throws RESET_RATE_LIMITED (with the seconds to wait) when a counter is over its limit.
   */
  async request({ ip, email, storeView, altcha }: ResetRequest): Promise<void> {
    const settings = this.settings.current();
    if (settings.resetChallenge !== 'off') await this.challenge.admit(ip, altcha, settings);
    const normalized = normalizeEmail(email);
    const website = settings.accountSharingScope === 'global' ? null : storeView.websiteCode;
    const counters = resetRequestCounters(settings, { network: clientNetworkKey(ip), email: normalized, website });
    if (counters.length > 0) {
      const records = await this.throttle.incrementInOrder(counters);
      const blocked = records.find((record) => record.isBlocked);
      if (blocked) throw resetRateLimited(storeView.supportEmail, blocked.timeToBlockExpire);
    }
    await this.producer.enqueue(MailJob.PasswordResetRequested, { email: normalized, storeView: storeView.code });
    this.metrics.resetsRequested.labels('storefront').inc();
  }

  /**
   * Throws unless the token is usable (within the IP's budget of wrong tokens). Returns the
   * language and email stored on the token's account, for the reset page.
   */
  check(ip: string, token: string): Promise<UsableResetToken> {
    return this.guessLimiter.run(ip, () => this.passwordReset.validate(token));
  }

  /** Sets the new password; counts the outcome: completed, or failed under the error code the client gets. */
  async complete(ip: string, input: ResetPasswordInput): Promise<{ customerId: string }> {
    let customerId: string;
    try {
      ({ customerId } = await this.guessLimiter.run(ip, () => this.completeReset.execute(input)));
    } catch (error) {
      this.metrics.resetsFailed.labels(error instanceof DomainError ? error.code : ErrorCode.Internal).inc();
      throw error;
    }
    this.metrics.resetsCompleted.inc();
    this.logContext.assign({ customerId });
    return { customerId };
  }
}
