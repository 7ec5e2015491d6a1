import { DynamicModule } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { LoggerModule } from 'nestjs-pino';
import pino from 'pino';
import pinoPretty from 'pino-pretty';
import { APP_CONFIG, AppConfig } from '@customer-access/config';
import { isSecretKey, REDACTED, redactSecrets, scrubSecrets, scrubUserAgent, SECRET_KEYS } from './redaction';

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
      log: redactLogObject,
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

/** pinoOptions' log formatter; its identity tells accessLineWriter that a logger writes lines as pinoOptions has them. */
function redactLogObject(object: Record<string, unknown>): Record<string, unknown> {
  return redactSecrets(object);
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
 * request without its headers but its User-Agent (scrubbed and bounded: scrubUserAgent) and with a
 * scrubbed URL, the status and the duration. Undefined for
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
  const userAgentHeader = request.headers['user-agent'];
  const userAgent = Array.isArray(userAgentHeader) ? userAgentHeader[0] : userAgentHeader;
  return {
    level: accessLogLevel(statusCode),
    fields: {
      requestId: request.id,
      ...scopeFields,
      req: {
        method: request.method,
        url,
        ip: request.ip,
        userAgent: typeof userAgent === 'string' ? scrubUserAgent(userAgent) : userAgent,
      },
      res: { statusCode },
      durationMs: Math.round(durationMs),
    },
    msg: `${request.method} ${url} ${statusCode}`,
  };
}

/** Writes a finished request's access line, if its level is enabled (see accessLineWriter). */
export type AccessLineWriter = (
  request: AccessLogRequest,
  statusCode: number,
  durationMs: number,
  scopeFields?: Readonly<Record<string, unknown>>,
) => void;

const {
  chindingsSym,
  endSym,
  formattersSym,
  hooksSym,
  lsCacheSym,
  messageKeySym,
  mixinSym,
  needsMetadataGsym,
  nestedKeySym,
  serializersSym,
  streamSym,
  stringifiersSym,
  timeSym,
  wildcardFirstSym,
} = pino.symbols;
// pino has it (pino.symbols.msgPrefixSym) but its types do not list it.
const msgPrefixSym = (pino.symbols as unknown as Record<string, symbol>).msgPrefixSym;
type PinoInternals = Record<symbol, any>;

/** Scope fields whose line only pino's own path writes right: they clash with the line's own keys or order. */
const KEYS_FOR_PINO = new Set(['req', 'res', 'durationMs', 'context']);
const NO_FIELDS: Readonly<Record<string, unknown>> = {};
const REDACTED_JSON = JSON.stringify(REDACTED);

/**
 * The API's access line writer for `logger`: the line accessLogLine describes, byte for byte as pino
 * writes `logger[level](fields, msg)` for a logger made from pinoOptions (its level word, time,
 * bindings, redaction by key, scrubbed message), built as one string in one pass and appended to the
 * logger's own destination, the stream pino itself writes to: the same order with the other lines,
 * the same buffer, flushed at exit as it is. What it skips is the work of a general logger (a fields
 * object, its redacted copy, pino's walk over its keys, JSON.stringify of the nested objects):
 * about half of an access line's CPU (docs/performance.md, Round 3). A logger not made from
 * pinoOptions (its own formatters, serializers of these keys, a mixin, a message prefix...), and a
 * scope field the fast path cannot place as pino would (a key such as `req` or `0`, a value other than
 * a string, number or boolean), take pino's own path: accessLogLine and logger[level].
 */
