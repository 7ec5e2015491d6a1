import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { ResetRequestThrottle } from './reset-request-throttle';

/**
 * POST /customers/password/forgot: counts the request before validation (a malformed body counts
 * too, under its IP), through the same check as the hosted forgot page.
 */
@Injectable()
export class ResetRequestThrottlerGuard implements CanActivate {
  constructor(private readonly throttle: ResetRequestThrottle) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const request = context.switchToHttp().getRequest<FastifyRequest>();
    await this.throttle.count({ ip: request.ip, email: (request.body as { email?: unknown } | undefined)?.email });
    return true;
  }
}
