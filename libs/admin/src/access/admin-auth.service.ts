import { Inject, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import { isUuid } from '@customer-access/common';
import { APP_CONFIG, AppConfig } from '@customer-access/config';
import { normalizeEmail, PasswordHasher } from '@customer-access/customers';
import { AdminPrincipal } from '../accounts/admin-user.entity';
import { AdminUserRepository } from '../accounts/admin-user.repository';
import { MfaMethod } from '../mfa/admin-mfa-factor.entity';
import { MfaRepository } from '../mfa/mfa.repository';
import { MfaTokens } from '../mfa/mfa-tokens';
import { ADMIN_JWT, adminUnauthorized } from './admin-jwt-claims';
import { AdminSignInLimiter } from './admin-sign-in-limiter';

export { ADMIN_JWT, adminUnauthorized } from './admin-jwt-claims';

/**
 * How the admin proved who they are (RFC 8176 values): `pwd` alone, or with `otp` (an
 * authenticator code), `hwk` (a security key) or `rec` (a recovery code).
 */
export type AuthMethodRef = 'pwd' | 'otp' | 'hwk' | 'rec';

export interface AdminJwtClaims {
  sub: string;
  typ: typeof ADMIN_JWT.type;
  amr: AuthMethodRef[];
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

/** The password was right and a second factor is needed (docs/admin-sign-in.md). */
export interface MfaChallenge {
  mfaToken: string;
  /** False: no factor yet, enroll one of `methods`. True: `methods` are the admin's own. */
  enrolled: boolean;
  methods: MfaMethod[];
}

export type SignInResult = { token: IssuedAdminToken; challenge?: undefined } | { challenge: MfaChallenge; token?: undefined };

/** The methods an admin without a factor may enroll. */
export const ENROLLABLE_METHODS: readonly MfaMethod[] = ['totp', 'webauthn'];

@Injectable()
export class AdminAuthService implements OnApplicationBootstrap {
  private readonly logger = new Logger('AdminSignIn');

  constructor(
    private readonly admins: AdminUserRepository,
    private readonly hasher: PasswordHasher,
    private readonly jwt: JwtService,
    private readonly limiter: AdminSignInLimiter,
    private readonly mfa: MfaRepository,
    private readonly mfaTokens: MfaTokens,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  onApplicationBootstrap(): void {
    if (this.config.adminMfa === 'optional' && this.config.nodeEnv === 'production') {
      this.logger.warn(
        'ADMIN_MFA=optional: admins without a second factor sign in with a password alone. PCI DSS 8.4 and NIST AAL2 require MFA for admin access.',
      );
    }
  }

  /**
   * The password step. One answer for an unknown email and a wrong password, and the same argon2
   * cost for both, so that the route does not tell which admin emails exist. With a second factor
   * required (ADMIN_MFA=required, or any admin who enrolled one) the answer is an mfa_token, never
   * an access token. The limiter's count for the email is cleared only by a complete sign-in, so a
   * known password does not reset the count of wrong codes.
   */
  async signIn(email: string, password: string, ip: string): Promise<SignInResult> {
    const normalized = normalizeEmail(email);
    await this.limiter.assertAllowed(normalized, ip);
    const admin = await this.admins.findByEmail(normalized);
    const valid = admin ? await this.hasher.verify(admin.passwordHash, password) : await this.hasher.verifyDummy(password);
    if (!admin || !valid) {
      await this.limiter.recordFailure(normalized, ip);
      throw adminUnauthorized('The email or password is incorrect.');
    }
    const methods = [...new Set((await this.mfa.confirmedFactors(admin.id)).map((f) => f.kind))];
    if (methods.length > 0 || this.config.adminMfa === 'required') {
      return {
        challenge: {
          mfaToken: await this.mfaTokens.issue(admin.id),
          enrolled: methods.length > 0,
          methods: methods.length > 0 ? methods : [...ENROLLABLE_METHODS],
        },
      };
    }
    await this.limiter.clear(normalized);
    return { token: await this.issueToken({ id: admin.id, email: admin.email, role: admin.role }, ['pwd']) };
  }

  async issueToken(admin: AdminPrincipal, amr: AuthMethodRef[]): Promise<IssuedAdminToken> {
    const claims: AdminJwtClaims = { sub: admin.id, typ: ADMIN_JWT.type, amr };
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
    const { typ, sub, exp, amr } = claims;
    if (typ !== ADMIN_JWT.type || typeof sub !== 'string' || !isUuid(sub) || typeof exp !== 'number') throw adminUnauthorized();
    const admin = await this.admins.findPrincipal(sub);
    if (!admin) throw adminUnauthorized();
    const secondFactor = Array.isArray(amr) && amr.some((m) => m === 'otp' || m === 'hwk' || m === 'rec');
    return { ...admin, credential: { kind: 'session', secondFactor } };
  }
}
