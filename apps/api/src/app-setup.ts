import { RequestMethod } from '@nestjs/common';
import type { RouteInfo } from '@nestjs/common/interfaces';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { AdminJwtGuard, PermissionsGuard, QueueDashboardSessions } from '@customer-access/admin';
import type pino from 'pino';
import { ApiMetrics, LogContext, ROOT_LOGGER } from '@customer-access/observability';
import { toErrorAnswer } from './http/error-mapping';
import { installLingeringClose } from './http/lingering-close';
import { createValidationPipe } from './http/validation.pipe';
import { installHttpObservability } from './ops/http-observability';
import { guardQueueDashboard } from './ops/queue-dashboard';
import { STOREFRONT_PAGES } from '@customer-access/common';

export const GLOBAL_PREFIX = 'api/v1';

/**
 * Served outside /api/v1, where orchestrators, scrapers, operators and browsers expect them: probes,
 * metrics, the queue dashboard, and the hosted pages at the addresses storefronts use (Magento's).
 * (/docs and /docs-json are registered outside Nest's router.)
 */
export const UNPREFIXED_ROUTES: RouteInfo[] = [
  { path: 'health/live', method: RequestMethod.GET },
  { path: 'health/ready', method: RequestMethod.GET },
  { path: 'metrics', method: RequestMethod.GET },
  { path: 'admin/queues', method: RequestMethod.ALL },
  { path: STOREFRONT_PAGES.forgotPassword, method: RequestMethod.ALL },
  { path: STOREFRONT_PAGES.createPassword, method: RequestMethod.ALL },
  { path: 'static/pages/:file', method: RequestMethod.GET },
  { path: 'favicon.ico', method: RequestMethod.GET },
  { path: 'robots.txt', method: RequestMethod.GET },
  { path: '/', method: RequestMethod.GET },
];

/** Routing and input handling, identical for the real app and the OpenAPI route test. */
export function configureApiApp(app: NestFastifyApplication): void {
  app.setGlobalPrefix(GLOBAL_PREFIX, { exclude: UNPREFIXED_ROUTES });
  app.useGlobalPipes(createValidationPipe());
}

/**
 * Fastify hooks that need the app's providers: request id echo and HTTP metrics on every route,
 * and the admin guards in front of the queue dashboard. Call right after NestFactory.create,
 * before init, so that they are in place before any plugin registers its routes.
 */
export function installApiHooks(app: NestFastifyApplication): void {
  const fastify = app.getHttpAdapter().getInstance();
  installLingeringClose(fastify);
  installHttpObservability(fastify, app.get(ApiMetrics, { strict: false }), app.get<pino.Logger>(ROOT_LOGGER, { strict: false }));
  guardQueueDashboard(fastify, {
    authenticate: app.get(AdminJwtGuard, { strict: false }),
    authorize: app.get(PermissionsGuard, { strict: false }),
    sessions: app.get(QueueDashboardSessions, { strict: false }),
    toErrorResponse: toErrorAnswer,
    logContext: app.get(LogContext, { strict: false }),
  });
}
