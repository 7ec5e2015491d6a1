import { randomUUID } from 'node:crypto';
import { DomainError, ErrorCode } from '@customer-access/common';
import { hashPassword, normalizeEmail, PasswordRules, PwnedPasswordsCheck } from '@customer-access/customers/passwords';
import { clientRows } from '@customer-access/database/sql';
import { readStoredSettings } from '@customer-access/settings/stored-settings';
import type { AdminRole } from '../access/admin-roles';
import { CreateAdminInput, newAdminProblems } from './admin-account-rules';
import type { AdminPrincipal } from './admin-user.entity';
import { AdminUserSql } from './admin-user.queries';
import { withAdminTables } from './admin-tables';

/** PostgreSQL's unique_violation. */
const UNIQUE_VIOLATION = '23505';

/**
 * `admin:create` for the CLI: a light entry (docs/architecture.md) that loads no Nest, ORM or mail
 * code, only the rules AdminAccountsService applies (newAdminProblems), the password hashing and the
 * breached-password check, and one pg connection; it starts in a fraction of the time the admin lib
 * takes. The input is checked before connecting, so a typo is reported even when the database is
 * down. The breached-password check follows the stored `breachedPasswordCheck` setting; `warn`
 * receives the range API's failures (the password is then allowed).
 */
export async function createAdminAccount(
  databaseUrl: string,
  input: CreateAdminInput,
  pwnedPasswordsUrl: string,
  warn: (message: string) => void | Promise<void>,
): Promise<AdminPrincipal> {
  const problems = newAdminProblems(input, new PasswordRules());
  if (problems.length > 0) throw new DomainError(ErrorCode.Validation, problems.join(' '));
  const email = normalizeEmail(input.email!);

  return withAdminTables(databaseUrl, async (client) => {
    const { breachedPasswordCheck } = await readStoredSettings(client);
    await new PwnedPasswordsCheck({ baseUrl: pwnedPasswordsUrl, warn }).assertNotBreached(input.password!, breachedPasswordCheck);
    const passwordHash = await hashPassword(input.password!);
    try {
      const [admin] = await clientRows(
        client,
        AdminUserSql.insert({ id: randomUUID(), email, passwordHash, role: input.role as AdminRole }),
      );
      return admin;
    } catch (error) {
      if ((error as { code?: unknown }).code === UNIQUE_VIOLATION)
        throw new DomainError(ErrorCode.EmailTaken, `An admin with the email ${email} already exists.`);
      throw error;
    }
  });
}
