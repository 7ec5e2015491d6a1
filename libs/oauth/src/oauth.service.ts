import { Inject, Injectable } from '@nestjs/common';
import { generateToken, hashToken } from '@customer-access/common';
import { APP_CONFIG, AppConfig } from '@customer-access/config';
import { CustomerCredentials, CustomerRepository, normalizeEmail, PasswordHasher } from '@customer-access/customers';
import { SettingsService } from '@customer-access/settings';
import { AccessTokenRepository, AuthenticatedCustomer } from './access-token.repository';

export interface IssuedAccessToken {
  accessToken: string;
  expiresIn: number;
}

/** Issues, checks and revokes customer access tokens (the OAuth 2.0 password grant, RFC 6749 4.3). */
@Injectable()
export class OAuthService {
  constructor(
    private readonly tokens: AccessTokenRepository,
    private readonly customers: CustomerRepository,
    private readonly hasher: PasswordHasher,
    private readonly credentials: CustomerCredentials,
    private readonly settings: SettingsService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /**
   * Returns null for every failure (unknown account, wrong password, locked account) so that the
   * caller answers `invalid_grant` alike. An unknown account still costs one argon2 verification.
   * A legacy (imported) hash that matches is upgraded to argon2id here (CustomerCredentials).
   */
  async passwordGrant(username: string, password: string, websiteCode: string | null = 'base'): Promise<IssuedAccessToken | null> {
    // The account of this address in the request's website (null: any website, accountSharingScope = global).
    const customer = await this.customers.findByEmail(normalizeEmail(username), websiteCode);
    if (!customer) return this.hasher.verifyDummy(password).then(() => null);
    if (customer.lockedUntil && customer.lockedUntil.getTime() > Date.now()) {
      await this.hasher.verifyDummy(password);
      return null;
    }
    if (!(await this.credentials.verify(customer, password))) {
      const { lockoutFailures, lockoutMinutes } = this.settings.current();
      await this.customers.recordFailedLogin(customer.id, lockoutFailures, lockoutMinutes);
      return null;
    }
    if (customer.failedLoginCount > 0) await this.customers.clearFailedLogins(customer.id);
    return this.issue(customer.id);
  }

  async issue(customerId: string): Promise<IssuedAccessToken> {
    const accessToken = generateToken();
    await this.tokens.insert(customerId, hashToken(accessToken), this.config.accessTokenTtlSeconds);
    return { accessToken, expiresIn: this.config.accessTokenTtlSeconds };
  }

  authenticate(rawToken: string): Promise<AuthenticatedCustomer | null> {
    return this.tokens.findActive(hashToken(rawToken));
  }

  /** RFC 7009: revoking an unknown or already revoked token is not an error. */
  async revoke(rawToken: string): Promise<void> {
    await this.tokens.revokeByHash(hashToken(rawToken));
  }
}
