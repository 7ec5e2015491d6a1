import type { CustomerPasswordSettings } from './customer-password-settings';

/**
 * What each setting accepts, as plain data: the admin console shows these ranges beside its fields
 * and checks them before it sends anything. This file imports nothing at run time, so the console's
 * bundle can take it without class-validator; the server still validates with the decorators of
 * CustomerPasswordSettingsPatch, and setting-fields.spec.ts keeps the two in agreement.
 */
export type SettingField =
  | { kind: 'integer'; min: number; max: number }
  | { kind: 'choice'; options: readonly string[] }
  | { kind: 'boolean' }
  | { kind: 'email'; maxLength: number }
  /** One line of text (no control characters), not blank. */
  | { kind: 'text'; maxLength: number }
  /** An IANA time zone name (Asia/Shanghai, UTC), as {@link isTimeZone} checks it. */
  | { kind: 'timeZone'; maxLength: number };

/** A new setting goes here too: setting-fields.spec.ts fails until it does, and the console then shows it. */
export const SETTING_FIELDS = {
  resetLinkExpirationHours: { kind: 'integer', min: 1, max: 24 },
  resetProtectionType: { kind: 'choice', options: ['ip_and_email', 'ip', 'email', 'none'] },
  maxResetRequestsPerHour: { kind: 'integer', min: 0, max: 1_000_000_000 },
  minSecondsBetweenResetRequests: { kind: 'integer', min: 0, max: 86_400 },
  minPasswordLength: { kind: 'integer', min: 6, max: 256 },
  requiredCharacterClasses: { kind: 'integer', min: 1, max: 4 },
  revokeTokensOnReset: { kind: 'boolean' },
  lockoutFailures: { kind: 'integer', min: 1, max: 1000 },
  lockoutMinutes: { kind: 'integer', min: 1, max: 10_080 },
  supportEmail: { kind: 'email', maxLength: 254 },
  /** The supported locales: one per catalogue in libs/i18n/locales (setting-fields.spec.ts checks the list). */
  defaultLocale: { kind: 'choice', options: ['en', 'zh-CN'] },
  storeName: { kind: 'text', maxLength: 100 },
  timezone: { kind: 'timeZone', maxLength: 64 },
} as const satisfies Record<keyof CustomerPasswordSettings, SettingField>;

export type SettingName = keyof typeof SETTING_FIELDS;

/** The form of an IANA zone name (Area/Location, or one word such as UTC); offsets such as +08:00 are not names. */
const TIME_ZONE_NAME = /^[A-Za-z][A-Za-z0-9_+-]*(?:\/[A-Za-z0-9_+-]+){0,2}$/;

/** Whether `name` is an IANA time zone name this runtime knows (server and console check alike). */
export function isTimeZone(name: unknown): name is string {
  if (typeof name !== 'string' || name.length > SETTING_FIELDS.timezone.maxLength || !TIME_ZONE_NAME.test(name)) return false;
  try {
    new Intl.DateTimeFormat('en', { timeZone: name });
    return true;
  } catch {
    return false;
  }
}
