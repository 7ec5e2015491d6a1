import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  IsEmail,
  IsIn,
  IsInt,
  IsISO8601,
  IsObject,
  IsOptional,
  IsString,
  IsUUID,
  Matches,
  Max,
  MaxLength,
  Min,
  MinLength,
} from 'class-validator';
import { AuditAction } from '@customer-access/admin';
import { INPUT_LIMITS } from '@customer-access/common';
import { STORE_CODE_PATTERN } from '@customer-access/settings';

/** Deep offsets are slow and no person pages that far: search instead. */
const MAX_PAGE = 10_000;
export const DEFAULT_PAGE_SIZE = 20;
export const MAX_PAGE_SIZE = 100;

export class AdminSignInDto {
  @ApiProperty({ example: 'admin@example.com' })
  @IsString()
  @MaxLength(INPUT_LIMITS.email)
  @IsEmail()
  email: string;

  @ApiProperty()
  @IsString()
  @MinLength(1)
  // Bounds the argon2 work an unauthenticated sign-in attempt can cause.
  @MaxLength(INPUT_LIMITS.password)
  password: string;
}

/** Query strings arrive as text: @Type converts, then the rules check the number. */
export class PageQueryDto {
  @ApiPropertyOptional({ minimum: 1, maximum: MAX_PAGE, default: 1 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(MAX_PAGE)
  page: number = 1;

  @ApiPropertyOptional({ minimum: 1, maximum: MAX_PAGE_SIZE, default: DEFAULT_PAGE_SIZE })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(MAX_PAGE_SIZE)
  pageSize: number = DEFAULT_PAGE_SIZE;
}

export class CustomerSearchQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ description: 'Part of the email, first name, last name or full name; case-insensitive.' })
  @IsOptional()
  @IsString()
  @MaxLength(INPUT_LIMITS.email)
  search?: string;

  @ApiPropertyOptional({ description: "Only this website's customers (a website code, e.g. base).", example: 'base' })
  @IsOptional()
  @IsString()
  @Matches(STORE_CODE_PATTERN, { message: 'website must be a website code' })
  website?: string;
}

export class AuditEventsQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ format: 'uuid' })
  @IsOptional()
  @IsUUID()
  customerId?: string;

  @ApiPropertyOptional({ format: 'uuid', description: 'The admin who acted.' })
  @IsOptional()
  @IsUUID()
  adminId?: string;

  @ApiPropertyOptional({ enum: Object.values(AuditAction) })
  @IsOptional()
  @IsIn(Object.values(AuditAction))
  action?: AuditAction;

  @ApiPropertyOptional({ format: 'date-time', description: 'Events at or after this time (ISO 8601).' })
  @IsOptional()
  @IsISO8601({ strict: true })
  from?: string;

  @ApiPropertyOptional({ format: 'date-time', description: 'Events before this time (ISO 8601; exclusive).' })
  @IsOptional()
  @IsISO8601({ strict: true })
  to?: string;

  @ApiPropertyOptional({
    enum: ['json', 'csv'],
    default: 'json',
    description: '`csv`: every matching event as a CSV download (paging ignored).',
  })
  @IsOptional()
  @IsIn(['json', 'csv'])
  format?: 'json' | 'csv';
}

/** Account Information: the fields sent change, the others keep their values. */
export class UpdateCustomerDto {
  @ApiPropertyOptional({ example: 'Jane' })
  @IsOptional()
  @IsString()
  @MinLength(1)
  @MaxLength(255)
  firstName?: string;

  @ApiPropertyOptional({ example: 'Doe' })
  @IsOptional()
  @IsString()
  @MinLength(1)
  @MaxLength(255)
  lastName?: string;

  @ApiPropertyOptional({ example: 'jane.doe@example.com', description: 'Unique: 409 EMAIL_TAKEN when another account has it.' })
  @IsOptional()
  @IsString()
  @MaxLength(INPUT_LIMITS.email)
  @IsEmail()
  email?: string;

  @ApiPropertyOptional({ example: 'zh-CN' })
  @IsOptional()
  @IsString()
  @Matches(/^[a-zA-Z]{2,3}([_-][a-zA-Z0-9]{2,8}){0,2}$/, { message: 'locale must look like en or zh-CN' })
  locale?: string;
}

/** The second sign-in step's calls (docs/admin-sign-in.md). */
export class MfaTokenDto {
  @ApiProperty({ description: 'From POST /admin/auth/token; 5 minutes; serves only the MFA calls.' })
  @IsString()
  @MinLength(1)
  @MaxLength(2048)
  mfa_token: string;
}

export class MfaCodeDto extends MfaTokenDto {
  @ApiProperty({ example: '123456', description: 'An authenticator code (6 digits) or a recovery code (xxxx-xxxx-xxxx).' })
  @IsString()
  @MinLength(1)
  @MaxLength(64)
  code: string;
}

export class WebAuthnAnswerDto extends MfaTokenDto {
  @ApiProperty({
    type: 'object',
    additionalProperties: true,
    description:
      'What navigator.credentials.create or .get returned, as JSON (@simplewebauthn/browser startRegistration / startAuthentication).',
  })
  @IsObject()
  response: Record<string, unknown>;

  @ApiPropertyOptional({ example: 'YubiKey 5C', description: 'When enrolling: the key\'s name in My Account (default "Security key").' })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  name?: string;
}

/** My Account, "Add a security key": the new key's answer and its name. */
export class NewSecurityKeyDto {
  @ApiProperty({ type: 'object', additionalProperties: true, description: 'What navigator.credentials.create returned, as JSON.' })
  @IsObject()
  response: Record<string, unknown>;

  @ApiPropertyOptional({ example: 'YubiKey 5C' })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  name?: string;
}
