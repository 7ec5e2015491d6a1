import { CanActivate, ExecutionContext, Injectable, Logger } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { DomainError, ErrorCode, isUuid } from '@customer-access/common';
import { AuditService } from '../audit/audit.service';
import { Permission, roleHasPermission } from './admin-roles';
import { adminUnauthorized } from './admin-auth.service';
import { AdminRequest } from './admin-request';
import { REQUIRED_PERMISSION } from './require-permission.decorator';

/**
 * Runs after AdminJwtGuard. Fails closed: a handler without @RequirePermission is refused for
 * everyone, so a forgotten decorator shows up at once instead of opening the route. A refusal of
 * an authenticated admin is recorded in the audit log.
 */
@Injectable()
export class PermissionsGuard implements CanActivate {
  private readonly logger = new Logger(PermissionsGuard.name);

  constructor(
    private readonly reflector: Reflector,
    private readonly audit: AuditService,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const request = context.switchToHttp().getRequest<AdminRequest>();
    // Only reachable without AdminJwtGuard before it: a wiring mistake, answered like no token.
    if (!request.admin) throw adminUnauthorized();
    const permission = this.reflector.getAllAndOverride<Permission | undefined>(REQUIRED_PERMISSION, [
      context.getHandler(),
      context.getClass(),
    ]);
    // An API key: its own permissions, each still held by its creator's role at this moment.
    const credential = request.admin.credential;
    const keyAllows = credential?.kind !== 'api_key' || (permission !== undefined && credential.permissions.includes(permission));
    if (permission && keyAllows && roleHasPermission(request.admin.role, permission)) return true;

    if (!permission) {
      this.logger.error(`${context.getClass().name}.${context.getHandler().name} declares no @RequirePermission: refused`);
    }
    const customerId = request.params?.id;
    await this.audit.recordDenied(
      { ...request.admin, ip: request.ip },
      {
        customerId: customerId && isUuid(customerId) ? customerId : null,
        permission: permission ?? null,
        method: request.method,
        route: request.routeOptions?.url ?? request.url.split('?')[0],
      },
    );
    throw new DomainError(
      ErrorCode.Forbidden,
      !permission
        ? 'This route is not available.'
        : keyAllows
          ? `Your role (${request.admin.role}) does not have the ${permission} permission.`
          : `This API key does not have the ${permission} permission.`,
    );
  }
}
