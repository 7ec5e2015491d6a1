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
 * The Fastify plugins that browser-facing routes (hosted pages, admin console) build on, registered
 * once for the whole app. Neither changes the JSON API:
 * - @fastify/cookie parses cookies and lets replies set them;
 * - @fastify/csrf-protection keeps its secret in an HttpOnly, SameSite=Strict cookie scoped to the
 *   hosted pages (double submit: the token travels in the form's `_csrf` field).
 * Security headers are set per page with helmet (see hosted-pages/page-headers.ts), not here: a
 * global helmet hook would run on every API request too.
 */
export async function registerBrowserPlugins(app: NestFastifyApplication, config: AppConfig): Promise<void> {
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
