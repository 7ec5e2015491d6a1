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
  | { kind: 'text'; maxLength: number };

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
} as const satisfies Record<keyof CustomerPasswordSettings, SettingField>;

export type SettingName = keyof typeof SETTING_FIELDS;
