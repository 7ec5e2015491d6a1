import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { ApiMetrics, REQUEST_ID_HEADER } from '@customer-access/observability';

/** Route templates whose 202 means "a reset email was asked for", by origin. */
export const RESET_REQUEST_ROUTES: Readonly<Record<string, 'storefront' | 'admin'>> = {
  'POST /api/v1/customers/password/forgot': 'storefront',
  'POST /api/v1/admin/customers/:id/password-reset': 'admin',
};

const UNMATCHED = 'unmatched';

/**
 * Fastify hooks for every request: echo the request id, and record latency by route template
 * (never the raw URL: ids and query strings would explode the label set), 429s, and accepted
 * reset requests.
 */
export function installHttpObservability(fastify: FastifyInstance, metrics: ApiMetrics): void {
  fastify.addHook('onRequest', (request: FastifyRequest, reply: FastifyReply, done: () => void) => {
    reply.header(REQUEST_ID_HEADER, request.id);
    done();
  });

  fastify.addHook('onResponse', (request: FastifyRequest, reply: FastifyReply, done: () => void) => {
    recordResponse(metrics, request.method, request.routeOptions?.url, reply.statusCode, reply.elapsedTime);
    done();
  });
}

/** The bookkeeping of one finished request (separate from Fastify for unit tests). */
export function recordResponse(
  metrics: ApiMetrics,
  method: string,
  routeTemplate: string | undefined,
  status: number,
  elapsedMs: number,
): void {
  const route = routeTemplate || UNMATCHED;
  metrics.httpDuration.labels(method, route, String(status)).observe(elapsedMs / 1000);
  if (status === 429) metrics.rateLimitRejections.labels(route === UNMATCHED ? UNMATCHED : route).inc();
  const origin = RESET_REQUEST_ROUTES[`${method} ${route}`];
  if (origin && status === 202) metrics.resetsRequested.labels(origin).inc();
}
