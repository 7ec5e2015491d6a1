import { AsyncResource } from 'node:async_hooks';

/**
 * Performance (docs/performance.md). Every request binds AsyncResources: Fastify once per request body
 * (content-type-parser.js: `new AsyncResource(...).bind(onDone)`) and Nest's interceptor chain
 * once more per interceptor plus one (interceptors-consumer.js: `AsyncResource.bind(...)`). On
 * Node 20, AsyncResource#bind also hangs a deprecated `asyncResource` accessor (DEP0172) on each
 * bound function, built with two util.deprecate() wrappers: 10-20 µs of CPU per call.
 *
 * This keeps the binding itself (same async context, same `this`, same length) and leaves out
 * only that deprecated accessor, which nothing in this service reads. Installed once at start-up,
 * and only where the runtime still adds the accessor; a runtime without it keeps its own bind.
 */
export function installLeanAsyncResourceBind(): void {
  const proto = AsyncResource.prototype as AsyncResource & { bind: AsyncResource['bind'] };
  const probe = new AsyncResource('probe').bind(() => undefined) as unknown as Record<string, unknown>;
  if (!Object.getOwnPropertyDescriptor(probe, 'asyncResource')) return;
  const nodeBind = proto.bind as (this: AsyncResource, fn: unknown, thisArg?: unknown) => unknown;
  proto.bind = function leanBind<Func extends (...args: any[]) => any>(
    this: AsyncResource,
    fn: Func,
    thisArg?: ThisParameterType<Func>,
  ): Func {
    if (typeof fn !== 'function') return nodeBind.call(this, fn, thisArg) as Func; // Node's own error
    // eslint-disable-next-line @typescript-eslint/no-this-alias -- the wrapper below has its own `this` (the caller's)
    const resource = this;
    const bound =
      thisArg === undefined
        ? function (this: unknown, ...args: unknown[]) {
            return resource.runInAsyncScope(fn, this, ...args);
          }
        : resource.runInAsyncScope.bind(resource, fn, thisArg);
    Object.defineProperty(bound, 'length', { configurable: true, enumerable: false, writable: false, value: fn.length });
    return bound as Func;
  };
}

installLeanAsyncResourceBind();
