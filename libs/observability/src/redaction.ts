import { STOREFRONT_PAGES } from '@customer-access/common';

/**
 * What never reaches a log line: credentials and anything that would let a reader take over an
 * account (reset tokens, reset links, access tokens, session cookies).
 */

/** Keys whose values are replaced wherever they appear (top level, or up to three levels down). */
export const SECRET_KEYS = [
  'password',
  'passwordConfirmation',
  'newPassword',
  'currentPassword',
  'passwordHash',
  'token',
  'rawToken',
  'access_token',
  'refresh_token',
  'accessToken',
  'authorization',
  'cookie',
  'set-cookie',
  'resetLink',
  'jwtSecret',
] as const;

export const REDACTED = '[Redacted]';

const SECRET_KEY_SET: ReadonlySet<string> = new Set(SECRET_KEYS.map((key) => key.toLowerCase()));
const MAX_REDACT_DEPTH = 6;

/** Whether redactSecrets replaces the value of `key` (one of SECRET_KEYS, in any letter case). */
export const isSecretKey = (key: string): boolean => SECRET_KEY_SET.has(key.toLowerCase());

/**
 * Replaces the value of every {@link SECRET_KEYS} key (any letter case) in plain objects and arrays,
 * to a depth of six levels, copying only what changes. One pass over what is actually written:
 * pino's path-based `redact` with wildcards costs 13 % of the API's CPU under load
 * (docs/performance.md), and this costs nothing for log calls below the level.
 */
export function redactSecrets<T>(value: T, depth = 0): T {
  if (value === null || typeof value !== 'object' || depth > MAX_REDACT_DEPTH) return value;
  if (Array.isArray(value)) {
    let copy: unknown[] | undefined;
    value.forEach((item, i) => {
      const redacted = redactSecrets(item, depth + 1);
      if (redacted !== item) (copy ??= [...value])[i] = redacted;
    });
    return (copy ?? value) as T;
  }
  const proto = Object.getPrototypeOf(value);
  if (proto !== Object.prototype && proto !== null) return value; // errors, dates, buffers: serializers own them
  let copy: Record<string, unknown> | undefined;
  for (const key of Object.keys(value)) {
    const item = (value as Record<string, unknown>)[key];
    const redacted = SECRET_KEY_SET.has(key.toLowerCase()) ? REDACTED : redactSecrets(item, depth + 1);
    if (redacted !== item) (copy ??= { ...(value as Record<string, unknown>) })[key] = redacted;
  }
  return (copy ?? value) as T;
}

const QUERY_SECRET = /(\b(?:token|access_token|refresh_token|password|passwordConfirmation|code)=)[^&#\s"'<>]*/gi;
const BEARER = /\b(Bearer|Basic)\s+[A-Za-z0-9._~+/-]+=*/gi;
/** The reset page's address holds no regex metacharacter (letters and slashes). */
const RESET_LINK = new RegExp(`(${STOREFRONT_PAGES.createPassword}\\?)[^\\s"'<>]*`, 'gi');
/**
 * What each pattern above needs to match at all: QUERY_SECRET an `=`, RESET_LINK a `?`, BEARER the
 * word Bearer or Basic. Text with none of them (most messages, most URLs: "POST /api/v1/customers/
 * password/forgot 202") is returned after this one test instead of three replace passes.
 */
const MAY_HOLD_SECRET = /[=?]|bearer|basic/i;

/**
 * Scrubs secrets out of free text (log messages, URLs): token-like query parameters, bearer and
 * basic credentials, reset links. A second line of defence behind the key-based redaction.
 */
export function scrubSecrets(text: string): string {
  if (!text || !MAY_HOLD_SECRET.test(text)) return text;
  return text.replace(RESET_LINK, `$1${REDACTED}`).replace(QUERY_SECRET, `$1${REDACTED}`).replace(BEARER, `$1 ${REDACTED}`);
}