export function accessLineWriter(logger: pino.Logger): AccessLineWriter {
  const viaPino: AccessLineWriter = (request, statusCode, durationMs, scopeFields) => {
    if (!logger.isLevelEnabled(accessLogLevel(statusCode))) return;
    const line = accessLogLine(request, statusCode, durationMs, scopeFields);
    if (line) logger[line.level](line.fields, line.msg);
  };
  const internals = logger as unknown as PinoInternals;
  const serializers = internals[serializersSym] as Record<string, unknown>;
  const stringifiers = internals[stringifiersSym] as Record<string | symbol, unknown>;
  const stream = internals[streamSym] as { write(line: string): unknown; [key: symbol]: unknown };
  const asPinoOptions =
    (internals[formattersSym] as { log?: unknown }).log === redactLogObject &&
    !internals[mixinSym] &&
    !internals[nestedKeySym] &&
    !internals[msgPrefixSym] &&
    !(internals[hooksSym] as { streamWrite?: unknown }).streamWrite &&
    internals[messageKeySym] === 'msg' &&
    stream[needsMetadataGsym] !== true &&
    // redaction by key, of the top-level secret keys only (a redacted value stays "[Redacted]")
    stringifiers[wildcardFirstSym] === undefined &&
    Object.keys(stringifiers).every(isSecretKey) &&
    ['requestId', 'req', 'res', 'durationMs', 'msg'].every((key) => !serializers[key]);
  if (!asPinoOptions) return viaPino;
  const levelValues = logger.levels.values;

  return (request, statusCode, durationMs, scopeFields = NO_FIELDS) => {
    const level = accessLogLevel(statusCode);
    if (!logger.isLevelEnabled(level)) return;
    if (QUIET_PATHS.test(request.url)) return;
    // The keys in the order pino writes {requestId, ...scopeFields, req, res, durationMs}.
    let requestId: unknown = request.id;
    let fields = '';
    for (const key in scopeFields) {
      if (!Object.prototype.hasOwnProperty.call(scopeFields, key)) continue;
      const value = scopeFields[key];
      if (key === 'requestId') {
        requestId = value;
        continue;
      }
      if (KEYS_FOR_PINO.has(key) || serializers[key] || isDigit(key.charCodeAt(0)))
        return viaPino(request, statusCode, durationMs, scopeFields);
      const json = isSecretKey(key) ? REDACTED_JSON : topLevelJson(value);
      if (json === undefined) return viaPino(request, statusCode, durationMs, scopeFields);
      if (json !== '') fields += `,${pinoString(key)}:${json}`;
    }
    const requestIdJson = topLevelJson(requestId);
    const { method, ip } = request;
    const userAgentHeader = request.headers['user-agent'];
    const userAgent = Array.isArray(userAgentHeader) ? userAgentHeader[0] : userAgentHeader;
    if (requestIdJson === undefined || typeof method !== 'string' || !stringOrNone(ip) || !stringOrNone(userAgent)) {
      return viaPino(request, statusCode, durationMs, scopeFields);
    }
    const url = scrubSecrets(request.url);
    const duration = Math.round(durationMs);
    const line =
      internals[lsCacheSym][levelValues[level]] +
      internals[timeSym]() +
      internals[chindingsSym] +
      (requestIdJson === '' ? '' : `,"requestId":${requestIdJson}`) +
      fields +
      `,"req":{"method":${jsonString(method)},"url":${jsonString(url)}` +
      (ip === undefined ? '' : `,"ip":${jsonString(ip)}`) +
      (userAgent === undefined ? '' : `,"userAgent":${jsonString(scrubUserAgent(userAgent))}`) +
      `},"res":{"statusCode":${finiteOrNull(statusCode)}},"durationMs":${finiteOrNull(duration)}` +
      // pinoOptions' logMethod hook scrubs every message
      `,"msg":${pinoString(scrubSecrets(`${method} ${url} ${statusCode}`))}` +
      internals[endSym];
    stream.write(line);
  };
}

const isDigit = (code: number): boolean => code >= 48 && code <= 57;
const stringOrNone = (value: unknown): boolean => value === undefined || typeof value === 'string';
const finiteOrNull = (value: number): string => (Number.isFinite(value) ? String(value) : 'null');

/** Printable ASCII but `"` and `\`: written between quotes as it is by JSON.stringify and by pino alike. */
const PLAIN = /^[\x20\x21\x23-\x5b\x5d-\x7e]*$/;
const PINO_USES_JSON_STRINGIFY = Number(process.versions.node.split('.')[0]) >= 25;

/** A string as JSON.stringify writes it (pino writes nested objects' strings so). */
function jsonString(text: string): string {
  return PLAIN.test(text) ? `"${text}"` : JSON.stringify(text);
}

/**
 * A string as pino writes a top-level value, a key or the message (pino/lib/tools.js asString):
 * JSON.stringify's output, except that before Node 25 a string of at most 100 characters without
 * control characters only has its `"` and `\` escaped (a lone surrogate stays as it is).
 */
function pinoString(text: string): string {
  if (PLAIN.test(text)) return `"${text}"`;
  if (PINO_USES_JSON_STRINGIFY || text.length > 100 || hasControlCharacter(text)) return JSON.stringify(text);
  return `"${text.replace(/["\\]/g, '\\$&')}"`;
}

function hasControlCharacter(text: string): boolean {
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) < 32) return true;
  return false;
}

/** A top-level value as pino writes it; '' when pino leaves the key out; undefined for what only pino's path knows. */
function topLevelJson(value: unknown): string | undefined {
  switch (typeof value) {
    case 'string':
      return pinoString(value);
    case 'number':
      return finiteOrNull(value);
    case 'boolean':
      return String(value);
    case 'undefined':
      return '';
    default:
      return undefined;
  }
}

