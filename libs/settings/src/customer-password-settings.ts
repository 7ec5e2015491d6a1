import { plainToInstance, Type } from 'class-transformer';
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
  validateSync,
} from 'class-validator';
import { supportedLocales } from '@customer-access/i18n/catalogues';
import { isTimeZone, SETTING_FIELDS, SettingName, SettingRule } from './setting-fields';

export { MAX_PASSWORD_LENGTH } from './setting-fields';

export const RESET_PROTECTION_TYPES = SETTING_FIELDS.resetProtectionType.options;
export type ResetProtectionType = (typeof RESET_PROTECTION_TYPES)[number];
export type BreachedPasswordCheckMode = (typeof SETTING_FIELDS.breachedPasswordCheck.options)[number];
export type ResetChallengeMode = (typeof SETTING_FIELDS.resetChallenge.options)[number];

export const ACCOUNT_SHARING_SCOPES = SETTING_FIELDS.accountSharingScope.options;
/** Magento's "Share Customer Accounts": one account per email in each website, or in the whole installation. */
export type AccountSharingScope = (typeof ACCOUNT_SHARING_SCOPES)[number];

/**
 * The default difficulty of the forgot route's proof of work: about half of it in SHA-256 hashes,
 * which a phone's browser does in about half a second (measured in Chromium, docs/configuration.md).
 */
export const RESET_CHALLENGE_DEFAULT_MAX_NUMBER = 50_000;

/** Admin-editable settings of the customer password features (docs/api.md, Settings). */
export interface CustomerPasswordSettings {
  resetLinkExpirationHours: number;
  /** The lifetime of an account invitation's link (customers:invite), 1–168 hours. */
  invitationLinkExpirationHours: number;
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
  /** Whether new passwords are checked against the Pwned Passwords list (docs/api.md, Abuse protection). */
  breachedPasswordCheck: BreachedPasswordCheckMode;
  /** When "Forgot Your Password?" needs a solved proof-of-work challenge (docs/api.md, Abuse protection). */
  resetChallenge: ResetChallengeMode;
  /** Under `adaptive`: forgot requests per IP and hour without a challenge; the next one needs it. */
  resetChallengeThreshold: number;
  /** The challenge's difficulty: the largest secret counter a browser may have to reach. */
  resetChallengeMaxNumber: number;
  /**
   * `website`: an email may have one account in each website, and registration, sign-in, forgot and
   * the per-email reset counters work within the request's website; `global`: one account per email.
   */
  accountSharingScope: AccountSharingScope;
}

export const DEFAULT_SETTINGS: Readonly<CustomerPasswordSettings> = Object.freeze({
  resetLinkExpirationHours: 24,
  invitationLinkExpirationHours: 72,
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
  breachedPasswordCheck: 'block',
  resetChallenge: 'off',
  resetChallengeThreshold: 3,
  resetChallengeMaxNumber: RESET_CHALLENGE_DEFAULT_MAX_NUMBER,
  accountSharingScope: 'website',
});

/** Shown in subjects and headers: one line, at least one visible character, no control characters. */
const ONE_LINE = /^[^\p{Cc}]*\S[^\p{Cc}]*$/u;

/** The validation decorators of one setting, made from its rules in SETTING_FIELDS. */
function SettingRules(name: SettingName): PropertyDecorator {
  const field: SettingRule = SETTING_FIELDS[name];
  const rules: PropertyDecorator[] = [IsOptional()];
  switch (field.kind) {
    case 'integer':
      // Values read back from the database may be text; SettingsPatchPipe refuses text in a request.
      rules.push(
        Type(() => Number),
        IsInt(),
        Min(field.min),
        Max(field.max),
      );
      break;
    case 'choice':
      rules.push(IsIn(field.options, { message: `${name} must be one of: ${field.options.join(', ')}` }));
      break;
    case 'locale':
      rules.push(IsIn(supportedLocales(), { message: `${name} must be one of: ${supportedLocales().join(', ')}` }));
      break;
    case 'boolean':
      rules.push(IsBoolean());
      break;
    case 'email':
      rules.push(IsEmail(), MaxLength(field.maxLength));
      break;
    case 'text':
      rules.push(IsString(), MinLength(1), MaxLength(field.maxLength), Matches(ONE_LINE, { message: `${name} must be one line of text` }));
      break;
    case 'timeZone':
      rules.push(
        ValidateBy({
          name: 'isTimeZone',
          validator: { validate: isTimeZone, defaultMessage: () => `${name} must be an IANA time zone name, such as Asia/Shanghai` },
        }),
      );
      break;
  }
  return (target, key) => rules.forEach((rule) => rule(target, key));
}

/**
 * The validation rules of every setting (SETTING_FIELDS), used both for admin updates (all fields
 * optional: a partial update) and for values read back from the database.
 */
export class CustomerPasswordSettingsPatch implements Partial<CustomerPasswordSettings> {
  @SettingRules('resetLinkExpirationHours') resetLinkExpirationHours?: number;
  @SettingRules('invitationLinkExpirationHours') invitationLinkExpirationHours?: number;
  @SettingRules('resetProtectionType') resetProtectionType?: ResetProtectionType;
  @SettingRules('maxResetRequestsPerHour') maxResetRequestsPerHour?: number;
  @SettingRules('minSecondsBetweenResetRequests') minSecondsBetweenResetRequests?: number;
  @SettingRules('minPasswordLength') minPasswordLength?: number;
  @SettingRules('requiredCharacterClasses') requiredCharacterClasses?: number;
  @SettingRules('revokeTokensOnReset') revokeTokensOnReset?: boolean;
  @SettingRules('lockoutFailures') lockoutFailures?: number;
  @SettingRules('lockoutMinutes') lockoutMinutes?: number;
  @SettingRules('supportEmail') supportEmail?: string;
  @SettingRules('defaultLocale') defaultLocale?: string;
  @SettingRules('storeName') storeName?: string;
  @SettingRules('timezone') timezone?: string;
  @SettingRules('breachedPasswordCheck') breachedPasswordCheck?: BreachedPasswordCheckMode;
  @SettingRules('resetChallenge') resetChallenge?: ResetChallengeMode;
  @SettingRules('resetChallengeThreshold') resetChallengeThreshold?: number;
  @SettingRules('resetChallengeMaxNumber') resetChallengeMaxNumber?: number;
  @SettingRules('accountSharingScope') accountSharingScope?: AccountSharingScope;
}

/** Stored overrides over the defaults; an override that fails validation is ignored, not trusted. */
export function mergeWithDefaults(
  stored: Partial<CustomerPasswordSettings>,
  onInvalid: (key: string, value: unknown) => void = () => undefined,
): CustomerPasswordSettings {
  const merged: CustomerPasswordSettings = { ...DEFAULT_SETTINGS };
  for (const [key, value] of Object.entries(stored ?? {})) {
    if (!(key in DEFAULT_SETTINGS)) continue;
    const probe = plainToInstance(CustomerPasswordSettingsPatch, { [key]: value });
    if (validateSync(probe).length > 0) {
      onInvalid(key, value);
      continue;
    }
    (merged as unknown as Record<string, unknown>)[key] = (probe as unknown as Record<string, unknown>)[key];
  }
  return merged;
}
