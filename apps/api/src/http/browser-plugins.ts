import fastifyCookie from '@fastify/cookie';
import fastifyCsrfProtection from '@fastify/csrf-protection';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { AppConfig } from '@customer-access/config';
import { STOREFRONT_PAGES } from '@customer-access/common';

/** Whether cookies must be Secure: the service is published over https (PUBLIC_URL). */
export function publishedOverHttps(config: Pick<AppConfig, 'publicUrl'>): boolean {
  return config.publicUrl.startsWith('https:');
}

/**
 * HSTS as the storefront pages send it (helmet's value, see hosted-pages/page-headers.ts): a year,
 * subdomains included. A unit test keeps the two equal.
 */
export const STRICT_TRANSPORT_SECURITY = 'max-age=31536000; includeSubDomains';

/**
 * The Fastify plugins that browser-facing routes (hosted pages, admin console) build on, registered
 * once for the whole app. Neither changes the JSON API:
 * - @fastify/cookie parses cookies and lets replies set them;
 * - @fastify/csrf-protection keeps its secret in an HttpOnly, SameSite=Strict cookie scoped to the
 *   hosted pages (double submit: the token travels in the form's `_csrf` field).
 * Security headers are set per page with helmet (see hosted-pages/page-headers.ts), not here: a
 * global helmet hook would run on every API request too. The one exception is HSTS when the service
 * is published over https: every answer (the console, the JSON API, the docs) carries it, since a
 * browser that met the API first must not be left to try plain http next; over http no hook is added.
 */
export async function registerBrowserPlugins(app: NestFastifyApplication, config: AppConfig): Promise<void> {
  if (publishedOverHttps(config)) {
    app
      .getHttpAdapter()
      .getInstance()
      .addHook('onRequest', (_request, reply, done) => {
        void reply.header('strict-transport-security', STRICT_TRANSPORT_SECURITY);
        done();
      });
  }
  await app.register(fastifyCookie);
  await app.register(fastifyCsrfProtection, {
    sessionPlugin: '@fastify/cookie',
    cookieKey: '_csrf',
    cookieOpts: { path: STOREFRONT_PAGES.base, httpOnly: true, sameSite: 'strict', secure: publishedOverHttps(config) },
    getToken: (request) => {
      const body = request.body as { _csrf?: unknown } | undefined;
      return typeof body?._csrf === 'string' ? body._csrf : undefined;
    },
  });
}
