import { ArgumentMetadata, ValidationError, ValidationPipe } from '@nestjs/common';
import { DomainError, ErrorCode } from '@customer-access/common';
import { assertSafeInput } from './input-guard';

/**
 * Strict input: unknown fields are rejected (no mass assignment), types are not coerced, and the
 * message names each offending field. Input too deep or with lone surrogates is refused first (see
 * input-guard.ts): the libraries below would answer it with a 500.
 */
class GuardedValidationPipe extends ValidationPipe {
  override async transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    if (metadata.type === 'body' || metadata.type === 'query' || metadata.type === 'param') assertSafeInput(value);
    const accepted =
      metadata.type === 'body' ? (metadata.metatype as Partial<WellFormedCheck> | undefined)?.acceptWellFormed?.(value) : undefined;
    return accepted ?? super.transform(value, metadata);
  }
}

/**
 * A body DTO of a hot route may carry, as a static method, a hand-written check of its well-formed
 * shape: it returns the DTO when class-validator would accept `value` unchanged (the same instance,
 * the same fields), else undefined. A body it accepts skips class-transformer and class-validator,
 * whose reflection costs more than the route's own work; anything else, every refusal included, is
 * validated by them as before, so each error code and message still comes from the decorators. A
 * unit test holds each such check to class-validator's verdicts over many inputs.
 */
export interface WellFormedCheck {
  acceptWellFormed(value: unknown): object | undefined;
}

export function createValidationPipe(): ValidationPipe {
  return new GuardedValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    forbidUnknownValues: true,
    transform: true,
    transformOptions: { enableImplicitConversion: false },
    stopAtFirstError: true,
    validationError: { target: false, value: false },
    exceptionFactory: (errors: ValidationError[]) => new DomainError(ErrorCode.Validation, describe(errors)),
  });
}

function describe(errors: ValidationError[], parent = ''): string {
  return (
    errors
      .flatMap((error) => {
        const path = parent ? `${parent}.${error.property}` : error.property;
        const own = Object.values(error.constraints ?? {});
        const nested = error.children?.length ? [describe(error.children, path)] : [];
        return [...own, ...nested];
      })
      .join('; ') || 'The request body is not valid.'
  );
}
