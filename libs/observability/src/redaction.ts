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

/** pino `redact.paths` for {@link SECRET_KEYS}: `key`, `*.key`, `*.*.key`, `*.*.*.key`. */
export function redactPaths(keys: readonly string[] = SECRET_KEYS): string[] {
  const prop = (key: string) => (/^[A-Za-z_$][\w$]*$/.test(key) ? `.${key}` : `["${key}"]`);
  return keys.flatMap((key) => {
    const p = prop(key);
    const top = p.startsWith('.') ? p.slice(1) : p;
    return [top, `*${p}`, `*.*${p}`, `*.*.*${p}`];
  });
}

const QUERY_SECRET = /(\b(?:token|access_token|refresh_token|password|passwordConfirmation|code)=)[^&#\s"'<>]*/gi;
const BEARER = /\b(Bearer|Basic)\s+[A-Za-z0-9._~+/-]+=*/gi;
const RESET_LINK = /(\/customer\/account\/createPassword\?)[^\s"'<>]*/gi;

/**
 * Scrubs secrets out of free text (log messages, URLs): token-like query parameters, bearer and
 * basic credentials, reset links. A second line of defence behind the key-based redaction.
 */
export function scrubSecrets(text: string): string {
  if (!text) return text;
  return text.replace(RESET_LINK, `$1${REDACTED}`).replace(QUERY_SECRET, `$1${REDACTED}`).replace(BEARER, `$1 ${REDACTED}`);
}
