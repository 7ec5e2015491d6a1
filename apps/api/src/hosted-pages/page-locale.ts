import type { FastifyRequest } from 'fastify';
import { parseAcceptLanguage, Translator } from '@customer-access/i18n';
import { PageCookies } from './page-cookies';

/**
 * The language of a hosted page (docs/api.md, Hosted pages): `?lang=`, then the language cookie, then (reset page)
 * the customer's stored locale, then `Accept-Language`, then the store's default.
 * Returns the locale and, when `?lang=` named a supported one, that choice (to be remembered).
 */
export function pageLocale(
  translator: Translator,
  cookies: PageCookies,
  request: FastifyRequest,
  options: { customerLocale?: string; defaultLocale?: string } = {},
): { locale: string; chosen?: string } {
  const query = (request.query as { lang?: unknown } | undefined)?.lang;
  const chosen = typeof query === 'string' ? translator.match(query) : undefined;
  const locale = translator.resolve(
    [chosen, cookies.language(request), options.customerLocale, ...parseAcceptLanguage(request.headers['accept-language'])],
    options.defaultLocale,
  );
  return { locale, chosen };
}
