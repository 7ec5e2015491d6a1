import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import { DomainError, ErrorCode } from '@customer-access/common';
import { hashPassword, normalizeEmail, PasswordRules, PwnedPasswordsCheck } from '@customer-access/customers/passwords';
import { clientRows } from '@customer-access/database/sql';
import { readStoredSettings } from '@customer-access/settings/stored-settings';
import type { AdminRole } from '../access/admin-roles';
import { CreateAdminInput, newAdminProblems } from './admin-account-rules';
import type { AdminPrincipal } from './admin-user.entity';
import { AdminUserSql } from './admin-user.queries';

/** PostgreSQL's unique_violation and undefined_table. */
const UNIQUE_VIOLATION = '23505';
const UNDEFINED_TABLE = '42P01';

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

  const client = new Client({ connectionString: databaseUrl });
  try {
    await client.connect();
    const { breachedPasswordCheck } = await readStoredSettings(client);
    await new PwnedPasswordsCheck({ baseUrl: pwnedPasswordsUrl, warn }).assertNotBreached(input.password!, breachedPasswordCheck);
    const passwordHash = await hashPassword(input.password!);
    const [admin] = await clientRows(client, AdminUserSql.insert({ id: randomUUID(), email, passwordHash, role: input.role as AdminRole }));
    return admin;
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    if (code === UNIQUE_VIOLATION) throw new DomainError(ErrorCode.EmailTaken, `An admin with the email ${email} already exists.`);
    if (code === UNDEFINED_TABLE) {
      throw new Error('The admin_user table does not exist yet: run `npm run migrate` first.', { cause: error });
    }
    throw error;
  } finally {
    await client.end().catch(() => undefined);
  }
}
