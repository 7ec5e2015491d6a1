import { applyDecorators, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { AdminJwtGuard, PermissionsGuard } from '@customer-access/admin';

/**
 * Every admin controller but sign-in carries this: a valid admin JWT first (401), then the
 * handler's @RequirePermission (403). The order matters: an anonymous caller never learns which
 * permission a route needs.
 */
export const AdminGuarded = (): ClassDecorator =>
  applyDecorators(UseGuards(AdminJwtGuard, PermissionsGuard), ApiBearerAuth(), ApiTags('admin'));
