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

/** Any value above maxFailures ends the token; spending it sets this one. */
const SPENT = 1_000;

/**
 * Takes one of the token's attempts, atomically: INCR (with the expiry on first use) and the answer
 * whether this attempt is within the allowance. Taken before the code is checked, so concurrent
 * requests on one token cannot all pass a check made before any of their failures is counted.
 */
const CLAIM_ATTEMPT = `
local n = redis.call('INCR', KEYS[1])
if n == 1 then redis.call('EXPIRE', KEYS[1], ARGV[1]) end
if n > tonumber(ARGV[2]) then return 0 end
return n`;

/** Marks the token spent unless it already is: 1 for the one success that spends it, 0 after. */
const SPEND = `
local n = tonumber(redis.call('GET', KEYS[1]) or '0')
if n >= tonumber(ARGV[2]) then return 0 end
redis.call('SET', KEYS[1], ARGV[2], 'EX', ARGV[1])
return 1`;

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

  /**
   * Takes one attempt (a code, a key's answer or a recovery code) before it is checked; 401 once
   * the token has had maxFailures attempts or has been spent.
   */
  async claimAttempt(ticket: MfaTicket): Promise<void> {
    const n = Number(await this.redis.eval(CLAIM_ATTEMPT, 1, this.key(ticket.tokenId), MFA_TOKEN.ttlSeconds + 60, MFA_TOKEN.maxFailures));
    if (n === 0) throw mfaInvalid('Too many wrong codes, or this sign-in is already complete. Sign in again.');
  }

  /** After a wrong code (its attempt already taken): true when no attempt is left. */
  async endedByFailures(ticket: MfaTicket): Promise<boolean> {
    return Number((await this.redis.get(this.key(ticket.tokenId))) ?? 0) >= MFA_TOKEN.maxFailures;
  }

  /**
   * After a successful check: the token cannot be used again. Of two successes racing on one token
   * (a code and a recovery code sent at once), only the first signs in; the other gets 401.
   */
  async spend(ticket: MfaTicket): Promise<void> {
    const spent = Number(await this.redis.eval(SPEND, 1, this.key(ticket.tokenId), MFA_TOKEN.ttlSeconds + 60, SPENT));
    if (spent !== 1) throw mfaInvalid('This sign-in is already complete. Sign in again.');
  }

  private key(tokenId: string): string {
    return adminMfaTokenKey(tokenId);
  }
}
