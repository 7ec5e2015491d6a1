import { CanActivate, ExecutionContext, Injectable, UnauthorizedException } from '@nestjs/common';
import { OAuthService } from './oauth.service';
import { AuthenticatedCustomer } from './access-token.repository';

export interface CustomerRequest {
  headers: Record<string, string | string[] | undefined>;
  customerAuth?: AuthenticatedCustomer;
}

/** Accepts only a live customer access token: `Authorization: Bearer <token>`. */
@Injectable()
export class CustomerAuthGuard implements CanActivate {
  constructor(private readonly oauth: OAuthService) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const request = context.switchToHttp().getRequest<CustomerRequest>();
    const token = bearerToken(request.headers.authorization);
    const auth = token ? await this.oauth.authenticate(token) : null;
    if (!auth) throw new UnauthorizedException('A valid customer access token is required.');
    request.customerAuth = auth;
    return true;
  }
}

export function bearerToken(header: string | string[] | undefined): string | null {
  if (typeof header !== 'string') return null;
  const match = /^Bearer ([A-Za-z0-9._~+/-]+=*)$/i.exec(header.trim());
  return match ? match[1] : null;
}
