import { Inject, Injectable } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import { randomUUID } from 'node:crypto';
import { DomainError, ErrorCode, isUuid } from '@customer-access/common';
import { APP_CONFIG, AppConfig } from '@customer-access/config';
import { adminMfaTokenKey, REDIS_CLIENT, RedisConnection } from '@customer-access/redis';
import { ADMIN_JWT, verifyServiceJwt } from '../access/admin-jwt-claims';

/**
 * The `mfa_token` between the password and the second factor (docs/admin-sign-in.md). A JWT with
 * its own audience and type, so it is refused as an admin token on every other route, and an
 * admin JWT is refused here. Its id keys a Redis counter shared by every API instance: 5 wrong
 * codes end it, and a successful sign-in spends it.
 */
export const MFA_TOKEN = Object.freeze({
  audience: 'customer-access:admin-mfa',
  type: 'admin-mfa',
  ttlSeconds: 300,
  maxFailures: 5,
} as const);

/** Any value at or above maxFailures ends the token; spending it sets this one. */
const SPENT = 1_000;

/** INCR and set the expiry on first use, atomically; returns the new count. */
const COUNT_FAILURE = `
local n = redis.call('INCR', KEYS[1])
if n == 1 then redis.call('EXPIRE', KEYS[1], ARGV[1]) end
return n`;

export interface MfaTicket {
  adminId: string;
  tokenId: string;
}

export const mfaInvalid = (message = 'The authentication code is not valid.'): DomainError =>
  new DomainError(ErrorCode.MfaInvalid, message);

@Injectable()
export class MfaTokens {
  constructor(
    private readonly jwt: JwtService,
    @Inject(REDIS_CLIENT) private readonly redis: RedisConnection,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  issue(adminId: string): Promise<string> {
    return this.jwt.signAsync(
      { sub: adminId, typ: MFA_TOKEN.type },
      {
        secret: this.config.jwtSecret,
        algorithm: ADMIN_JWT.algorithm,
        issuer: ADMIN_JWT.issuer,
        audience: MFA_TOKEN.audience,
        expiresIn: MFA_TOKEN.ttlSeconds,
        jwtid: randomUUID(),
      },
    );
  }

  /** The admin and token id an mfa_token stands for, or 401 MFA_INVALID (bad, expired, ended or spent). */
  async open(token: unknown): Promise<MfaTicket> {
    if (typeof token !== 'string' || token.length > 2048) throw mfaInvalid('The sign-in has expired. Sign in again.');
    const claims = await verifyServiceJwt(this.jwt, this.config.jwtSecret, token, {
      audience: MFA_TOKEN.audience,
      type: MFA_TOKEN.type,
      maxAgeSeconds: MFA_TOKEN.ttlSeconds,
    });
    const jti = claims?.jti;
    if (!claims || typeof jti !== 'string' || !isUuid(jti)) throw mfaInvalid('The sign-in has expired. Sign in again.');
    if (Number((await this.redis.get(this.key(jti))) ?? 0) >= MFA_TOKEN.maxFailures) {
      throw mfaInvalid('Too many wrong codes, or this sign-in is already complete. Sign in again.');
    }
    return { adminId: claims.sub, tokenId: jti };
  }

  /** Counts a wrong code; true when this one ended the token. */
  async recordFailure(ticket: MfaTicket): Promise<boolean> {
    const count = Number(await this.redis.eval(COUNT_FAILURE, 1, this.key(ticket.tokenId), MFA_TOKEN.ttlSeconds + 60));
    return count >= MFA_TOKEN.maxFailures;
  }

  /** After a successful sign-in: the token cannot be used again. */
  async spend(ticket: MfaTicket): Promise<void> {
    await this.redis.set(this.key(ticket.tokenId), String(SPENT), 'EX', MFA_TOKEN.ttlSeconds + 60);
  }

  private key(tokenId: string): string {
    return adminMfaTokenKey(tokenId);
  }
}
