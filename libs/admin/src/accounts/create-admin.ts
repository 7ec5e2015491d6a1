import { TableNotFoundException } from '@mikro-orm/core';
import { MikroORM } from '@mikro-orm/postgresql';
import { DomainError, ErrorCode } from '@customer-access/common';
import { PasswordHasher, PasswordPolicy } from '@customer-access/customers';
import { createOrmOptions } from '@customer-access/database';
import { SettingsRow } from '@customer-access/settings';
import { assertAdminPasswordNotBreached } from './admin-password-breach';
import { AdminAccountsService, CreateAdminInput, newAdminProblems } from './admin-accounts.service';
import { AdminPrincipal, AdminUser } from './admin-user.entity';
import { AdminUserRepository } from './admin-user.repository';

/**
 * `admin:create` for the CLI. Plain MikroORM rather than a Nest context: the command needs one
 * table, and must not start the queue, Redis subscriptions or settings reloads to insert a row.
 * The input is checked before connecting, so a typo is reported even when the database is down.
 */
export async function createAdminAccount(databaseUrl: string, input: CreateAdminInput, pwnedPasswordsUrl: string): Promise<AdminPrincipal> {
  const hasher = new PasswordHasher();
  const policy = new PasswordPolicy();
  const problems = newAdminProblems(input, policy);
  if (problems.length > 0) throw new DomainError(ErrorCode.Validation, problems.join(' '));

  const orm = await MikroORM.init({ ...createOrmOptions({ databaseUrl, poolMax: 1 }), entities: [AdminUser, SettingsRow] });
  try {
    await assertAdminPasswordNotBreached(orm, pwnedPasswordsUrl, input.password!);
    const service = new AdminAccountsService(new AdminUserRepository(orm.em), hasher, policy);
    return await service.create(input);
  } catch (error) {
    if (error instanceof TableNotFoundException) {
      throw new Error('The admin_user table does not exist yet: run `npm run migrate` first.', { cause: error });
    }
    throw error;
  } finally {
    await orm.close(true);
  }
}
