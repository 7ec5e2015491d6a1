import { isEmail } from 'class-validator';
import { DomainError, ErrorCode } from '@customer-access/common';
import { matchSupportedLocale, supportedLocales } from '@customer-access/i18n';
import { isTimeZone } from '../setting-fields';
import { parseStoreBaseUrl, STORE_CODE_PATTERN } from './store-view-fields';

/** One line of text (no control characters), not blank. */
const ONE_LINE = /^[^\p{Cc}]*\S[^\p{Cc}]*$/u;
const MAX_NAME = 100;
const MAX_EMAIL = 254;

const invalid = (message: string) => new DomainError(ErrorCode.Validation, message);

export function checkCode(kind: 'website' | 'store view', code: unknown): string {
  if (typeof code !== 'string' || !STORE_CODE_PATTERN.test(code)) {
    throw invalid(`code must be a ${kind} code: a lower-case letter, then up to 31 lower-case letters, digits or underscores`);
  }
  return code;
}

export function checkName(field: string, name: unknown): string {
  if (typeof name !== 'string' || name.length > MAX_NAME || !ONE_LINE.test(name)) {
    throw invalid(`${field} must be one line of text, 1 to ${MAX_NAME} characters`);
  }
  return name.trim();
}

/**
 * A store view's link base: an absolute http(s) URL, `https:` in production, with no userinfo,
 * query or fragment (the link's own path and query are appended to it); a trailing slash is dropped.
 * It only ever comes from an admin: links are never built from a request's Host.
 */
export function checkBaseUrl(value: unknown, production: boolean): string {
  const fail = () =>
    invalid(
      `baseUrl must be an absolute ${production ? 'https:' : 'http: or https:'} URL without user name, password, query or fragment, such as https://shop.example.com`,
    );
  // The canonical form (lower-case host, no default port), without the trailing slash (store-view-fields.ts).
  const url = parseStoreBaseUrl(value, { httpsOnly: production });
  if (url === null) throw fail();
  return url;
}

/** An address, or "Display Name <address>"; one line. */
export function checkMailFrom(value: unknown): string {
  const fail = () => invalid('mailFrom must be an email address, or a name and an address such as "My Store <shop@example.com>"');
  if (typeof value !== 'string' || value.length > MAX_EMAIL + MAX_NAME || /[\p{Cc}]/u.test(value)) throw fail();
  const named = /^\s*"?([^"<>]*?)"?\s*<([^<>\s]+)>\s*$/.exec(value);
  const address = named ? named[2] : value.trim();
  if (!isEmail(address) || address.length > MAX_EMAIL) throw fail();
  return named ? (named[1] ? `"${named[1].trim()}" <${address}>` : address) : address;
}

export function checkSupportEmail(value: unknown): string {
  if (typeof value !== 'string' || value.length > MAX_EMAIL || !isEmail(value)) throw invalid('supportEmail must be an email address');
  return value;
}

/** A supported language (one per catalogue), stored as its BCP 47 tag (zh_CN → zh-CN). */
export function checkLocale(value: unknown): string {
  const tag = typeof value === 'string' ? matchSupportedLocale(value, supportedLocales()) : undefined;
  if (!tag || !supportedLocales().includes(tag)) throw invalid(`locale must be one of: ${supportedLocales().join(', ')}`);
  return tag;
}

export function checkTimezone(value: unknown): string {
  if (!isTimeZone(value)) throw invalid('timezone must be an IANA time zone name, such as Asia/Shanghai');
  return value;
}
