import 'reflect-metadata';
import { DynamicModule, Type } from '@nestjs/common';
import { GUARDS_METADATA, INTERCEPTORS_METADATA, METHOD_METADATA, MODULE_METADATA } from '@nestjs/common/constants';
import { AdminJwtGuard } from '@customer-access/admin';
import { CustomerAuthGuard } from '@customer-access/oauth';
import { ApiModule } from '../api.module';
import { RequestLogContextInterceptor } from './request-log-context.interceptor';

type ModuleRef = Type<unknown> | DynamicModule | Promise<DynamicModule> | undefined;

/** Every controller of the API, through the module tree (dynamic modules included). */
function controllersOf(root: Type<unknown>): Array<Type<unknown>> {
  const seen = new Set<unknown>();
  const found = new Set<Type<unknown>>();
  const visit = (ref: ModuleRef): void => {
    if (!ref || ref instanceof Promise || seen.has(ref)) return;
    seen.add(ref);
    const type = 'module' in ref ? ref.module : ref;
    const dynamic = 'module' in ref ? ref : undefined;
    for (const c of [...(Reflect.getMetadata(MODULE_METADATA.CONTROLLERS, type) ?? []), ...(dynamic?.controllers ?? [])]) found.add(c);
    for (const m of [...(Reflect.getMetadata(MODULE_METADATA.IMPORTS, type) ?? []), ...(dynamic?.imports ?? [])]) visit(m as ModuleRef);
  };
  visit(root);
  return [...found];
}

/**
 * The caller's ids go on the log lines of every route whose guard establishes a caller (the
 * interceptor is no longer global, so that the other routes skip Nest's rxjs pipeline).
 */
describe('LogsCaller', () => {
  const handlers = controllersOf(ApiModule).flatMap((controller) =>
    Object.getOwnPropertyNames(controller.prototype)
      .map((name) => ({ controller, name, handler: controller.prototype[name] as object }))
      .filter(({ name, handler }) => name !== 'constructor' && Reflect.getMetadata(METHOD_METADATA, handler) !== undefined),
  );
  const metadata = (key: string, h: { controller: object; handler: object }): unknown[] => [
    ...(Reflect.getMetadata(key, h.controller) ?? []),
    ...(Reflect.getMetadata(key, h.handler) ?? []),
  ];
  const establishesCaller = (h: { controller: object; handler: object }) =>
    metadata(GUARDS_METADATA, h).some((guard) => guard === AdminJwtGuard || guard === CustomerAuthGuard);

  it('finds the guarded routes of both kinds', () => {
    const guarded = handlers.filter(establishesCaller);
    expect(guarded.length).toBeGreaterThanOrEqual(10);
    expect(guarded.some((h) => metadata(GUARDS_METADATA, h).includes(CustomerAuthGuard))).toBe(true);
  });

  it('every route guarded by AdminJwtGuard or CustomerAuthGuard logs its caller; forgot goes without', () => {
    const missing = handlers
      .filter((h) => establishesCaller(h) && !metadata(INTERCEPTORS_METADATA, h).includes(RequestLogContextInterceptor))
      .map((h) => `${h.controller.name}.${h.name}`);
    expect(missing).toEqual([]);
    const forgot = handlers.find((h) => h.controller.name === 'PasswordResetController' && h.name === 'forgot');
    expect(forgot && metadata(INTERCEPTORS_METADATA, forgot)).toEqual([]);
  });
});
