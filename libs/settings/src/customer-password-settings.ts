import { Type } from 'class-transformer';
import {
  IsBoolean,
  IsEmail,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  Matches,
  Max,
  MaxLength,
  Min,
  MinLength,
  ValidateBy,
} from 'class-validator';
import { isTimeZone, SETTING_FIELDS } from './setting-fields';

export const RESET_PROTECTION_TYPES = ['ip_and_email', 'ip', 'email', 'none'] as const;
export type ResetProtectionType = (typeof RESET_PROTECTION_TYPES)[number];

/** Admin-editable settings of the customer password features (docs/api.md, Settings). */
export interface CustomerPasswordSettings {
  resetLinkExpirationHours: number;
  resetProtectionType: ResetProtectionType;
  maxResetRequestsPerHour: number;
  minSecondsBetweenResetRequests: number;
  minPasswordLength: number;
  requiredCharacterClasses: number;
  revokeTokensOnReset: boolean;
  lockoutFailures: number;
  lockoutMinutes: number;
  supportEmail: string;
  /** The language of emails to customers whose own locale no catalogue serves (docs/api.md, Languages). */
  defaultLocale: string;
  /** The store's name, in email subjects, email headers and page headers, and the emails' sender name. */
  storeName: string;
  /** The IANA time zone of the times in emails. */
  timezone: string;
}

export const DEFAULT_SETTINGS: Readonly<CustomerPasswordSettings> = Object.freeze({
  resetLinkExpirationHours: 24,
  resetProtectionType: 'ip_and_email',
  maxResetRequestsPerHour: 5,
  minSecondsBetweenResetRequests: 600,
  minPasswordLength: 6,
  requiredCharacterClasses: 1,
  revokeTokensOnReset: true,
  lockoutFailures: 10,
  lockoutMinutes: 10,
  supportEmail: 'support@example.com',
  defaultLocale: 'en',
  storeName: 'My Store',
  timezone: 'UTC',
});

/** Hard ceiling on password length: argon2 takes any length, but a bound keeps requests cheap. */
export const MAX_PASSWORD_LENGTH = 256;

/**
 * The validation rules of every setting, used both for admin updates (all fields optional: a
 * partial update) and for values read back from the database.
 */
export class CustomerPasswordSettingsPatch implements Partial<CustomerPasswordSettings> {
  /** 1 to 24: NIST SP 800-63B-4 caps the lifetime of emailed recovery links at 24 hours. */
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(24)
  resetLinkExpirationHours?: number;

  @IsOptional()
  @IsIn(RESET_PROTECTION_TYPES)
  resetProtectionType?: ResetProtectionType;

  /** 0 = no cap. */
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(0)
  @Max(1_000_000_000)
  maxResetRequestsPerHour?: number;

  /** 0 = off. */
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(0)
  @Max(86_400)
  minSecondsBetweenResetRequests?: number;

  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(6)
  @Max(MAX_PASSWORD_LENGTH)
  minPasswordLength?: number;

  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(4)
  requiredCharacterClasses?: number;

  @IsOptional()
  @IsBoolean()
  revokeTokensOnReset?: boolean;

  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(1000)
  lockoutFailures?: number;

  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(10_080)
  lockoutMinutes?: number;

  @IsOptional()
  @IsEmail()
  @MaxLength(254)
  supportEmail?: string;

  /**
   * A supported locale exactly as its catalogue is named (en, zh-CN). The list lives in
   * SETTING_FIELDS, which the console bundles; setting-fields.spec.ts checks it against the catalogues.
   */
  @IsOptional()
  @IsIn(SETTING_FIELDS.defaultLocale.options, {
    message: `defaultLocale must be one of: ${SETTING_FIELDS.defaultLocale.options.join(', ')}`,
  })
  defaultLocale?: string;

  /** Shown in subjects and headers: one line of text, no control characters. */
  @IsOptional()
  @IsString()
  @MinLength(1)
  @MaxLength(100)
  @Matches(/^[^\p{Cc}]*\S[^\p{Cc}]*$/u, { message: 'storeName must be one line of text' })
  storeName?: string;

  /** An IANA time zone name (Asia/Shanghai); not an offset. */
  @IsOptional()
  @ValidateBy({
    name: 'isTimeZone',
    validator: { validate: isTimeZone, defaultMessage: () => 'timezone must be an IANA time zone name, such as Asia/Shanghai' },
  })
  timezone?: string;
}
