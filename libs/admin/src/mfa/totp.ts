import { Secret, TOTP } from 'otpauth';

/** RFC 6238 as docs/admin-sign-in.md fixes it: SHA-1, 6 digits, 30-second steps, one step either way. */
export const TOTP_PARAMS = Object.freeze({ algorithm: 'SHA1', digits: 6, period: 30, window: 1 } as const);

/** 20 random bytes (160 bits, RFC 4226's recommendation), base32 for authenticator apps. */
export function newTotpSecret(): string {
  return new Secret({ size: 20 }).base32;
}

export function totpUrl(secretBase32: string, issuer: string, account: string): string {
  return new TOTP({ ...totp(secretBase32), issuer, label: account }).toString();
}

/**
 * The time step a code belongs to (within ±1 step of `now`), or null for a wrong code. The caller
 * refuses a step that is not after the last accepted one (RFC 6238 §5.2: a code is used once).
 */
export function totpStep(secretBase32: string, code: string, now = Date.now()): number | null {
  if (!/^\d{6}$/.test(code)) return null;
  const delta = totp(secretBase32).validate({ token: code, timestamp: now, window: TOTP_PARAMS.window });
  return delta === null ? null : Math.floor(now / 1000 / TOTP_PARAMS.period) + delta;
}

function totp(secretBase32: string): TOTP {
  return new TOTP({
    secret: Secret.fromBase32(secretBase32),
    algorithm: TOTP_PARAMS.algorithm,
    digits: TOTP_PARAMS.digits,
    period: TOTP_PARAMS.period,
  });
}
