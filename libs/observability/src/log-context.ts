import { Injectable } from '@nestjs/common';
import { PinoLogger } from 'nestjs-pino';
import { Store, storage } from 'nestjs-pino/storage';

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
    const base = this.pino.logger;
    const defined = Object.fromEntries(Object.entries(fields).filter(([, v]) => v !== undefined && v !== null));
    return storage.run(new Store(base.child(defined)), fn);
  }
}
