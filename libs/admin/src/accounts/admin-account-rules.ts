import { isEmail } from 'class-validator';
import { PasswordRules } from '@customer-access/customers/passwords';
import { ADMIN_ROLES, isAdminRole } from '../access/admin-roles';

/**
 * Admin passwords guard every customer account, so they follow NIST SP 800-63B-4 for a password
 * used as a single factor: at least 15 characters, no composition rules, and not a common
 * password. The customer policy's other rules (no spaces, at most 256) apply too.
 */
export const ADMIN_PASSWORD_RULES = Object.freeze({ minPasswordLength: 15, requiredCharacterClasses: 1 });

export interface CreateAdminInput {
  email?: string;
  password?: string;
  role?: string;
}

/** What is wrong with an admin's --email as given, if anything. */
export function adminEmailProblem(email: string | undefined): string | undefined {
  if (!email) return '--email is required.';
  if (email.length > 254 || !isEmail(email)) return `"${email}" is not a valid email address.`;
  return undefined;
}

/** Every problem with the input at once, so that the operator fixes them in one go. */
export function newAdminProblems(input: CreateAdminInput, policy: PasswordRules): string[] {
  const problems: string[] = [];
  const emailProblem = adminEmailProblem(input.email);
  if (emailProblem) problems.push(emailProblem);
  if (!input.role) problems.push(`--role is required: one of ${ADMIN_ROLES.join(', ')}.`);
  else if (!isAdminRole(input.role)) problems.push(`Unknown role "${input.role}": use one of ${ADMIN_ROLES.join(', ')}.`);
  if (!input.password) problems.push('--password is required (or the password on standard input).');
  else {
    const violation = policy.violation(input.password, ADMIN_PASSWORD_RULES);
    if (violation) problems.push(`Weak password: ${violation}`);
  }
  return problems;
}
