import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsEmail, IsOptional, IsString, Matches, MaxLength, maxLength, MinLength, minLength } from 'class-validator';
import { INPUT_LIMITS } from '@customer-access/common';
import { isValidEmail } from '@customer-access/customers';
import { MAX_CHALLENGE_PAYLOAD_LENGTH } from '@customer-access/password-reset';

/**
 * Request bodies of the storefront routes. Only these fields are accepted (the validation pipe
 * rejects any other), so a body can never name whose password changes: the token alone decides.
 */
const { email: MAX_EMAIL, password: MAX_PASSWORD_INPUT, token: MAX_TOKEN_INPUT, name: MAX_NAME } = INPUT_LIMITS;

export class RegisterCustomerDto {
  @ApiProperty({ example: 'jane.doe@example.com' })
  @IsString()
  @MaxLength(MAX_EMAIL)
  @IsEmail()
  email: string;

  @ApiProperty({ example: 'Corr3ct-Horse', description: 'At least 6 characters (setting), no spaces, at most 256.' })
  @IsString()
  @MaxLength(MAX_PASSWORD_INPUT)
  password: string;

  @ApiProperty({ example: 'Jane' })
  @IsString()
  @MinLength(1)
  @MaxLength(MAX_NAME)
  firstName: string;

  @ApiProperty({ example: 'Doe' })
  @IsString()
  @MinLength(1)
  @MaxLength(MAX_NAME)
  lastName: string;

  @ApiPropertyOptional({ example: 'en_US' })
  @IsOptional()
  @IsString()
  @Matches(/^[a-zA-Z]{2,3}([_-][a-zA-Z0-9]{2,8}){0,2}$/, { message: 'locale must look like en or en_US' })
  locale?: string;
}

export class ForgotPasswordDto {
  @ApiProperty({ example: 'jane.doe@example.com' })
  @IsString()
  @MaxLength(MAX_EMAIL)
  @IsEmail()
  email: string;

  @ApiPropertyOptional({
    description:
      "A solved proof-of-work challenge: the ALTCHA widget's payload (base64 of {challenge, solution}). Needed when the " +
      'resetChallenge setting asks for one (always, or adaptive past the per-IP threshold); otherwise ignored.',
    maxLength: MAX_CHALLENGE_PAYLOAD_LENGTH,
  })
  @IsOptional()
  @IsString()
  @MaxLength(MAX_CHALLENGE_PAYLOAD_LENGTH)
  altcha?: string;

  /**
   * The validation pipe's fast path for this route (WellFormedCheck): a plain object with a string
   * `email` and maybe a string `altcha`, nothing else, passing the decorators' own checks (maxLength, and
   * isEmail's verdict through isValidEmail, which answers the plainest addresses in one pass and asks
   * validator's isEmail, the one @IsEmail() calls, about the rest). Anything else, `altcha: null`
   * included, goes through class-validator.
   */
  static acceptWellFormed(body: unknown): ForgotPasswordDto | undefined {
    if (typeof body !== 'object' || body === null || Object.getPrototypeOf(body) !== Object.prototype) return undefined;
    const { email, altcha } = body as { email?: unknown; altcha?: unknown };
    let fields = 1;
    if (typeof email !== 'string' || !maxLength(email, MAX_EMAIL) || !isValidEmail(email)) return undefined;
    if (altcha !== undefined) {
      if (typeof altcha !== 'string' || !maxLength(altcha, MAX_CHALLENGE_PAYLOAD_LENGTH)) return undefined;
      fields = 2;
    }
    if (Object.keys(body).length !== fields) return undefined;
    const dto = new ForgotPasswordDto();
    dto.email = email;
    if (altcha !== undefined) dto.altcha = altcha;
    return dto;
  }
}

export class ValidateResetTokenDto {
  @ApiProperty({ description: 'The token from the reset link.' })
  @IsString()
  @MinLength(1)
  @MaxLength(MAX_TOKEN_INPUT)
  token: string;
}

export class ResetPasswordDto {
  @ApiProperty({ description: 'The token from the reset link.' })
  @IsString()
  @MinLength(1)
  @MaxLength(MAX_TOKEN_INPUT)
  token: string;

  @ApiProperty({ example: 'N3w-Secret' })
  @IsString()
  @MaxLength(MAX_PASSWORD_INPUT)
  password: string;

  @ApiProperty({ example: 'N3w-Secret' })
  @IsString()
  @MaxLength(MAX_PASSWORD_INPUT)
  passwordConfirmation: string;

  /**
   * The validation pipe's fast path for this route (WellFormedCheck): a plain object with exactly the
   * three fields, each a string passing the decorators' own checks (class-validator's minLength and
   * maxLength). Anything else goes through class-validator.
   */
  static acceptWellFormed(body: unknown): ResetPasswordDto | undefined {
    if (typeof body !== 'object' || body === null || Object.getPrototypeOf(body) !== Object.prototype) return undefined;
    const { token, password, passwordConfirmation } = body as { token?: unknown; password?: unknown; passwordConfirmation?: unknown };
    if (typeof token !== 'string' || !minLength(token, 1) || !maxLength(token, MAX_TOKEN_INPUT)) return undefined;
    if (typeof password !== 'string' || !maxLength(password, MAX_PASSWORD_INPUT)) return undefined;
    if (typeof passwordConfirmation !== 'string' || !maxLength(passwordConfirmation, MAX_PASSWORD_INPUT)) return undefined;
    if (Object.keys(body).length !== 3) return undefined;
    const dto = new ResetPasswordDto();
    dto.token = token;
    dto.password = password;
    dto.passwordConfirmation = passwordConfirmation;
    return dto;
  }
}
