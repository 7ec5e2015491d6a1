import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import { bearerToken } from '@customer-access/oauth';
import { ApiKeysService, isApiKey } from '../api-keys/api-keys.service';
import { AdminAuthService, adminUnauthorized } from './admin-auth.service';
import { AdminRequest } from './admin-request';

/** Accepts only a valid admin JWT of an admin who still exists, or a live API key (`ca_…`) of one. */
@Injectable()
export class AdminJwtGuard implements CanActivate {
  constructor(
    private readonly auth: AdminAuthService,
    private readonly apiKeys: ApiKeysService,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const request = context.switchToHttp().getRequest<AdminRequest>();
    const token = bearerToken(request.headers.authorization);
    if (!token) throw adminUnauthorized();
    request.admin = isApiKey(token) ? await this.apiKeys.authenticate(token, request.ip) : await this.auth.authenticate(token);
    return true;
  }
}
