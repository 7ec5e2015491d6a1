import { ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { DomainError } from '@customer-access/common';
import { AuditService } from '../audit/audit.service';
import { Permission } from './admin-roles';
import { AdminRequest } from './admin-request';
import { PermissionsGuard } from './permissions.guard';
import { RequirePermission } from './require-permission.decorator';

class Handlers {
  @RequirePermission(Permission.ConfigManage)
  manage(): void {}

  @RequirePermission(Permission.CustomersView)
  view(): void {}

  undeclared(): void {}
}

function context(handler: keyof Handlers, request: Partial<AdminRequest>): ExecutionContext {
  return {
    getHandler: () => Handlers.prototype[handler],
    getClass: () => Handlers,
    switchToHttp: () => ({ getRequest: () => request }),
  } as unknown as ExecutionContext;
}

const support = { id: '6f1c1e0e-5d5a-4c1e-9a47-0c8e1b6b1a11', email: 'help@example.com', role: 'support' as const };
const customerId = 'a7d1f9c2-3b4e-4f5a-8b6c-7d8e9f0a1b2c';

describe('PermissionsGuard', () => {
  const audit = { recordDenied: jest.fn(async () => undefined) } as unknown as AuditService;
  const guard = new PermissionsGuard(new Reflector(), audit);
  beforeEach(() => jest.clearAllMocks());

  it('lets a role with the permission through, without an audit record', async () => {
    await expect(guard.canActivate(context('view', { admin: support, ip: '10.0.0.9' }))).resolves.toBe(true);
    expect(audit.recordDenied).not.toHaveBeenCalled();
  });

  it('answers 403 FORBIDDEN and records the denied attempt', async () => {
    const request = {
      admin: support,
      ip: '10.0.0.9',
      method: 'POST',
      url: '/x?y',
      params: { id: customerId },
      routeOptions: { url: '/api/v1/admin/customers/:id/force-sign-in' },
    };
    const error = await guard.canActivate(context('manage', request)).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DomainError);
    expect(error).toMatchObject({ code: 'FORBIDDEN' });
    expect(audit.recordDenied).toHaveBeenCalledWith(
      { ...support, ip: '10.0.0.9' },
      { customerId, permission: 'config.manage', method: 'POST', route: '/api/v1/admin/customers/:id/force-sign-in' },
    );
  });

  it('fails closed for a handler that declares no permission, even for an administrator', async () => {
    const request = { admin: { ...support, role: 'administrator' as const }, ip: '::1', method: 'GET', url: '/api/v1/admin/x' };
    await expect(guard.canActivate(context('undeclared', request))).rejects.toMatchObject({ code: 'FORBIDDEN' });
  });

  it("lets an API key through only on a permission both the key and its creator's role have", async () => {
    const key = (permissions: string[], role: 'administrator' | 'support' = 'administrator') => ({
      admin: { ...support, role, credential: { kind: 'api_key' as const, keyId: 'k', name: 'sync', permissions } },
      ip: '::1',
      method: 'GET',
      url: '/a',
    });
    await expect(guard.canActivate(context('view', key(['customers.view'])))).resolves.toBe(true);
    await expect(guard.canActivate(context('manage', key(['customers.view'])))).rejects.toMatchObject({
      code: 'FORBIDDEN',
      message: 'This API key does not have the config.manage permission.',
    });
    // The creator was demoted to support: the key shrinks with them.
    await expect(guard.canActivate(context('manage', key(['config.manage'], 'support')))).rejects.toMatchObject({ code: 'FORBIDDEN' });
  });

  it('answers 401 when no admin was authenticated before it', async () => {
    await expect(guard.canActivate(context('view', { ip: '::1' }))).rejects.toMatchObject({ code: 'UNAUTHORIZED', realm: 'admin' });
  });

  it('does not put a malformed id into the audit record', async () => {
    const request = { admin: support, ip: '::1', method: 'GET', url: '/a', params: { id: "x' or 1=1" } };
    await guard.canActivate(context('manage', request)).catch(() => undefined);
    expect(audit.recordDenied).toHaveBeenCalledWith(expect.anything(), expect.objectContaining({ customerId: null }));
  });
});
