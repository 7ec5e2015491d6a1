import { DomainError, ErrorCode } from '@customer-access/common';

/**
 * Claims that make an admin JWT unmistakable: a token must carry all three to be accepted, so a
 * JWT that some other part of the system (or another system sharing the secret) signs for another
 * purpose never passes as an admin token.
 */
export const ADMIN_JWT = Object.freeze({
  issuer: 'customer-access',
  audience: 'customer-access:admin',
  type: 'admin',
  algorithm: 'HS256',
} as const);

export function adminUnauthorized(message = 'A valid admin access token is required.'): DomainError {
  return new DomainError(ErrorCode.Unauthorized, message, { realm: 'admin' });
}
