import { Injectable } from '@nestjs/common';
import { PinoLogger } from 'nestjs-pino';
import { Store, storage } from 'nestjs-pino/storage';
import type pino from 'pino';

export type LogFields = Record<string, string | number | boolean | null | undefined>;

/**
 * The log scope of one request or job: the fields every line written in it carries (request id,
 * job id, customer id...). nestjs-pino's PinoLogger (Nest's Logger) writes through `logger`.
 *
 * Performance (docs/performance.md): the pino child logger is made on first use, since at the
 * production level most requests and jobs write no line but the access line, which needs only the
 * fields.
 */
export class LogScope {
  private child?: pino.Logger;
  private readonly scopeFields: Record<string, string | number | boolean>;
  private readonly gate: pino.Logger;

  constructor(
    private readonly base: pino.Logger,
    fields: LogFields,
  ) {
    this.scopeFields = definedFields(fields);
    this.gate = new LevelGate(base, this) as unknown as pino.Logger;
  }

  /** The fields of this scope so far (the access line carries them). */
  get fields(): Readonly<Record<string, string | number | boolean>> {
    return this.scopeFields;
  }

  /** The scope's child logger, made on first use (again after an assign). */
  get logger(): pino.Logger {
    return (this.child ??= this.base.child(this.scopeFields));
  }

  /** Adds fields to every later line of the scope. */
  assign(fields: LogFields): void {
    Object.assign(this.scopeFields, definedFields(fields));
    this.child = undefined;
  }

  /** Runs `fn` (and everything it starts) in this scope. */
  run<T>(fn: () => T): T {
    // nestjs-pino's PinoLogger reads the store's `logger` for every call, written or not: it gets
    // the gate, which makes the child only for a line the level lets through.
    const store: Store & { scope: LogScope } = { logger: this.gate, scope: this };
    return storage.run(store, fn);
  }
}

const LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace'] as const;

/**
 * A stand-in logger: calls at a disabled level are dropped; others go to the scope's child. A class
 * with its methods on the prototype, so that a scope (one per request and per job) allocates one
 * small object for it rather than a closure per level (docs/performance.md, Round 3).
 */
class LevelGate {
  constructor(
    private readonly base: pino.Logger,
    private readonly scope: LogScope,
  ) {}

  isLevelEnabled(level: string): boolean {
    return this.base.isLevelEnabled(level);
  }

  child(bindings: pino.Bindings): pino.Logger {
    return this.scope.logger.child(bindings);
  }
}
for (const level of LEVELS) {
  Object.defineProperty(LevelGate.prototype, level, {
    value: function (this: { base: pino.Logger; scope: LogScope }, ...args: unknown[]) {
      if (this.base.isLevelEnabled(level)) (this.scope.logger[level] as (...a: unknown[]) => void)(...args);
    },
  });
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
    // Every scope is a LogScope: the API's requests open one (http-observability), jobs run in one.
    (storage.getStore() as (Store & { scope?: LogScope }) | undefined)?.scope?.assign(fields);
  }

  /** Runs `fn` with its own log scope carrying `fields` (the worker's per-job context). */
  run<T>(fields: LogFields, fn: () => T): T {
    return new LogScope(this.pino.logger, fields).run(fn);
  }
}

function definedFields(fields: LogFields): Record<string, string | number | boolean> {
  const defined: Record<string, string | number | boolean> = {};
  for (const key in fields) {
    const value = fields[key];
    if (value !== undefined && value !== null) defined[key] = value;
  }
  return defined;
}
