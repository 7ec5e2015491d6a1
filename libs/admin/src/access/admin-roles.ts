/**
 * Roles and what they may do (docs/api.md, Admin routes). Handlers name a permission, never a role, so a
 * new role is one line here and no controller changes.
 */
export enum Permission {
  CustomersView = 'customers.view',
  CustomersResetPassword = 'customers.reset_password',
  CustomersInvalidateTokens = 'customers.invalidate_tokens',
  /** Account Information (name, email, language) and Unlock; administrator only. */
  CustomersEdit = 'customers.edit',
  ConfigManage = 'config.manage',
  /** The queue dashboard at /admin/queues (read-only); administrator only. */
  QueuesView = 'queues.view',
  /** Create, list and revoke API keys (docs/admin-sign-in.md); administrator only. */
  ApiKeysManage = 'api_keys.manage',
  /** My Account: one's own second factors and recovery codes; every role, never an API key. */
  AccountManage = 'account.manage',
  /** Websites and store views (docs/api.md, Stores); administrator only. */
  StoresManage = 'stores.manage',
  /** Deleting a customer account; administrator only. */
  CustomersDelete = 'customers.delete',
  /** Webhook endpoints; administrator only. */
  WebhooksManage = 'webhooks.manage',
}

export const ADMIN_ROLES = ['administrator', 'support'] as const;
export type AdminRole = (typeof ADMIN_ROLES)[number];

export const ROLE_PERMISSIONS: Readonly<Record<AdminRole, ReadonlySet<Permission>>> = Object.freeze({
  administrator: new Set(Object.values(Permission)),
  support: new Set([Permission.CustomersView, Permission.CustomersResetPassword, Permission.AccountManage]),
});

export function isAdminRole(value: unknown): value is AdminRole {
  return typeof value === 'string' && (ADMIN_ROLES as readonly string[]).includes(value);
}

/** Unknown roles (a row edited by hand, a role removed from the code) get nothing. */
export function roleHasPermission(role: string, permission: Permission): boolean {
  return isAdminRole(role) && ROLE_PERMISSIONS[role].has(permission);
}
