import { applyDecorators, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { AdminJwtGuard, PermissionsGuard } from '@customer-access/admin';
import { LogsCaller } from '../ops/request-log-context.interceptor';

/**
 * Every admin controller but sign-in carries this: a valid admin JWT first (401), then the
 * handler's @RequirePermission (403). The order matters: an anonymous caller never learns which
 * permission a route needs. The admin (and the customer a route acts on) then goes on the request's
 * log lines (LogsCaller).
 */
export const AdminGuarded = (): ClassDecorator =>
  applyDecorators(UseGuards(AdminJwtGuard, PermissionsGuard), LogsCaller(), ApiBearerAuth(), ApiTags('admin'));
