import { CallHandler, ExecutionContext, HttpException, Injectable, NestInterceptor } from '@nestjs/common';
import { Observable, tap } from 'rxjs';
import { DomainError, ErrorCode } from '@customer-access/common';
import { ApiMetrics } from '@customer-access/observability';
import { codeForStatus } from '../http/error-response';

/** The error code a failed reset is counted under (the same code the client receives). */
export function resetFailureReason(error: unknown): string {
  if (error instanceof DomainError) return error.code;
  if (error instanceof HttpException) return codeForStatus(error.getStatus());
  return ErrorCode.Internal;
}

/**
 * Counts the outcome of POST /customers/password/reset: completed, or failed by error code. Wraps
 * the validation pipe too, so a malformed body counts as a failed reset (VALIDATION).
 */
@Injectable()
export class ResetOutcomeInterceptor implements NestInterceptor {
  constructor(private readonly metrics: ApiMetrics) {}

  intercept(_context: ExecutionContext, next: CallHandler): Observable<unknown> {
    return next.handle().pipe(
      tap({
        next: () => this.metrics.resetsCompleted.inc(),
        error: (error: unknown) => this.metrics.resetsFailed.labels(resetFailureReason(error)).inc(),
      }),
    );
  }
}
