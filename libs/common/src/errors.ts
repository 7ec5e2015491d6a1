/** Every error code a client can receive. Fixed by docs/api.md: clients branch on these strings. */
export enum ErrorCode {
  Validation = 'VALIDATION',
  PasswordPolicy = 'PASSWORD_POLICY',
  PasswordMismatch = 'PASSWORD_MISMATCH',
  /** The new password is in the Pwned Passwords list (400). */
  PasswordBreached = 'PASSWORD_BREACHED',
  EmailTaken = 'EMAIL_TAKEN',
  ResetRateLimited = 'RESET_RATE_LIMITED',
  ResetTokenInvalid = 'RESET_TOKEN_INVALID',
  ResetTokenExpired = 'RESET_TOKEN_EXPIRED',
  CustomerHasNoTokens = 'CUSTOMER_HAS_NO_TOKENS',
  NotFound = 'NOT_FOUND',
  Unauthorized = 'UNAUTHORIZED',
  /** A wrong, replayed or spent second-factor code, or an mfa_token that is no longer valid (401). */
  MfaInvalid = 'MFA_INVALID',
  Forbidden = 'FORBIDDEN',
  PayloadTooLarge = 'PAYLOAD_TOO_LARGE',
  UnsupportedMediaType = 'UNSUPPORTED_MEDIA_TYPE',
  TooManyRequests = 'TOO_MANY_REQUESTS',
  ServiceUnavailable = 'SERVICE_UNAVAILABLE',
  Internal = 'INTERNAL',
  /** The `Store` header names no store view, or an inactive one (400). */
  StoreUnknown = 'STORE_UNKNOWN',
  /** `accountSharingScope` = global refused while an email has accounts in two websites (409). */
  AccountSharingConflict = 'ACCOUNT_SHARING_CONFLICT',
  /** A forgot request that needs a solved proof-of-work challenge came without a good one (400, with a fresh `challenge`). */
  ChallengeRequired = 'CHALLENGE_REQUIRED',
}

/** Values inserted into a message's placeholders (`{{name}}` in the i18n catalogues). */
export type ErrorParams = Record<string, string | number>;

export interface DomainErrorOptions {
  /**
   * The i18n catalogue key of `message` (libs/i18n, e.g. `api.resetTokenInvalid`), so that a
   * caller can render the message in the client's language from `messageKey` + `params`. Without
   * a key the English `message` is the only form.
   */
  messageKey?: string;
  params?: ErrorParams;
  /** When trying again may succeed (rate limits), in seconds. */
  retryAfterSeconds?: number;
  /** Which credential is missing (an UNAUTHORIZED error): the admin JWT or the metrics token. */
  realm?: 'admin' | 'metrics';
  /** Why, more precisely than `code`, for the service's own decisions; never sent to clients. */
  reason?: string;
  /** Fields the answer carries beside `statusCode`, `code` and `message` (CHALLENGE_REQUIRED: `challenge`). */
  details?: Record<string, unknown>;
}

/**
 * An expected failure of a use case. It says what went wrong (`code`, docs/api.md) and nothing about
 * HTTP: the API app maps codes to statuses and headers in one place (apps/api/src/http), so the
 * worker and the CLI can use the same libs without knowing about HTTP.
 */
export class DomainError extends Error {
  readonly messageKey?: string;
  readonly params: ErrorParams;
  readonly retryAfterSeconds?: number;
  readonly realm?: 'admin' | 'metrics';
  readonly reason?: string;
  readonly details?: Record<string, unknown>;

  constructor(
    readonly code: ErrorCode,
    /** The English text, exactly as docs/api.md words it. */
    message: string,
    options: DomainErrorOptions = {},
  ) {
    super(message);
    this.name = 'DomainError';
    this.messageKey = options.messageKey;
    this.params = options.params ?? {};
    this.retryAfterSeconds = options.retryAfterSeconds;
    this.realm = options.realm;
    this.reason = options.reason;
    this.details = options.details;
  }
}

/** docs/api.md's English texts. Those with an i18n key equal `en.json`'s text (a unit test checks). */
export const Messages = {
  resetTokenInvalid: 'The password token is mismatched. Reset and try again.',
  resetTokenExpired: 'Your password reset link has expired.',
  passwordMismatch: "New Password and Confirm New Password values didn't match.",
  passwordBreached: 'This password has appeared in a data breach. Choose a different password.',
  passwordUpdated: 'You updated your password.',
  forgotAccepted: (email: string) =>
    `If there is an account associated with ${email} you will receive an email with a link to reset your password.`,
  resetRateLimited: (supportEmail: string) =>
    `We received too many requests for password resets. Please wait and try again later or contact ${supportEmail}.`,
  adminResetAccepted: 'The customer will receive an email with a link to reset password.',
  tokensRevoked: "You have revoked the customer's tokens.",
  customerHasNoTokens: 'This customer has no tokens.',
  emailTaken: 'There is already an account with this email address.',
  storeUnknown: 'The store view named in the Store header is unknown or inactive.',
  challengeRequired: 'Complete the verification that protects this form, then try again.',
  accountSharingConflict:
    'Some email addresses have accounts in more than one website. Customer accounts can be shared globally only when each address has one account.',
} as const;

/** Why a reset token is refused as RESET_TOKEN_INVALID: never issued, or issued but no longer usable. */
export type InvalidResetTokenReason = 'unknown' | 'spent';

/**
 * RESET_TOKEN_INVALID. Clients get one answer for both reasons; the wrong-token limiter counts only
 * 'unknown' (a guess), not a genuine link that was used, superseded, or lost a concurrent reset.
 */
export const resetTokenInvalid = (reason: InvalidResetTokenReason = 'unknown') =>
  new DomainError(ErrorCode.ResetTokenInvalid, Messages.resetTokenInvalid, { messageKey: 'api.resetTokenInvalid', reason });

export const resetTokenExpired = () =>
  new DomainError(ErrorCode.ResetTokenExpired, Messages.resetTokenExpired, { messageKey: 'api.resetTokenExpired' });

export const passwordBreached = () =>
  new DomainError(ErrorCode.PasswordBreached, Messages.passwordBreached, { messageKey: 'api.passwordBreached' });
export const passwordMismatch = () =>
  new DomainError(ErrorCode.PasswordMismatch, Messages.passwordMismatch, { messageKey: 'api.passwordMismatch' });

export const resetRateLimited = (supportEmail: string, retryAfterSeconds: number) =>
  new DomainError(ErrorCode.ResetRateLimited, Messages.resetRateLimited(supportEmail), {
    messageKey: 'api.resetRateLimited',
    params: { supportEmail },
    retryAfterSeconds,
  });

/**
 * CHALLENGE_REQUIRED: the request needs a solved proof-of-work challenge and brought none, or one
 * that is malformed, tampered with, expired, for another client or already used. `reason` says which
 * (for logs and metrics only); the answer carries a fresh `challenge` to solve.
 */
export const challengeRequired = (challenge: unknown, reason: string) =>
  new DomainError(ErrorCode.ChallengeRequired, Messages.challengeRequired, {
    messageKey: 'api.challengeRequired',
    reason,
    details: { challenge },
  });
