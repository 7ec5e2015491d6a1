/**
 * The rules of store view and website fields, in one place and free of imports, so that the server
 * (store-view-rules.ts), the entities' CHECK constraints, the mail job schema, the OpenAPI document
 * and the admin console's browser bundle (apps/admin-console/src/screens/store-rules.ts, which takes
 * this file as a file: docs/architecture.md) all apply the very same ones (docs/api.md, Stores).
 */

/** The code of a website or a store view: a lower-case letter, then up to 31 lower-case letters, digits or underscores. */
export const STORE_CODE_PATTERN = /^[a-z][a-z0-9_]{0,31}$/;

/** The longest base URL a store view takes. */
export const MAX_BASE_URL_LENGTH = 2048;

/**
 * A store view's link base in its canonical form (lower-case host, no default port, no trailing
 * slash), or null when it is not one: an absolute http(s) URL (`https:` only with `httpsOnly`, as
 * in production) with a host and no userinfo, query or fragment, no whitespace or backslash. The
 * links' own path and query are appended to it. It only ever comes from an admin: a request's Host
 * never builds a link.
 */
export function parseStoreBaseUrl(value: unknown, options: { httpsOnly: boolean }): string | null {
  if (typeof value !== 'string' || value.length > MAX_BASE_URL_LENGTH || /[\s?#\\]/.test(value)) return null;
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return null;
  }
  const schemes = options.httpsOnly ? ['https:'] : ['http:', 'https:'];
  if (!schemes.includes(url.protocol) || url.username || url.password || url.search || url.hash || !url.hostname) return null;
  return url.href.replace(/\/+$/, '');
}
