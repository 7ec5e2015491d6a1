import { HttpStatus } from '@nestjs/common';

/** Every error code a client can receive. Fixed by DESIGN.md: clients branch on these strings. */
export enum ErrorCode {
  Validation = 'VALIDATION',
  PasswordPolicy = 'PASSWORD_POLICY',
  PasswordMismatch = 'PASSWORD_MISMATCH',
  EmailTaken = 'EMAIL_TAKEN',
  ResetRateLimited = 'RESET_RATE_LIMITED',
  ResetTokenInvalid = 'RESET_TOKEN_INVALID',
  ResetTokenExpired = 'RESET_TOKEN_EXPIRED',
  CustomerHasNoTokens = 'CUSTOMER_HAS_NO_TOKENS',
  NotFound = 'NOT_FOUND',
  Unauthorized = 'UNAUTHORIZED',
  Forbidden = 'FORBIDDEN',
  PayloadTooLarge = 'PAYLOAD_TOO_LARGE',
  UnsupportedMediaType = 'UNSUPPORTED_MEDIA_TYPE',
  TooManyRequests = 'TOO_MANY_REQUESTS',
  ServiceUnavailable = 'SERVICE_UNAVAILABLE',
  Internal = 'INTERNAL',
}

/**
 * An expected failure of a use case. Services throw these; the API's exception filter turns them
 * into `{ statusCode, code, message }` so that controllers stay free of error mapping.
 */
export class DomainError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly status: HttpStatus = HttpStatus.BAD_REQUEST,
    /** Extra response headers, e.g. Retry-After. */
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
    this.name = 'DomainError';
  }
}

export const Messages = {
  resetTokenInvalid: 'The password token is mismatched. Reset and try again.',
  resetTokenExpired: 'Your password reset link has expired.',
  passwordMismatch: "New Password and Confirm New Password values didn't match.",
  passwordUpdated: 'You updated your password.',
  forgotAccepted: (email: string) =>
    `If there is an account associated with ${email} you will receive an email with a link to reset your password.`,
  resetRateLimited: (supportEmail: string) =>
    `We received too many requests for password resets. Please wait and try again later or contact ${supportEmail}.`,
  adminResetAccepted: 'The customer will receive an email with a link to reset password.',
  tokensRevoked: "You have revoked the customer's tokens.",
  customerHasNoTokens: 'This customer has no tokens.',
  emailTaken: 'There is already an account with this email address.',
} as const;

export const resetTokenInvalid = () => new DomainError(ErrorCode.ResetTokenInvalid, Messages.resetTokenInvalid);
export const resetTokenExpired = () => new DomainError(ErrorCode.ResetTokenExpired, Messages.resetTokenExpired);
