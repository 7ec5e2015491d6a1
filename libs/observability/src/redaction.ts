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
 * A bare JWT (an access token, a signed link's token) in a URL path or query or in free text: three
 * base64url segments, the header and the payload each a JSON object (`{"` encodes as `eyJ`), the
 * signature possibly empty (`alg: none`). Ordinary text does not hold `eyJ….eyJ….`; a lone `eyJ…`
 * base64 value without the two dots is left alone here (scrubUserAgent's looser JWT pattern takes those).
 */
const BARE_JWT = /eyJ[A-Za-z0-9_-]+\.eyJ[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*/g;

/**
 * Scrubs secrets out of free text (log messages, URLs): token-like query parameters, bearer and
 * basic credentials, reset links, bare JWTs. A second line of defence behind the key-based redaction.
 * Text with nothing any pattern needs (no `=`, `?`, Bearer, Basic or `eyJ`) is returned after one
 * `includes` and one short regex.
 */
export function scrubSecrets(text: string): string {
  if (!text) return text;
  const mayHoldJwt = text.includes('eyJ');
  if (!mayHoldJwt && !MAY_HOLD_SECRET.test(text)) return text;
  const scrubbed = text.replace(RESET_LINK, `$1${REDACTED}`).replace(QUERY_SECRET, `$1${REDACTED}`).replace(BEARER, `$1 ${REDACTED}`);
  return mayHoldJwt ? scrubbed.replace(BARE_JWT, REDACTED) : scrubbed;
}

/** The most of a User-Agent an access line keeps: real ones are 100–300 characters; a header may be 16 KiB. */
export const MAX_USER_AGENT = 512;
/** A JWT (or any base64url JSON object: `{"` encodes as `eyJ`), with its dot-separated parts. */
const JWT = /eyJ[A-Za-z0-9_-]{6,}(?:\.[A-Za-z0-9_-]*)*/g;
/**
 * What scrubSecrets or JWT needs to match at all (`=`, `?`, Bearer, Basic, eyJ), which a browser's
 * User-Agent has none of: two indexOf and one short regex, about half the time of one regex
 * alternating all five (`/[=?]|bearer|basic|eyj/i`) over a 110-character User-Agent.
 */
const USER_AGENT_WORDS = /b(?:earer|asic)|eyj/i;
const userAgentMayHoldSecret = (text: string): boolean => text.includes('=') || text.includes('?') || USER_AGENT_WORDS.test(text);
/** The last User-Agent scrubUserAgent found nothing to change in: the next request's is often the same. */
let lastPlainUserAgent = '';

/**
 * A request's User-Agent as the access line writes it: at most MAX_USER_AGENT characters (then `…`),
 * scrubbed as a URL is (bearer and basic credentials, token-like parameters, reset links), and any
 * JWT-looking value replaced. A client that sends a token there (`User-Agent: Bearer eyJ…`) does not
 * put it in the log. A browser's User-Agent is returned after the cheap test above, or after one
 * comparison when it is the same as the last one returned unchanged.
 */
export function scrubUserAgent(userAgent: string): string {
  if (userAgent === lastPlainUserAgent) return userAgent;
  const text = userAgent.length > MAX_USER_AGENT ? `${userAgent.slice(0, MAX_USER_AGENT)}…` : userAgent;
  if (userAgentMayHoldSecret(text)) return scrubSecrets(text).replace(JWT, REDACTED);
  if (text === userAgent) lastPlainUserAgent = userAgent;
  return text;
}
