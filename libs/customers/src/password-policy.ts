import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Injectable } from '@nestjs/common';
import { DomainError, ErrorCode, projectRoot } from '@customer-access/common';
import { CustomerPasswordSettings, MAX_PASSWORD_LENGTH } from '@customer-access/settings';

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

/** A rule of the password policy; its message is `policy.<rule>` in the i18n catalogues. */
export type PasswordRule = 'tooShort' | 'tooLong' | 'spaces' | 'characterClasses' | 'common';

/** The first rule a password breaks, with the numbers its message names. */
export interface PolicyViolation {
  rule: PasswordRule;
  params: Record<string, number>;
}

/** English messages, byte for byte the `policy.*` messages of the en catalogue (DESIGN.md). */
const ENGLISH: Record<PasswordRule, (p: Record<string, number>) => string> = {
  tooShort: (p) => `The password needs at least ${p.min} characters. Create a new password and try again.`,
  tooLong: (p) => `The password can have at most ${p.max} characters.`,
  spaces: () => 'The password can not contain spaces.',
  characterClasses: (p) =>
    `The password needs at least ${p.classes} different classes of characters: ${CHARACTER_CLASSES.map(([name]) => name).join(', ')}.`,
  common: () => 'This password is too common. Choose a password that is harder to guess.',
};

/** PASSWORD_POLICY, carrying which rule broke, so that a page can say it in the reader's language. */
export class PasswordPolicyError extends DomainError {
  constructor(readonly violation: PolicyViolation) {
    super(ErrorCode.PasswordPolicy, ENGLISH[violation.rule](violation.params));
  }
}

/**
 * The password rule, one for registration and reset alike. Passwords are taken exactly as typed:
 * never trimmed, normalized or truncated (length counts Unicode code points).
 */
@Injectable()
export class PasswordPolicy {
  /** The first rule the password breaks, or null when it is acceptable. */
  check(password: string, settings: PolicySettings): PolicyViolation | null {
    const length = [...password].length;
    if (length < settings.minPasswordLength) return { rule: 'tooShort', params: { min: settings.minPasswordLength } };
    if (length > MAX_PASSWORD_LENGTH) return { rule: 'tooLong', params: { max: MAX_PASSWORD_LENGTH } };
    if (/\s/u.test(password)) return { rule: 'spaces', params: {} };
    const classes = CHARACTER_CLASSES.filter(([, pattern]) => pattern.test(password)).length;
    if (classes < settings.requiredCharacterClasses) {
      return { rule: 'characterClasses', params: { classes: settings.requiredCharacterClasses } };
    }
    if (isCommonPassword(password)) return { rule: 'common', params: {} };
    return null;
  }

  /** The English message of the first rule the password breaks, or null when it is acceptable. */
  violation(password: string, settings: PolicySettings): string | null {
    const violation = this.check(password, settings);
    return violation && ENGLISH[violation.rule](violation.params);
  }

  assertAcceptable(password: string, settings: PolicySettings): void {
    const violation = this.check(password, settings);
    if (violation) throw new PasswordPolicyError(violation);
  }
}
