import { ADMIN_ROLES, isAdminRole, Permission, ROLE_PERMISSIONS, roleHasPermission } from './admin-roles';

describe('admin roles (docs/api.md)', () => {
  it('gives administrator every permission', () => {
    for (const permission of Object.values(Permission)) expect(roleHasPermission('administrator', permission)).toBe(true);
  });

  it('gives support exactly customers.view and customers.reset_password, and its own account', () => {
    expect([...ROLE_PERMISSIONS.support].sort()).toEqual(['account.manage', 'customers.reset_password', 'customers.view']);
    expect(roleHasPermission('support', Permission.CustomersInvalidateTokens)).toBe(false);
    expect(roleHasPermission('support', Permission.ConfigManage)).toBe(false);
  });

  it('names the permissions as docs/api.md does, plus queues.view for the queue dashboard', () => {
    expect(Object.values(Permission).sort()).toEqual([
      'account.manage',
      'api_keys.manage',
      'config.manage',
      'customers.delete',
      'customers.edit',
      'customers.invalidate_tokens',
      'customers.reset_password',
      'customers.view',
      'queues.view',
      'stores.manage',
      'webhooks.manage',
    ]);
  });

  it('gives an unknown role nothing', () => {
    expect(isAdminRole('root')).toBe(false);
    expect(isAdminRole('toString')).toBe(false);
    for (const permission of Object.values(Permission)) {
      expect(roleHasPermission('root', permission)).toBe(false);
      expect(roleHasPermission('__proto__', permission)).toBe(false);
    }
    expect(ADMIN_ROLES).toEqual(['administrator', 'support']);
  });
});
