/**
 * Every setting's rules, in one place, as plain data: the server's validation decorators are made
 * from them (SettingRules, customer-password-settings.ts), and the admin console imports this file
 * to check values before it sends them and to lay out its form. It imports nothing at run time, so
 * the console's bundle can take it without class-validator. Labels and help texts are the
 * catalogues' `console.options.fields.<name>` and `console.options.notes.<name>` (libs/i18n).
 */
export type SettingRule =
  | { kind: 'integer'; min: number; max: number }
  | { kind: 'choice'; options: readonly string[] }
  /**
   * A supported language: one per catalogue file in libs/i18n/locales (the server reads the folder,
   * the console bundles it), so that adding a language is adding that one file.
   */
  | { kind: 'locale' }
  | { kind: 'boolean' }
  | { kind: 'email'; maxLength: number }
  /** One line of text (no control characters), not blank. */
  | { kind: 'text'; maxLength: number }
  /** An IANA time zone name (Asia/Shanghai, UTC), as {@link isTimeZone} checks it. */
  | { kind: 'timeZone'; maxLength: number };

/** The console's sections, as Magento's configuration groups its fields; in this order. */
export const SETTING_GROUPS = ['passwordOptions', 'sender', 'limits', 'abuseProtection'] as const;
export type SettingGroup = (typeof SETTING_GROUPS)[number];

export type SettingField = SettingRule & { group: SettingGroup };

/** Hard ceiling on password length: argon2 takes any length, but a bound keeps requests cheap. */
export const MAX_PASSWORD_LENGTH = 256;

/**
 * A new setting goes here too (setting-fields.spec.ts fails until it does); the server then
 * validates it and the console shows it in its group, in this order.
 */
export const SETTING_FIELDS = {
  minPasswordLength: { group: 'passwordOptions', kind: 'integer', min: 6, max: MAX_PASSWORD_LENGTH },
  requiredCharacterClasses: { group: 'passwordOptions', kind: 'integer', min: 1, max: 4 },
  /** 1 to 24: NIST SP 800-63B-4 caps the lifetime of emailed recovery links at 24 hours. */
  resetLinkExpirationHours: { group: 'passwordOptions', kind: 'integer', min: 1, max: 24 },
  /** 1 to 168 (a week): the lifetime of the link in an account invitation (customers:invite), which the customer did not ask for. */
  invitationLinkExpirationHours: { group: 'passwordOptions', kind: 'integer', min: 1, max: 168 },
  revokeTokensOnReset: { group: 'passwordOptions', kind: 'boolean' },
  storeName: { group: 'sender', kind: 'text', maxLength: 100 },
  supportEmail: { group: 'sender', kind: 'email', maxLength: 254 },
  /** A supported language: one per catalogue file in libs/i18n/locales. */
  defaultLocale: { group: 'sender', kind: 'locale' },
  timezone: { group: 'sender', kind: 'timeZone', maxLength: 64 },
  /** Share Customer Accounts: per website (Magento's default) or global; `global` is refused while an email has accounts in two websites. */
  accountSharingScope: { group: 'sender', kind: 'choice', options: ['website', 'global'] },
  resetProtectionType: { group: 'limits', kind: 'choice', options: ['ip_and_email', 'ip', 'email', 'none'] },
  /** 0 = no cap. */
  maxResetRequestsPerHour: { group: 'limits', kind: 'integer', min: 0, max: 1_000_000_000 },
  /** 0 = off. */
  minSecondsBetweenResetRequests: { group: 'limits', kind: 'integer', min: 0, max: 86_400 },
  lockoutFailures: { group: 'limits', kind: 'integer', min: 1, max: 1000 },
  lockoutMinutes: { group: 'limits', kind: 'integer', min: 1, max: 10_080 },
  /** `block`: new passwords found in the Pwned Passwords list are refused (PASSWORD_BREACHED). */
  breachedPasswordCheck: { group: 'abuseProtection', kind: 'choice', options: ['block', 'off'] },
  /** When a forgot request needs a solved ALTCHA proof of work: never, past the per-IP threshold, or always. */
  resetChallenge: { group: 'abuseProtection', kind: 'choice', options: ['off', 'adaptive', 'always'] },
  /** Under `adaptive`: forgot requests one IP may send in an hour without a challenge. */
  resetChallengeThreshold: { group: 'abuseProtection', kind: 'integer', min: 0, max: 1000 },
  /**
   * The challenge's difficulty: its secret counter is drawn from 1..this, so a browser tries about
   * half of it (SHA-256 each) on average. The default takes a phone about half a second (docs/configuration.md).
   */
  resetChallengeMaxNumber: { group: 'abuseProtection', kind: 'integer', min: 1000, max: 10_000_000 },
} as const satisfies Record<string, SettingField>;

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
