import { SetMetadata } from '@nestjs/common';
import { Permission } from './admin-roles';

export const REQUIRED_PERMISSION = 'customer-access:admin:permission';
export const PUBLIC_ADMIN_ROUTE = 'customer-access:admin:public';

/** The permission a handler needs. PermissionsGuard refuses handlers that declare none. */
export const RequirePermission = (permission: Permission): MethodDecorator & ClassDecorator => SetMetadata(REQUIRED_PERMISSION, permission);

/**
 * Marks an admin route that deliberately needs no token (signing in). Explicit, so that a route
 * missing its guards cannot pass for a public one: the route-walking test allows only these.
 */
export const PublicAdminRoute = (): MethodDecorator & ClassDecorator => SetMetadata(PUBLIC_ADMIN_ROUTE, true);