/**
 * Bytes of lines that are gathered before one write(2) goes out (fewer, larger writes): ~100 access
 * lines. Each write is a trip through libuv's thread pool (a queued work item, a woken thread, an
 * eventfd back to the loop, the completion's callback), a cost per write, not per byte
 * (docs/performance.md, Round 3: 8 KiB before).
 */
export const STDOUT_MIN_WRITE = 32 * 1024;
/** sonic-boom's largest single write; above STDOUT_MIN_WRITE, as it requires, with room for the chunk's last line. */
const STDOUT_MAX_WRITE = 64 * 1024;
/** The longest a line waits in the buffer when fewer than STDOUT_MIN_WRITE bytes come (a quiet process). */
export const STDOUT_FLUSH_MS = 200;

/**
 * stdout for JSON lines, written asynchronously (sonic-boom, `sync: false`): lines are appended to a
 * buffer that goes out in one write(2) once it holds STDOUT_MIN_WRITE bytes (about 100 access lines),
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
  const destination = pino.destination({
    dest,
    sync: false,
    minLength: STDOUT_MIN_WRITE,
    maxWrite: STDOUT_MAX_WRITE,
    periodicFlush: STDOUT_FLUSH_MS,
  });
  gatherLines(destination);
  return destination;
}

/**
 * Lines are gathered in an array and handed to sonic-boom STDOUT_MIN_WRITE characters at a time,
 * rather than one by one: sonic-boom's write measures the UTF-8 length of the string it appends each
 * line to (Buffer.byteLength), which flattens that growing string, a copy of up to STDOUT_MIN_WRITE
 * bytes and as much garbage for every line (about half of an access line's CPU at the 8 KiB
 * minimum: docs/performance.md, Round 3). Its flush, flushSync and end hand the gathered lines over
 * first, so its periodic flush, pino's flush on exit (flushSync, or flush on beforeExit) and a
 * graceful end write them, in order, as they wrote sonic-boom's own buffer.
 */
function gatherLines(destination: ReturnType<typeof pino.destination>): void {
  // sonic-boom's write, flush and flushSync are the instance's own properties; end is its prototype's.
  const { write, flush, flushSync, end } = destination;
  let lines: string[] = [];
  let chars = 0;
  const handOver = (): void => {
    if (lines.length === 0) return;
    const text = lines.length === 1 ? lines[0] : lines.join('');
    lines = [];
    chars = 0;
    write.call(destination, text);
  };
  destination.write = (line: string): boolean => {
    if ((destination as unknown as { destroyed: boolean }).destroyed) return write.call(destination, line); // throws, as before
    lines.push(line);
    chars += line.length;
    if (chars >= STDOUT_MIN_WRITE) handOver();
    return true;
  };
  destination.flush = (cb?: (err?: Error) => unknown): void => {
    handOver();
    flush.call(destination, cb);
  };
  destination.flushSync = (): void => {
    handOver();
    flushSync.call(destination);
  };
  destination.end = (): void => {
    handOver();
    end.call(destination);
  };
}

const NEST_INVENTORY = new Set(['InstanceLoader', 'RoutesResolver', 'RouterExplorer']);

/**
 * The root logger: JSON lines on stdout, or with LOG_FORMAT=pretty (the development default) one
 * readable line per entry, "12:00:01 INFO api [Bootstrap] API listening on port 3000 {fields}".
 * Pretty-printing runs in-process on the same stream (no worker thread), synchronously so that
 * nothing is lost when the process exits; it is for a developer's terminal, not for throughput.
 */
export function createRootLogger(
  config: Pick<AppConfig, 'logLevel' | 'logFormat'>,
  app: AppName,
  dest: number | string = 1, // stdout; a file in tests
): pino.Logger {
  const options = pinoOptions(config, app);
  if (config.logFormat !== 'pretty') return pino(options, jsonLinesDestination(dest));
  // Nest's start-up inventory (one line per module, controller and route, ~100 lines) would bury
  // what a developer needs; JSON logs keep it, the terminal skips it.
  const scrubbing = options.hooks!.logMethod!;
  options.hooks!.logMethod = function (args, method, level) {
    const fields = args[0] as { context?: unknown } | undefined;
    if (typeof fields === 'object' && fields !== null && NEST_INVENTORY.has(fields.context as string)) return;
    scrubbing.call(this, args, method, level);
  };
  const pretty = pinoPretty({
    destination: dest,
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
