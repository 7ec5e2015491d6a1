import { TableNotFoundException } from '@mikro-orm/core';
import { MikroORM } from '@mikro-orm/postgresql';
import { isEmail } from 'class-validator';
import type { RedisTopology } from '@customer-access/config';
import { DomainError, ErrorCode } from '@customer-access/common';
import { normalizeEmail, PasswordHasher, PasswordPolicy } from '@customer-access/customers';
import { createOrmOptions } from '@customer-access/database';
import { createRedisConnection, RedisConnection } from '@customer-access/redis';
import { SettingsRow } from '@customer-access/settings';
import { assertAdminPasswordNotBreached } from './admin-password-breach';
import { AdminSignInLimiter } from '../access/admin-sign-in-limiter';
import { AuditAction, AuditEvent, CLI_ACTOR } from '../audit/audit-event.entity';
import { AuditEventRepository } from '../audit/audit-event.repository';
import { ADMIN_PASSWORD_RULES } from './admin-accounts.service';
import { AdminPrincipal, AdminUser } from './admin-user.entity';
import { AdminUserRepository } from './admin-user.repository';

/**
 * `admin:set-password` and `admin:unlock`: account recovery for admins, who have no "forgot
 * password" of their own. Whoever runs the CLI holds the database credentials, so the commands need
 * no sign-in; each is audited with the actor CLI_ACTOR. Plain MikroORM, as createAdminAccount.
 */

function emailProblem(email: string | undefined): string | undefined {
  if (!email) return '--email is required.';
  if (email.length > 254 || !isEmail(email)) return `"${email}" is not a valid email address.`;
  return undefined;
}

async function withAdminTables<T>(databaseUrl: string, work: (orm: MikroORM) => Promise<T>): Promise<T> {
  const orm = await MikroORM.init({ ...createOrmOptions({ databaseUrl, poolMax: 1 }), entities: [AdminUser, AuditEvent, SettingsRow] });
  try {
    return await work(orm);
  } catch (error) {
    if (error instanceof TableNotFoundException) {
      throw new Error('The admin tables do not exist yet: run `npm run migrate` first.', { cause: error });
    }
    throw error;
  } finally {
    await orm.close(true);
  }
}

async function findAdmin(admins: AdminUserRepository, email: string): Promise<AdminUser> {
  const admin = await admins.findByEmail(normalizeEmail(email));
  if (!admin) throw new DomainError(ErrorCode.NotFound, `No admin has the email ${email}.`);
  return admin;
}

/** A fail-fast connection sends nothing before it is ready: wait for that, at most 5 s. */
function connected(connection: RedisConnection): Promise<void> {
  if (connection.status === 'ready') return Promise.resolve();
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('Redis did not answer within 5 s: is REDIS_URL right and Redis running?')), 5_000);
    connection.once('ready', () => {
      clearTimeout(timer);
      resolve();
    });
  });
}

/** Sets an admin's password (checked against the admin password rules) and records admin.password_set. */
export async function setAdminPassword(
  databaseUrl: string,
  input: { email?: string; password?: string },
  pwnedPasswordsUrl: string,
): Promise<AdminPrincipal> {
  const policy = new PasswordPolicy();
  const problems = [emailProblem(input.email)];
  if (!input.password) problems.push('A password is required (on standard input, or typed at the prompt).');
  else {
    const violation = policy.violation(input.password, ADMIN_PASSWORD_RULES);
    if (violation) problems.push(`Weak password: ${violation}`);
  }
  const reported = problems.filter(Boolean);
  if (reported.length > 0) throw new DomainError(ErrorCode.Validation, reported.join(' '));

  const passwordHash = await new PasswordHasher().hash(input.password!);
  return withAdminTables(databaseUrl, async (orm) => {
    const admins = new AdminUserRepository(orm.em);
    const admin = await findAdmin(admins, input.email!);
    await assertAdminPasswordNotBreached(orm, pwnedPasswordsUrl, input.password!);
    await orm.em.fork().transactional(async (em) => {
      await admins.setPasswordHash(admin.id, passwordHash, em);
      await new AuditEventRepository(orm.em).insert(
        {
          adminId: null,
          adminEmail: CLI_ACTOR,
          action: AuditAction.AdminPasswordSet,
          customerId: null,
          clientIp: null,
          details: { targetAdminId: admin.id, targetAdminEmail: admin.email },
        },
        em,
      );
    });
    return { id: admin.id, email: admin.email, role: admin.role };
  });
}

/**
 * Lifts an admin's sign-in lockout (the failed-attempt count kept in Redis by AdminSignInLimiter)
 * and records admin.unlocked, also when there was nothing to lift (wasLocked: false).
 */
export async function unlockAdmin(
  databaseUrl: string,
  redis: RedisTopology,
  input: { email?: string },
): Promise<{ admin: AdminPrincipal; wasLocked: boolean }> {
  const problem = emailProblem(input.email);
  if (problem) throw new DomainError(ErrorCode.Validation, problem);
  return withAdminTables(databaseUrl, async (orm) => {
    const admin = await findAdmin(new AdminUserRepository(orm.em), input.email!);
    const connection = createRedisConnection(redis, { name: 'cli', behaviour: 'fail-fast' });
    let wasLocked: boolean;
    try {
      await connected(connection);
      wasLocked = await new AdminSignInLimiter(connection).clear(admin.email);
    } finally {
      connection.disconnect();
    }
    await new AuditEventRepository(orm.em.fork()).insert({
      adminId: null,
      adminEmail: CLI_ACTOR,
      action: AuditAction.AdminUnlocked,
      customerId: null,
      clientIp: null,
      details: { targetAdminId: admin.id, targetAdminEmail: admin.email, wasLocked },
    });
    return { admin: { id: admin.id, email: admin.email, role: admin.role }, wasLocked };
  });
}
