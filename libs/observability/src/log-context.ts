import { Injectable } from '@nestjs/common';
import { PinoLogger } from 'nestjs-pino';
import { Store, storage } from 'nestjs-pino/storage';
import type pino from 'pino';

export type LogFields = Record<string, string | number | boolean | null | undefined>;

/**
 * The log scope of one request or job: the fields every line written in it carries (request id,
 * job id, customer id...). nestjs-pino's PinoLogger (Nest's Logger) writes through `logger`.
 *
 * Performance (BENCHMARKS.md, forgot route, worker): the pino child logger is made on first use.
 * pino-http made one per request, and the worker one per job, although at the production level
 * most requests and jobs write no line but the access line, which needs only the fields.
 */
export class LogScope {
  private child?: pino.Logger;
  private readonly scopeFields: Record<string, string | number | boolean>;

  constructor(
    private readonly base: pino.Logger,
    fields: LogFields,
  ) {
    this.scopeFields = definedFields(fields);
  }

  /** The fields of this scope so far (the access line carries them). */
  get fields(): Readonly<Record<string, string | number | boolean>> {
    return this.scopeFields;
  }

  get logger(): pino.Logger {
    return (this.child ??= this.base.child(this.scopeFields));
  }

  /** Kept for nestjs-pino's own PinoLogger.assign, which replaces the logger with a child of it. */
  set logger(logger: pino.Logger) {
    this.child = logger;
  }

  /** Adds fields to every later line of the scope. */
  assign(fields: LogFields): void {
    Object.assign(this.scopeFields, definedFields(fields));
    this.child = undefined;
  }

  /** Runs `fn` (and everything it starts) in this scope. */
  run<T>(fn: () => T): T {
    return storage.run(this as unknown as Store, fn);
  }
}

/**
 * Adds fields (customer id, admin id, job id) to every later log line of the current request or
 * job, including the request's access line. Outside such a scope it does nothing, so callers
 * never need to know whether they run in a request, a job or a CLI command.
 */
@Injectable()
export class LogContext {
  constructor(private readonly pino: PinoLogger) {}

  assign(fields: LogFields): void {
    const store = storage.getStore() as unknown;
    if (store instanceof LogScope) store.assign(fields);
    else if (store && Object.keys(definedFields(fields)).length > 0) this.pino.assign(definedFields(fields));
  }

  /** Runs `fn` with its own log scope carrying `fields` (the worker's per-job context). */
  run<T>(fields: LogFields, fn: () => T): T {
    return new LogScope(this.pino.logger, fields).run(fn);
  }
}

function definedFields(fields: LogFields): Record<string, string | number | boolean> {
  const defined: Record<string, string | number | boolean> = {};
  for (const [key, value] of Object.entries(fields)) if (value !== undefined && value !== null) defined[key] = value;
  return defined;
}
