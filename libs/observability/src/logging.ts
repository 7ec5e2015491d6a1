import { DynamicModule, RequestMethod } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { hostname } from 'node:os';
import { LoggerModule } from 'nestjs-pino';
import pino from 'pino';
import type { Options } from 'pino-http';
import { APP_CONFIG, AppConfig } from '@customer-access/config';
import { REDACTED, redactSecrets, scrubSecrets, SECRET_KEYS } from './redaction';

export type AppName = 'api' | 'worker';

/** Header that carries the request id in and out (honoured when well-formed, echoed always). */
export const REQUEST_ID_HEADER = 'x-request-id';
const SAFE_REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;

/** The caller's X-Request-Id when it is a sane token, otherwise a new UUID. */
export function requestIdFrom(header: unknown): string {
  const value = Array.isArray(header) ? header[0] : header;
  return typeof value === 'string' && SAFE_REQUEST_ID.test(value) ? value : randomUUID();
}

/** Probes and scrapes: served, but not logged on every hit. */
const QUIET_PATHS = /^\/(health\/(live|ready)|metrics)(\?|$)/;

type RawRequest = Omit<IncomingMessage, 'id'> & { id?: string | number; ip?: string; originalUrl?: string };

/**
 * pino options shared by both apps: JSON lines on stdout, ISO timestamps, the level as a word,
 * the app name on every line, secrets redacted by key and scrubbed from messages.
 */
export function pinoOptions(config: Pick<AppConfig, 'logLevel'>, app: AppName): pino.LoggerOptions {
  return {
    level: config.logLevel,
    base: { app, pid: process.pid, hostname: hostname() },
    timestamp: pino.stdTimeFunctions.isoTime,
    formatters: {
      level: (label) => ({ level: label }),
      // Secrets are redacted by key, at any depth, in one pass over each line actually written.
      log: (object) => redactSecrets(object),
    },
    // Child-logger bindings do not pass through formatters.log: pino's own redaction covers their
    // top-level keys. Top-level paths only, which cost nothing like the wildcard ones did.
    redact: { paths: SECRET_KEYS.map((key) => (/^[A-Za-z_$][\w$]*$/.test(key) ? key : `["${key}"]`)), censor: REDACTED },
    hooks: {
      // Messages are free text: scrub token-like parts that a key-based redaction cannot see.
      logMethod(args, method) {
        for (let i = 0; i < args.length; i++) {
          if (typeof args[i] === 'string') args[i] = scrubSecrets(args[i] as string);
        }
        method.apply(this, args as Parameters<typeof method>);
      },
    },
    serializers: { err: scrubbedError },
  };
}

/** pino's error serializer, with the message and stack scrubbed like any message. */
function scrubbedError(error: Error): Record<string, unknown> {
  const serialized = pino.stdSerializers.err(error) as unknown as Record<string, unknown>;
  for (const key of ['message', 'stack'] as const) {
    if (typeof serialized[key] === 'string') serialized[key] = scrubSecrets(serialized[key] as string);
  }
  return serialized;
}

/** pino-http options of the API: one "request completed" line per request, with its id. */
export function pinoHttpOptions(config: Pick<AppConfig, 'logLevel'>, app: AppName): Options {
  return {
    ...pinoOptions(config, app),
    // Fastify assigns the id (requestIdFrom) and @fastify/middie copies it onto the raw request.
    genReqId: (req: IncomingMessage) => (req as unknown as RawRequest).id ?? requestIdFrom(req.headers[REQUEST_ID_HEADER]),
    customAttributeKeys: { reqId: 'requestId', responseTime: 'durationMs' },
    // Log lines written while handling a request carry its id, not a copy of the whole request.
    quietReqLogger: true,
    autoLogging: { ignore: (req: IncomingMessage) => QUIET_PATHS.test(routeOf(req as unknown as RawRequest)) },
    customLogLevel: (_req: IncomingMessage, res: ServerResponse, err?: Error) => (err || res.statusCode >= 500 ? 'error' : 'info'),
    customSuccessMessage: (req: IncomingMessage, res: ServerResponse) =>
      `${req.method} ${scrubSecrets(routeOf(req as unknown as RawRequest))} ${res.statusCode}`,
    customErrorMessage: (req: IncomingMessage, res: ServerResponse) =>
      `${req.method} ${scrubSecrets(routeOf(req as unknown as RawRequest))} ${res.statusCode}`,
    serializers: {
      err: scrubbedError,
      // Only what helps to debug; headers (cookies, credentials) are left out altogether.
      req: (req: RawRequest & { raw?: RawRequest }) => {
        const raw = req.raw ?? req;
        return {
          method: raw.method,
          url: scrubSecrets(routeOf(raw)),
          ip: raw.ip ?? raw.socket?.remoteAddress,
          userAgent: raw.headers?.['user-agent'],
        };
      },
      res: (res: ServerResponse & { raw?: ServerResponse }) => ({ statusCode: (res.raw ?? res).statusCode }),
    },
  };
}

function routeOf(req: RawRequest): string {
  return req.originalUrl ?? req.url ?? '';
}

/**
 * nestjs-pino for an app. In the API its middleware logs each request and gives every log line
 * written while handling it the request id; the worker binds the job instead (see LogContext).
 */
export function loggingModule(app: AppName): DynamicModule {
  return LoggerModule.forRootAsync({
    inject: [APP_CONFIG],
    useFactory: (config: AppConfig) => ({
      pinoHttp: pinoHttpOptions(config, app),
      // Every route, in path-to-regexp v8 syntax (the default '*' makes Nest 11 warn at start).
      forRoutes: [{ path: '{*path}', method: RequestMethod.ALL }],
      // PinoLogger.assign (customer id, admin id) also reaches the "request completed" line.
      assignResponse: true,
    }),
  });
}
