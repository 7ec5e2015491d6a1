import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type pino from 'pino';
import { accessLineWriter, ApiMetrics, LogScope, REQUEST_ID_HEADER } from '@customer-access/observability';

const UNMATCHED = 'unmatched';
const LOG_SCOPE = Symbol('logScope');
type ScopedRequest = FastifyRequest & { [LOG_SCOPE]?: LogScope };

/**
 * Fastify hooks for every request: echo the request id; open the request's log scope (every line
 * written while handling it carries the request id, and LogContext adds the customer or admin id);
 * write the access line; record latency by route template (never the raw URL: ids and query
 * strings would explode the label set) and 429s. Use-case counters (resets requested, completed)
 * are counted where the use case succeeds, not from routes.
 *
 * Performance (docs/performance.md): hooks rather than nestjs-pino's pino-http middleware, which
 * runs through @fastify/middie and makes a pino child logger and its bindings for every request,
 * even when no line but the access line is written, and that one not at all at warn. The access
 * line itself is one string written to the root logger's destination (accessLineWriter), not a
 * fields object through pino.
 */
export function installHttpObservability(fastify: FastifyInstance, metrics: ApiMetrics, logger: pino.Logger): void {
  // The line as pino would write it, built in one pass and appended to the root logger's destination.
  const writeAccessLine = accessLineWriter(logger);
  fastify.addHook('onRequest', (request: ScopedRequest, reply: FastifyReply, done: () => void) => {
    reply.header(REQUEST_ID_HEADER, request.id);
    const scope = new LogScope(logger, { requestId: request.id });
    request[LOG_SCOPE] = scope;
    // Fastify runs the rest of the request (body parsing included, which it binds to this async
    // context) from done(), so the route's code sees this scope, as it saw nestjs-pino's.
    scope.run(done);
  });

  fastify.addHook('onResponse', (request: ScopedRequest, reply: FastifyReply, done: () => void) => {
    recordResponse(metrics, request.method, request.routeOptions?.url, reply.statusCode, reply.elapsedTime);
    // The level first: at warn (production's quiet setting) no line is built at all.
    writeAccessLine(request, reply.statusCode, reply.elapsedTime, request[LOG_SCOPE]?.fields);
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
  // observe(labels, value), not labels(...).observe(value): the same sample without the labelled
  // child (two closures and a second label check) that labels() builds on every call.
  metrics.httpDuration.observe({ method, route, status_code: String(status) }, elapsedMs / 1000);
  if (status === 429) metrics.rateLimitRejections.labels(route === UNMATCHED ? UNMATCHED : route).inc();
}
