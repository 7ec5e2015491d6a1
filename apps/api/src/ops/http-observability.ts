import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { ApiMetrics, REQUEST_ID_HEADER } from '@customer-access/observability';

const UNMATCHED = 'unmatched';

/**
 * Fastify hooks for every request: echo the request id, and record latency by route template
 * (never the raw URL: ids and query strings would explode the label set) and 429s. Use-case
 * counters (resets requested, completed) are counted where the use case succeeds, not from routes.
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
}
