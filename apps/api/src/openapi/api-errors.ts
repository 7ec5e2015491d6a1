import { applyDecorators } from '@nestjs/common';
import { ApiExtraModels, ApiProperty, ApiPropertyOptional, ApiResponse, getSchemaPath } from '@nestjs/swagger';
import { ErrorCode, Messages } from '@customer-access/common';

/** The body of every error answer (docs/api.md, Errors): `{ statusCode, code, message }`. */
export class ErrorResponseDto {
  @ApiProperty({ example: 400 })
  statusCode: number;

  @ApiProperty({ enum: ErrorCode, enumName: 'ErrorCode', example: ErrorCode.Validation })
  code: ErrorCode;

  @ApiProperty({ example: 'email must be an email' })
  message: string;

  @ApiPropertyOptional({
    type: 'object',
    additionalProperties: true,
    description: 'CHALLENGE_REQUIRED only: a fresh proof-of-work challenge ({parameters, signature}) to solve and send back as `altcha`.',
  })
  challenge?: Record<string, unknown>;
}

/** RFC 6749 section 5.2 error answer of the OAuth routes. */
export class OAuthErrorDto {
  @ApiProperty({ enum: ['invalid_request', 'invalid_grant', 'unsupported_grant_type', 'invalid_client'], example: 'invalid_grant' })
  error: string;

  @ApiProperty({ example: 'The username or password is incorrect, or the account is locked.' })
  error_description: string;
}

export interface ErrorExample {
  status: number;
  code: ErrorCode;
  message: string;
  /** Shown as the example's summary. */
  when?: string;
  headers?: Record<string, { description: string; schema: { type: 'string' | 'integer' } }>;
  /** Further fields of the example's body (CHALLENGE_REQUIRED: `challenge`). */
  extra?: Record<string, unknown>;
}

/**
 * Documents a route's error answers: one response per status, with one named example per code
 * (the exact code and message a client receives), all of schema ErrorResponseDto.
 */
export function ApiErrors(...examples: ErrorExample[]): MethodDecorator & ClassDecorator {
  const byStatus = new Map<number, ErrorExample[]>();
  for (const e of examples) byStatus.set(e.status, [...(byStatus.get(e.status) ?? []), e]);
  const responses = [...byStatus.entries()].map(([status, list]) =>
    ApiResponse({
      status,
      description: list.map((e) => `\`${e.code}\`${e.when ? ` (${e.when})` : ''}: ${e.message}`).join('\n\n'),
      headers: Object.assign({}, ...list.map((e) => e.headers ?? {})),
      content: {
        'application/json': {
          schema: { $ref: getSchemaPath(ErrorResponseDto) },
          examples: Object.fromEntries(
            list.map((e, i) => [
              list.filter((x) => x.code === e.code).length > 1 ? `${e.code}_${i + 1}` : e.code,
              { summary: e.when ?? e.code, value: { statusCode: e.status, code: e.code, message: e.message, ...e.extra } },
            ]),
          ),
        },
      },
    }),
  );
  return applyDecorators(ApiExtraModels(ErrorResponseDto), ...responses);
}

export const RETRY_AFTER = { 'Retry-After': { description: 'Seconds to wait before trying again.', schema: { type: 'integer' as const } } };

/** A new password found in the Pwned Passwords list (breachedPasswordCheck `block`). */
export const PASSWORD_BREACHED_ERROR: ErrorExample = {
  status: 400,
  code: ErrorCode.PasswordBreached,
  message: Messages.passwordBreached,
  when: 'the new password appears in the Pwned Passwords list (setting breachedPasswordCheck: block)',
};

/** Answers any route can give when the body is not acceptable or a backing service is down. */
export const COMMON_INPUT_ERRORS: ErrorExample[] = [
  {
    status: 400,
    code: ErrorCode.Validation,
    message: 'email must be an email',
    when: 'a field is missing, of the wrong type, or not allowed',
  },
  { status: 400, code: ErrorCode.Validation, message: 'The request body is not valid JSON.', when: 'malformed JSON' },
  { status: 413, code: ErrorCode.PayloadTooLarge, message: 'The request body is too large.', when: 'body over 16 KiB' },
  { status: 415, code: ErrorCode.UnsupportedMediaType, message: 'Unsupported content type. Send application/json.' },
  {
    status: 503,
    code: ErrorCode.ServiceUnavailable,
    message: 'The service is temporarily unavailable. Please try again shortly.',
    when: 'PostgreSQL or Redis unreachable',
    headers: RETRY_AFTER,
  },
];
