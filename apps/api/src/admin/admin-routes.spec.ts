import 'reflect-metadata';
import { GUARDS_METADATA, METHOD_METADATA, PATH_METADATA } from '@nestjs/common/constants';
import { AdminJwtGuard, PermissionsGuard, Permission, PUBLIC_ADMIN_ROUTE, REQUIRED_PERMISSION } from '@customer-access/admin';
import { AdminApiModule } from './admin-api.module';

/**
 * Fast, static twin of the e2e guard matrix: every handler of every admin controller is either
 * guarded (AdminJwtGuard then PermissionsGuard) with a declared permission, or explicitly public.
 */
describe('admin controllers', () => {
  const controllers: Array<new (...args: never[]) => unknown> = Reflect.getMetadata('controllers', AdminApiModule);
  const handlers = controllers.flatMap((controller) =>
    Object.getOwnPropertyNames(controller.prototype)
      .filter((name) => name !== 'constructor')
      .map((name) => ({ controller, name, handler: controller.prototype[name] as object }))
      .filter(({ handler }) => Reflect.getMetadata(METHOD_METADATA, handler) !== undefined),
  );

  it('finds the admin routes', () => {
    expect(handlers.length).toBeGreaterThanOrEqual(8);
  });

  it.each(handlers.map((h) => [`${h.controller.name}.${h.name}`, h] as const))(
    '%s is guarded with a permission, or explicitly public',
    (_name, h) => {
      const path = [Reflect.getMetadata(PATH_METADATA, h.controller), Reflect.getMetadata(PATH_METADATA, h.handler)].join('/');
      expect(path).toMatch(/^admin\//);
      if (Reflect.getMetadata(PUBLIC_ADMIN_ROUTE, h.handler)) {
        // Sign-in: the password step, and the second-factor steps that take an mfa_token instead.
        expect(path).toMatch(/^admin\/auth\/(token|mfa\/[a-z/]+)$/);
        return;
      }
      const guards = [
        ...(Reflect.getMetadata(GUARDS_METADATA, h.controller) ?? []),
        ...(Reflect.getMetadata(GUARDS_METADATA, h.handler) ?? []),
      ];
      expect(guards.slice(0, 2)).toEqual([AdminJwtGuard, PermissionsGuard]);
      expect(Object.values(Permission)).toContain(Reflect.getMetadata(REQUIRED_PERMISSION, h.handler));
    },
  );
});
