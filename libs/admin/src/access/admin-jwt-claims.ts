import { JwtService } from '@nestjs/jwt';
import { DomainError, ErrorCode, isUuid } from '@customer-access/common';

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

/** What a service JWT must be: its audience and type, and the oldest it may be (seconds). */
export interface ServiceJwtKind {
  audience: string;
  type: string;
  maxAgeSeconds: number;
}

/**
 * The claims of a JWT this service signed for `kind` (the admin token's issuer and algorithm,
 * pinned: the token's own header never chooses), with `sub` an admin id; null for anything else
 * (bad signature, expired, another audience or type). The one check behind the mfa_token and the
 * queue dashboard's session cookie.
 */
export async function verifyServiceJwt(
  jwt: Pick<JwtService, 'verifyAsync'>,
  secret: string,
  token: string,
  kind: ServiceJwtKind,
): Promise<(Record<string, unknown> & { sub: string }) | null> {
  let claims: Record<string, unknown>;
  try {
    claims = await jwt.verifyAsync<Record<string, unknown>>(token, {
      secret,
      algorithms: [ADMIN_JWT.algorithm],
      issuer: ADMIN_JWT.issuer,
      audience: kind.audience,
      maxAge: kind.maxAgeSeconds,
    });
  } catch {
    return null;
  }
  const { sub, typ } = claims;
  if (typ !== kind.type || typeof sub !== 'string' || !isUuid(sub)) return null;
  return { ...claims, sub };
}
