import { createParamDecorator, ExecutionContext } from '@nestjs/common';
import { adminUnauthorized } from './admin-auth.service';
import { AdminActor, AdminRequest } from './admin-request';

/** The authenticated admin and the client IP, for handlers behind AdminJwtGuard. */
export const CurrentAdmin = createParamDecorator((_data: unknown, context: ExecutionContext): AdminActor => {
  const request = context.switchToHttp().getRequest<AdminRequest>();
  if (!request.admin) throw adminUnauthorized();
  return { ...request.admin, ip: request.ip };
});
