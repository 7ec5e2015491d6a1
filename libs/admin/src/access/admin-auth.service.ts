import { Inject, Injectable } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import { DomainError, ErrorCode, isUuid } from '@customer-access/common';
import { APP_CONFIG, AppConfig } from '@customer-access/config';
import { normalizeEmail, PasswordHasher } from '@customer-access/customers';
import { AdminPrincipal } from '../accounts/admin-user.entity';
import { AdminUserRepository } from '../accounts/admin-user.repository';
import { AdminSignInLimiter } from './admin-sign-in-limiter';

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

export interface AdminJwtClaims {
  sub: string;
  typ: typeof ADMIN_JWT.type;
}

/** What a verified token also carries (set by the JWT library). */
interface VerifiedClaims extends Partial<AdminJwtClaims> {
  iat?: number;
  exp?: number;
}

export interface IssuedAdminToken {
  accessToken: string;
  expiresIn: number;
  /** The admin's role when the token was issued, so that a console can hide what the role may not do. */
  role: AdminPrincipal['role'];
}

export function adminUnauthorized(message = 'A valid admin access token is required.'): DomainError {
  return new DomainError(ErrorCode.Unauthorized, message, { realm: 'admin' });
}

@Injectable()
export class AdminAuthService {
  constructor(
    private readonly admins: AdminUserRepository,
    private readonly hasher: PasswordHasher,
    private readonly jwt: JwtService,
    private readonly limiter: AdminSignInLimiter,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /**
   * One answer for an unknown email and a wrong password, and the same argon2 cost for both, so
   * that the route does not tell which admin emails exist.
   */
  async signIn(email: string, password: string, ip: string): Promise<IssuedAdminToken> {
    const normalized = normalizeEmail(email);
    await this.limiter.assertAllowed(normalized, ip);
    const admin = await this.admins.findByEmail(normalized);
    const valid = admin ? await this.hasher.verify(admin.passwordHash, password) : await this.hasher.verifyDummy(password);
    if (!admin || !valid) {
      await this.limiter.recordFailure(normalized, ip);
      throw adminUnauthorized('The email or password is incorrect.');
    }
    await this.limiter.clear(normalized);
    const claims: AdminJwtClaims = { sub: admin.id, typ: ADMIN_JWT.type };
    const accessToken = await this.jwt.signAsync(claims, {
      secret: this.config.jwtSecret,
      algorithm: ADMIN_JWT.algorithm,
      issuer: ADMIN_JWT.issuer,
      audience: ADMIN_JWT.audience,
      expiresIn: this.config.adminTokenTtlSeconds,
    });
    return { accessToken, expiresIn: this.config.adminTokenTtlSeconds, role: admin.role };
  }

  /**
   * The admin a bearer token stands for, or a 401. The role comes from the database, not from the
   * token, so that a deleted admin or a changed role takes effect on the very next request.
   */
  async authenticate(token: string): Promise<AdminPrincipal> {
    let claims: VerifiedClaims;
    try {
      claims = await this.jwt.verifyAsync<VerifiedClaims>(token, {
        secret: this.config.jwtSecret,
        // Pinned: never let the token's own header choose the algorithm (alg "none", key confusion).
        algorithms: [ADMIN_JWT.algorithm],
        issuer: ADMIN_JWT.issuer,
        audience: ADMIN_JWT.audience,
        // Bounds the lifetime even for a token whose exp was set far ahead.
        maxAge: this.config.adminTokenTtlSeconds,
      });
    } catch {
      throw adminUnauthorized();
    }
    const { typ, sub, exp } = claims;
    if (typ !== ADMIN_JWT.type || typeof sub !== 'string' || !isUuid(sub) || typeof exp !== 'number') throw adminUnauthorized();
    const admin = await this.admins.findPrincipal(sub);
    if (!admin) throw adminUnauthorized();
    return admin;
  }
}
