import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsEmail, IsOptional, IsString, Matches, MaxLength, MinLength } from 'class-validator';
import { INPUT_LIMITS } from '@customer-access/common';
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
}
