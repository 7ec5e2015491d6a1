import { CanActivate, ExecutionContext, Inject, Injectable, NotFoundException } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { APP_CONFIG, AppConfig } from '@customer-access/config';

/** The 404 of a route that does not exist, word for word (Nest's router says "Cannot GET /path"). */
export function routeNotFound(request: FastifyRequest): NotFoundException {
  return new NotFoundException(`Cannot ${request.method} ${request.url.split('?')[0]}`);
}

/** HOSTED_PAGES=false (an API-only deployment): the pages answer as if they did not exist. */
@Injectable()
export class HostedPagesEnabledGuard implements CanActivate {
  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {}

  canActivate(context: ExecutionContext): boolean {
    if (!this.config.hostedPages) throw routeNotFound(context.switchToHttp().getRequest<FastifyRequest>());
    return true;
  }
}
