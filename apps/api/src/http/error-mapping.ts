import { HttpException, HttpStatus, Logger } from '@nestjs/common';
import { DomainError, ErrorCode } from '@customer-access/common';
import { codeForStatus, ErrorResponse } from './error-response';
import { isInfrastructureUnavailable } from './infrastructure-errors';

/** The HTTP status of each domain error code: the one place where codes meet HTTP. */
const STATUS_BY_CODE: Record<ErrorCode, HttpStatus> = {
  [ErrorCode.Validation]: HttpStatus.BAD_REQUEST,
  [ErrorCode.PasswordPolicy]: HttpStatus.BAD_REQUEST,
  [ErrorCode.PasswordBreached]: HttpStatus.BAD_REQUEST,
  [ErrorCode.PasswordMismatch]: HttpStatus.BAD_REQUEST,
  [ErrorCode.ResetTokenInvalid]: HttpStatus.BAD_REQUEST,
  [ErrorCode.ResetTokenExpired]: HttpStatus.BAD_REQUEST,
  [ErrorCode.EmailTaken]: HttpStatus.CONFLICT,
  [ErrorCode.CustomerHasNoTokens]: HttpStatus.CONFLICT,
  [ErrorCode.NotFound]: HttpStatus.NOT_FOUND,
  [ErrorCode.Unauthorized]: HttpStatus.UNAUTHORIZED,
  [ErrorCode.MfaInvalid]: HttpStatus.UNAUTHORIZED,
  [ErrorCode.Forbidden]: HttpStatus.FORBIDDEN,
  [ErrorCode.PayloadTooLarge]: HttpStatus.PAYLOAD_TOO_LARGE,
  [ErrorCode.UnsupportedMediaType]: HttpStatus.UNSUPPORTED_MEDIA_TYPE,
  [ErrorCode.ResetRateLimited]: HttpStatus.TOO_MANY_REQUESTS,
  [ErrorCode.TooManyRequests]: HttpStatus.TOO_MANY_REQUESTS,
  [ErrorCode.ServiceUnavailable]: HttpStatus.SERVICE_UNAVAILABLE,
  [ErrorCode.Internal]: HttpStatus.INTERNAL_SERVER_ERROR,
  [ErrorCode.StoreUnknown]: HttpStatus.BAD_REQUEST,
  [ErrorCode.AccountSharingConflict]: HttpStatus.CONFLICT,
  [ErrorCode.ChallengeRequired]: HttpStatus.BAD_REQUEST,
};

export function statusForCode(code: ErrorCode): HttpStatus {
  return STATUS_BY_CODE[code];
}

export interface HttpErrorAnswer {
  body: ErrorResponse;
  headers: Record<string, string>;
}

/** Status and headers of a domain error; the body's message is the error's (English) text. */
export function domainErrorAnswer(error: DomainError, message: string = error.message): HttpErrorAnswer {
  const headers: Record<string, string> = {};
  if (error.retryAfterSeconds !== undefined) headers['Retry-After'] = String(error.retryAfterSeconds);
  if (error.code === ErrorCode.Unauthorized && error.realm) headers['WWW-Authenticate'] = `Bearer realm="${error.realm}"`;
  return { body: { statusCode: statusForCode(error.code), code: error.code, message, ...error.details }, headers };
}

const logger = new Logger('HTTP');

/**
 * Turns anything thrown while handling a request into the error answer of docs/api.md. Expected failures
 * carry their own code; anything unexpected is logged and answered with a generic 500 that reveals
 * nothing of the internals.
 */
export function toErrorAnswer(exception: unknown): HttpErrorAnswer {
  if (exception instanceof DomainError) return domainErrorAnswer(exception);
  if (exception instanceof HttpException) {
    const status = exception.getStatus();
    const response = exception.getResponse();
    const message =
      typeof response === 'string'
        ? response
        : Array.isArray((response as { message?: unknown }).message)
          ? (response as { message: string[] }).message.join('; ')
          : String((response as { message?: unknown }).message ?? exception.message);
    // Fastify's 413, as Nest's adapter passes it on, says "Request body is too large": docs/api.md's text instead.
    const text = status === HttpStatus.PAYLOAD_TOO_LARGE ? clientErrorMessage(status, exception) : message;
    return { body: { statusCode: status, code: codeForStatus(status), message: text }, headers: {} };
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
    logger.warn(`Backing service unavailable: ${(exception as Error).message}`);
    return {
      body: {
        statusCode: HttpStatus.SERVICE_UNAVAILABLE,
        code: ErrorCode.ServiceUnavailable,
        message: 'The service is temporarily unavailable. Please try again shortly.',
      },
      headers: { 'Retry-After': '5' },
    };
  }
  logger.error(exception instanceof Error ? exception.stack : String(exception));
  return {
    body: { statusCode: HttpStatus.INTERNAL_SERVER_ERROR, code: ErrorCode.Internal, message: 'Internal server error.' },
    headers: {},
  };
}

function clientErrorMessage(status: number, exception: unknown): string {
  if (status === 413) return 'The request body is too large.';
  if (status === 415) return 'Unsupported content type. Send application/json.';
  const code = (exception as { code?: string }).code ?? '';
  if (code.startsWith('FST_ERR_CTP')) return 'The request body is not valid JSON.';
  return (exception as Error).message ?? 'Bad request.';
}
