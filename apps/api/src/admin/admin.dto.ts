import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsEmail, IsInt, IsOptional, IsString, IsUUID, Max, MaxLength, Min, MinLength } from 'class-validator';

/** Bounds the argon2 work an unauthenticated sign-in attempt can cause. */
const MAX_PASSWORD_INPUT = 1024;
/** Deep offsets are slow and no person pages that far: search instead. */
const MAX_PAGE = 10_000;
export const DEFAULT_PAGE_SIZE = 20;
export const MAX_PAGE_SIZE = 100;

export class AdminSignInDto {
  @ApiProperty({ example: 'admin@example.com' })
  @IsString()
  @MaxLength(254)
  @IsEmail()
  email: string;

  @ApiProperty()
  @IsString()
  @MinLength(1)
  @MaxLength(MAX_PASSWORD_INPUT)
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
  @MaxLength(254)
  search?: string;
}

export class AuditEventsQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ format: 'uuid' })
  @IsOptional()
  @IsUUID()
  customerId?: string;
}
