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

/**
 * The password rule, one for registration and reset alike. Passwords are taken exactly as typed:
 * never trimmed, normalized or truncated (length counts Unicode code points).
 */
@Injectable()
export class PasswordPolicy {
  /** The first rule the password breaks, or null when it is acceptable. */
  violation(password: string, settings: PolicySettings): string | null {
    const length = [...password].length;
    if (length < settings.minPasswordLength) {
      return `The password needs at least ${settings.minPasswordLength} characters. Create a new password and try again.`;
    }
    if (length > MAX_PASSWORD_LENGTH) {
      return `The password can have at most ${MAX_PASSWORD_LENGTH} characters.`;
    }
    if (/\s/u.test(password)) {
      return 'The password can not contain spaces.';
    }
    const classes = CHARACTER_CLASSES.filter(([, pattern]) => pattern.test(password)).length;
    if (classes < settings.requiredCharacterClasses) {
      return `The password needs at least ${settings.requiredCharacterClasses} different classes of characters: ${CHARACTER_CLASSES.map(([name]) => name).join(', ')}.`;
    }
    if (isCommonPassword(password)) {
      return 'This password is too common. Choose a password that is harder to guess.';
    }
    return null;
  }

  assertAcceptable(password: string, settings: PolicySettings): void {
    const violation = this.violation(password, settings);
    if (violation) throw new DomainError(ErrorCode.PasswordPolicy, violation);
  }
}
