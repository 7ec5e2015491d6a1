import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import { bearerToken } from '@customer-access/oauth';
import { AdminAuthService, adminUnauthorized } from './admin-auth.service';
import { AdminRequest } from './admin-request';

/** Accepts only a valid admin JWT of an admin who still exists. */
@Injectable()
export class AdminJwtGuard implements CanActivate {
  constructor(private readonly auth: AdminAuthService) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const request = context.switchToHttp().getRequest<AdminRequest>();
    const token = bearerToken(request.headers.authorization);
    if (!token) throw adminUnauthorized();
    request.admin = await this.auth.authenticate(token);
    return true;
  }
}
