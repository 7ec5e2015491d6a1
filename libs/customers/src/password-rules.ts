import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DomainError, ErrorCode, projectRoot } from '@customer-access/common';
import { CustomerPasswordSettings, MAX_PASSWORD_LENGTH } from '@customer-access/settings/customer-password-settings';
import { normalizePassword } from './normalize-password';

type PolicySettings = Pick<CustomerPasswordSettings, 'minPasswordLength' | 'requiredCharacterClasses'>;

const CHARACTER_CLASSES: Array<[string, RegExp]> = [
  ['lower case', /\p{Ll}/u],
  ['upper case', /\p{Lu}/u],
  ['digits', /\p{Nd}/u],
  ['special characters', /[^\p{Ll}\p{Lu}\p{Nd}]/u],
];

let commonPasswords: Set<string> | undefined;
function isCommonPassword(password: string): boolean {
  commonPasswords ??= new Set(
    readFileSync(join(projectRoot(), 'libs/customers/assets/common-passwords.txt'), 'utf8')
      .split('\n')
      .filter((line) => line && !line.startsWith('#')),
  );
  return commonPasswords.has(password.toLowerCase());
}

/** A broken rule: its i18n key (libs/i18n `policy.*`), the key's params and the English text. */
export interface PolicyViolation {
  messageKey: string;
  params: Record<string, number>;
  message: string;
}

const violationOf = (messageKey: string, message: string, params: Record<string, number> = {}): PolicyViolation => ({
  messageKey,
  params,
  message,
});

/**
 * The password rule, one for registration and reset alike. It judges the password in the form it is
 * hashed in (normalizePassword, NFKC); never trimmed or truncated (length counts code points).
 * Without Nest, for the light CLI commands; the services inject it as PasswordPolicy.
 */
export class PasswordRules {
  /** The first rule the password breaks, or null when it is acceptable. */
  check(typed: string, settings: PolicySettings): PolicyViolation | null {
    const password = normalizePassword(typed);
    const length = [...password].length;
    if (length < settings.minPasswordLength) {
      const min = settings.minPasswordLength;
      return violationOf('policy.tooShort', `The password needs at least ${min} characters. Create a new password and try again.`, { min });
    }
    if (length > MAX_PASSWORD_LENGTH) {
      const max = MAX_PASSWORD_LENGTH;
      return violationOf('policy.tooLong', `The password can have at most ${max} characters.`, { max });
    }
    if (/\s/u.test(password)) {
      return violationOf('policy.spaces', 'The password can not contain spaces.');
    }
    const classes = settings.requiredCharacterClasses;
    if (CHARACTER_CLASSES.filter(([, pattern]) => pattern.test(password)).length < classes) {
      const names = CHARACTER_CLASSES.map(([name]) => name).join(', ');
      return violationOf('policy.characterClasses', `The password needs at least ${classes} different classes of characters: ${names}.`, {
        classes,
      });
    }
    if (isCommonPassword(password)) {
      return violationOf('policy.common', 'This password is too common. Choose a password that is harder to guess.');
    }
    return null;
  }

  /** The English text of the first rule the password breaks, or null. */
  violation(password: string, settings: PolicySettings): string | null {
    return this.check(password, settings)?.message ?? null;
  }

  assertAcceptable(password: string, settings: PolicySettings): void {
    const violation = this.check(password, settings);
    if (violation) {
      throw new DomainError(ErrorCode.PasswordPolicy, violation.message, { messageKey: violation.messageKey, params: violation.params });
    }
  }
}
