/**
 * The password rules, hashing and breached-password check without the rest of the lib (no Nest, no
 * ORM): the CLI's admin:create loads this entry alone (docs/architecture.md, light entries). The
 * services inject the same code as PasswordPolicy, PasswordHasher and BreachedPasswordCheck.
 */
export { PwnedPasswordsCheck, type PwnedPasswordsCheckDeps } from './breached-passwords/pwned-passwords-check';
export { normalizeEmail } from './normalize-email';
export { hashPassword } from './password-hashing';
export { PasswordRules, type PolicyViolation } from './password-rules';
