import { DynamicModule } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { LoggerModule } from 'nestjs-pino';
import pino from 'pino';
import pinoPretty from 'pino-pretty';
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

/**
 * pino options shared by both apps: JSON lines on stdout, ISO timestamps, the level as a word,
 * the app name on every line, secrets redacted by key and scrubbed from messages.
 */
export function pinoOptions(config: Pick<AppConfig, 'logLevel'>, app: AppName): pino.LoggerOptions {
  return {
    level: config.logLevel,
    base: { app, pid: process.pid, hostname: hostname() },
    timestamp: isoTimeOncePerMillisecond(),
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

/**
 * pino's isoTime (`,"time":"2026-12-07T01:02:03.456Z"`), formatted once per millisecond: the lines
 * of concurrent requests that finish in the same millisecond share one string instead of each
 * building a Date and its ISO form (a twentieth of an access line's CPU; docs/performance.md, Round 3).
 */
export function isoTimeOncePerMillisecond(): () => string {
  let at = -1;
  let formatted = '';
  return () => {
    const now = Date.now();
    if (now !== at) {
      at = now;
      formatted = `,"time":"${new Date(now).toISOString()}"`;
    }
    return formatted;
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

/** What the access line needs of a request (Fastify's request, or any look-alike in tests). */
export interface AccessLogRequest {
  id: string;
  method: string;
  url: string;
  ip?: string;
  headers: Record<string, string | string[] | undefined>;
}

export type AccessLogLevel = 'info' | 'error';

/** The level of a request's access line: error from 500 on. Ask it first: below it, build no line. */
export const accessLogLevel = (statusCode: number): AccessLogLevel => (statusCode >= 500 ? 'error' : 'info');

/**
 * The API's access line for a finished request ("POST /api/v1/customers/password/forgot 202"), at
 * info (error from 500 on), with the request id, the scope's fields (customer id, admin id), the
 * request without its headers and with a scrubbed URL, the status and the duration. Undefined for
 * probes and scrapes, which are served but not logged on every hit.
 */
export function accessLogLine(
  request: AccessLogRequest,
  statusCode: number,
  durationMs: number,
  scopeFields: Readonly<Record<string, unknown>> = {},
): { level: AccessLogLevel; fields: Record<string, unknown>; msg: string } | undefined {
  if (QUIET_PATHS.test(request.url)) return undefined;
  const url = scrubSecrets(request.url);
  const userAgent = request.headers['user-agent'];
  return {
    level: accessLogLevel(statusCode),
    fields: {
      requestId: request.id,
      ...scopeFields,
      req: { method: request.method, url, ip: request.ip, userAgent: Array.isArray(userAgent) ? userAgent[0] : userAgent },
      res: { statusCode },
      durationMs: Math.round(durationMs),
    },
    msg: `${request.method} ${url} ${statusCode}`,
  };
}

/** Bytes of lines that are gathered before one write(2) goes out (fewer, larger writes). */
export const STDOUT_MIN_WRITE = 8192;
/** The longest a line waits in the buffer when fewer than STDOUT_MIN_WRITE bytes come (a quiet process). */
export const STDOUT_FLUSH_MS = 200;

/**
 * stdout for JSON lines, written asynchronously (sonic-boom, `sync: false`): lines are appended to a
 * buffer that goes out in one write(2) once it holds STDOUT_MIN_WRITE bytes (about 25 access lines),
 * and at the latest every STDOUT_FLUSH_MS (an unref'd timer, which keeps no process alive), so that
 * under load many lines share a system call and its trip through libuv's thread pool instead of
 * each paying its own on the request's path (at `info` the synchronous write of the access line cost
 * ~20 % of the forgot route's throughput, and one asynchronous write per event-loop turn still cost
 * several times the line itself: docs/performance.md, Round 3). Nothing is lost at the end: pino
 * registers the destination to be flushed synchronously on process exit, which covers
 * process.exit() after a graceful shutdown (SIGTERM, Nest's useProcessExit), the bootstrap's exit
 * on a start-up error and an uncaught exception. Only a SIGKILL (or a crash of the runtime itself)
 * can lose what is still buffered (at most STDOUT_FLUSH_MS of lines), as it loses whatever else was
 * in flight.
 */
export function jsonLinesDestination(dest: number | string = 1): ReturnType<typeof pino.destination> {
  return pino.destination({ dest, sync: false, minLength: STDOUT_MIN_WRITE, periodicFlush: STDOUT_FLUSH_MS });
}

const NEST_INVENTORY = new Set(['InstanceLoader', 'RoutesResolver', 'RouterExplorer']);

/**
 * The root logger: JSON lines on stdout, or with LOG_FORMAT=pretty (the development default) one
 * readable line per entry, "12:00:01 INFO api [Bootstrap] API listening on port 3000 {fields}".
 * Pretty-printing runs in-process on the same stream (no worker thread), synchronously so that
 * nothing is lost when the process exits; it is for a developer's terminal, not for throughput.
 */
export function createRootLogger(config: Pick<AppConfig, 'logLevel' | 'logFormat'>, app: AppName): pino.Logger {
  const options = pinoOptions(config, app);
  if (config.logFormat !== 'pretty') return pino(options, jsonLinesDestination());
  // Nest's start-up inventory (one line per module, controller and route, ~100 lines) would bury
  // what a developer needs; JSON logs keep it, the terminal skips it.
  const scrubbing = options.hooks!.logMethod!;
  options.hooks!.logMethod = function (args, method, level) {
    const fields = args[0] as { context?: unknown } | undefined;
    if (typeof fields === 'object' && fields !== null && NEST_INVENTORY.has(fields.context as string)) return;
    scrubbing.call(this, args, method, level);
  };
  const pretty = pinoPretty({
    sync: true,
    singleLine: true,
    translateTime: 'SYS:HH:MM:ss',
    ignore: 'pid,hostname,app,context',
    messageFormat: '{app} {if context}[{context}] {end}{msg}',
  });
  return pino(options, pretty);
}

/** The root pino logger of an app (nestjs-pino's PinoLogger writes through it; so does the API's access line). */
export const ROOT_LOGGER = Symbol('ROOT_LOGGER');

/**
 * nestjs-pino for an app: Nest's Logger writes JSON lines through the root logger, and every line
 * written in a request's or job's LogScope carries its fields. The API opens a request's scope and
 * writes its access line from Fastify hooks (apps/api/src/ops/http-observability.ts), not through
 * pino-http middleware: see LogScope for why. nestjs-pino's own middleware is applied to no route.
 */
export function loggingModule(app: AppName): DynamicModule {
  return LoggerModule.forRootAsync({
    providers: [{ provide: ROOT_LOGGER, inject: [APP_CONFIG], useFactory: (config: AppConfig) => createRootLogger(config, app) }],
    inject: [ROOT_LOGGER],
    useFactory: (logger: pino.Logger) => ({ pinoHttp: { logger }, forRoutes: [] }),
  });
}
