import { CallHandler, ExecutionContext, Injectable, NestInterceptor } from '@nestjs/common';
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
 * including its "completed" line.
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
