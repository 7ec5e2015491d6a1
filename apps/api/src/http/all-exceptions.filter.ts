import { ArgumentsHost, Catch, ExceptionFilter, HttpException, HttpStatus, Logger } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { DomainError, ErrorCode } from '@customer-access/common';
import { codeForStatus, ErrorResponse } from './error-response';
import { isInfrastructureUnavailable } from './infrastructure-errors';
import { OAuthError } from './oauth-error';

/**
 * One place that shapes every error answer. Expected failures carry their own code; anything
 * unexpected is logged and answered with a generic 500 that reveals nothing of the internals.
 */
@Catch()
export class AllExceptionsFilter implements ExceptionFilter {
  private readonly logger = new Logger('HTTP');

  catch(exception: unknown, host: ArgumentsHost): void {
    const reply = host.switchToHttp().getResponse<FastifyReply>();

    if (exception instanceof OAuthError) {
      void reply
        .status(exception.status)
        .header('cache-control', 'no-store')
        .send({ error: exception.error, error_description: exception.description });
      return;
    }

    const { body, headers } = this.toErrorResponse(exception);
    for (const [name, value] of Object.entries(headers)) reply.header(name, value);
    void reply.status(body.statusCode).send(body);
  }

  toErrorResponse(exception: unknown): { body: ErrorResponse; headers: Record<string, string> } {
    if (exception instanceof DomainError) {
      return { body: { statusCode: exception.status, code: exception.code, message: exception.message }, headers: exception.headers };
    }
    if (exception instanceof HttpException) {
      const status = exception.getStatus();
      const response = exception.getResponse();
      const message =
        typeof response === 'string'
          ? response
          : Array.isArray((response as { message?: unknown }).message)
            ? (response as { message: string[] }).message.join('; ')
            : String((response as { message?: unknown }).message ?? exception.message);
      return { body: { statusCode: status, code: codeForStatus(status), message }, headers: {} };
    }
    const fastifyStatus = (exception as { statusCode?: number })?.statusCode;
    if (typeof fastifyStatus === 'number' && fastifyStatus >= 400 && fastifyStatus < 500) {
      // Fastify's own client errors: malformed JSON, body too large, unsupported content type.
      return {
        body: { statusCode: fastifyStatus, code: codeForStatus(fastifyStatus), message: clientErrorMessage(fastifyStatus, exception) },
        headers: {},
      };
    }
    if (isInfrastructureUnavailable(exception)) {
      this.logger.warn(`Backing service unavailable: ${(exception as Error).message}`);
      return {
        body: {
          statusCode: HttpStatus.SERVICE_UNAVAILABLE,
          code: ErrorCode.ServiceUnavailable,
          message: 'The service is temporarily unavailable. Please try again shortly.',
        },
        headers: { 'Retry-After': '5' },
      };
    }
    this.logger.error(exception instanceof Error ? exception.stack : String(exception));
    return {
      body: { statusCode: HttpStatus.INTERNAL_SERVER_ERROR, code: ErrorCode.Internal, message: 'Internal server error.' },
      headers: {},
    };
  }
}

function clientErrorMessage(status: number, exception: unknown): string {
  if (status === 413) return 'The request body is too large.';
  if (status === 415) return 'Unsupported content type. Send application/json.';
  const code = (exception as { code?: string }).code ?? '';
  if (code.startsWith('FST_ERR_CTP')) return 'The request body is not valid JSON.';
  return (exception as Error).message ?? 'Bad request.';
}
