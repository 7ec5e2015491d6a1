import { Injectable } from '@nestjs/common';
import { PinoLogger } from 'nestjs-pino';
import { Store, storage } from 'nestjs-pino/storage';
import type pino from 'pino';

export type LogFields = Record<string, string | number | boolean | null | undefined>;

/**
 * Adds fields (customer id, admin id, job id) to every later log line of the current request or
 * job, including the request's "completed" line. Outside such a scope it does nothing, so callers
 * never need to know whether they run in a request, a job or a CLI command.
 */
@Injectable()
export class LogContext {
  constructor(private readonly pino: PinoLogger) {}

  assign(fields: LogFields): void {
    const defined = Object.fromEntries(Object.entries(fields).filter(([, v]) => v !== undefined && v !== null));
    if (Object.keys(defined).length === 0 || !storage.getStore()) return;
    this.pino.assign(defined);
  }

  /** Runs `fn` with its own log scope carrying `fields` (the worker's per-job context). */
  run<T>(fields: LogFields, fn: () => T): T {
    const defined = Object.fromEntries(Object.entries(fields).filter(([, v]) => v !== undefined && v !== null));
    return storage.run(lazyLoggerStore(this.pino.logger, defined), fn);
  }
}

/**
 * A log scope whose child logger is made on its first use. Performance (BENCHMARKS.md, worker):
 * making a pino child per job cost about as much as a database round trip, and at the production
 * level most jobs never log through it. nestjs-pino's PinoLogger reads `logger`, and assign()
 * replaces it with a child of it.
 */
function lazyLoggerStore(base: pino.Logger, fields: LogFields): Store {
  let child: pino.Logger | undefined;
  return {
    get logger(): pino.Logger {
      return (child ??= base.child(fields));
    },
    set logger(logger: pino.Logger) {
      child = logger;
    },
  };
}
