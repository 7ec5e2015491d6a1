import { CallHandler, ExecutionContext, Injectable, NestInterceptor, UseInterceptors } from '@nestjs/common';
import { Observable } from 'rxjs';
import { LogContext } from '@customer-access/observability';
import { isUuid } from '@customer-access/common';

interface KnownRequest {
  customerAuth?: { customerId?: string };
  admin?: { id?: string };
  params?: Record<string, string | undefined>;
  routeOptions?: { url?: string };
}

/**
 * Runs after the guards, when the caller is known: adds the customer id (customer token, or the
 * customer an admin route acts on) and the admin id to every later log line of the request,
 * including its "completed" line. Only on the routes whose guards establish a caller
 * ({@link LogsCaller}): elsewhere it would have nothing to add, and an interceptor puts every
 * request of its route through rxjs (docs/performance.md, Round 3).
 */
@Injectable()
export class RequestLogContextInterceptor implements NestInterceptor {
  constructor(private readonly logContext: LogContext) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    if (context.getType() === 'http') {
      const request = context.switchToHttp().getRequest<KnownRequest>();
      const routeCustomer = request.routeOptions?.url?.startsWith('/api/v1/admin/customers/:id') ? request.params?.id : undefined;
      this.logContext.assign({
        customerId: request.customerAuth?.customerId ?? (routeCustomer && isUuid(routeCustomer) ? routeCustomer : undefined),
        adminId: request.admin?.id,
      });
    }
    return next.handle();
  }
}

/**
 * On every controller or handler guarded by AdminJwtGuard or CustomerAuthGuard (AdminGuarded
 * carries it): the caller the guard established goes on the request's log lines. A unit test
 * (ops/logs-caller.spec.ts) checks that no such route lacks it.
 */
export const LogsCaller = (): ClassDecorator & MethodDecorator => UseInterceptors(RequestLogContextInterceptor);
