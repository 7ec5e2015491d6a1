import { userInfo } from 'node:os';
import type { Client } from 'pg';
import type { RedisTopology } from '@customer-access/config';
import { DomainError, ErrorCode } from '@customer-access/common';
import { hashPassword, normalizeEmail, PasswordRules, PwnedPasswordsCheck } from '@customer-access/customers/passwords';
import { clientRows } from '@customer-access/database/sql';
import { createRedisConnection, RedisConnection } from '@customer-access/redis/redis-connections';
import { readStoredSettings } from '@customer-access/settings/stored-settings';
import { clearAdminSignInFailures } from '../access/admin-sign-in-failures';
import { AuditAction, CLI_ACTOR } from '../audit/audit-actions';
import { AuditEventSql } from '../audit/audit-event.queries';
import { MfaSql } from '../mfa/mfa.queries';
import { ADMIN_PASSWORD_RULES, adminEmailProblem } from './admin-account-rules';
import type { AdminPrincipal } from './admin-user.entity';
import { AdminUserSql } from './admin-user.queries';
import { withAdminTables } from './admin-tables';

/**
 * `admin:set-password`, `admin:unlock` and `admin:mfa-reset`: account recovery for admins, who have
 * no "forgot password" of their own. Whoever runs the CLI holds the database credentials, so the
 * commands need no sign-in; each is audited with the actor CLI_ACTOR. A light entry, as admin:create's
 * (docs/architecture.md): one pg connection (and, to unlock, one Redis connection), no Nest, ORM or
 * mail code, so that an operator's command starts in a fraction of the time the admin lib takes.
 */

async function findAdmin(client: Client, email: string, notFound = `No admin has the email ${email}.`): Promise<AdminPrincipal> {
  const [admin] = await clientRows(client, AdminUserSql.byEmail(normalizeEmail(email)));
  if (!admin) throw new DomainError(ErrorCode.NotFound, notFound);
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

/**
 * Sets an admin's password (checked against the admin password rules and, as the stored
 * `breachedPasswordCheck` setting says, the breached-password check) and records admin.password_set.
 * `warn` receives the range API's failures (the password is then allowed).
 */
export async function setAdminPassword(
  databaseUrl: string,
  input: { email?: string; password?: string },
  pwnedPasswordsUrl: string,
  warn: (message: string) => void | Promise<void>,
): Promise<AdminPrincipal> {
  const problems = [adminEmailProblem(input.email)];
  if (!input.password) problems.push('A password is required (on standard input, or typed at the prompt).');
  else {
    const violation = new PasswordRules().violation(input.password, ADMIN_PASSWORD_RULES);
    if (violation) problems.push(`Weak password: ${violation}`);
  }
  const reported = problems.filter(Boolean);
  if (reported.length > 0) throw new DomainError(ErrorCode.Validation, reported.join(' '));

  const passwordHash = await hashPassword(input.password!);
  return withAdminTables(databaseUrl, async (client) => {
    const admin = await findAdmin(client, input.email!);
    const { breachedPasswordCheck } = await readStoredSettings(client);
    await new PwnedPasswordsCheck({ baseUrl: pwnedPasswordsUrl, warn }).assertNotBreached(input.password!, breachedPasswordCheck);
    await client.query('begin');
    try {
      await clientRows(client, AdminUserSql.setPasswordHash(admin.id, passwordHash));
      await clientRows(
        client,
        AuditEventSql.insert({
          adminId: null,
          adminEmail: CLI_ACTOR,
          action: AuditAction.AdminPasswordSet,
          customerId: null,
          clientIp: null,
          details: { targetAdminId: admin.id, targetAdminEmail: admin.email },
        }),
      );
      await client.query('commit');
    } catch (error) {
      await client.query('rollback').catch(() => undefined);
      throw error;
    }
    return admin;
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
  const problem = adminEmailProblem(input.email);
  if (problem) throw new DomainError(ErrorCode.Validation, problem);
  return withAdminTables(databaseUrl, async (client) => {
    const admin = await findAdmin(client, input.email!);
    const connection = createRedisConnection(redis, { name: 'cli', behaviour: 'fail-fast' });
    let wasLocked: boolean;
    try {
      await connected(connection);
      wasLocked = await clearAdminSignInFailures(connection, admin.email);
    } finally {
      connection.disconnect();
    }
    await clientRows(
      client,
      AuditEventSql.insert({
        adminId: null,
        adminEmail: CLI_ACTOR,
        action: AuditAction.AdminUnlocked,
        customerId: null,
        clientIp: null,
        details: { targetAdminId: admin.id, targetAdminEmail: admin.email, wasLocked },
      }),
    );
    return { admin, wasLocked };
  });
}

export interface MfaResetOutcome {
  admin: { id: string; email: string };
  factors: number;
  recoveryCodes: number;
}

/**
 * `admin:mfa-reset --email E`: for the admin who lost their phone. Removes every factor and
 * recovery code, so that the next sign-in enrolls anew, and records it in the audit log with the
 * operating-system user who ran it.
 */
export async function resetAdminMfa(databaseUrl: string, email: string | undefined): Promise<MfaResetOutcome> {
  if (!email) throw new DomainError(ErrorCode.Validation, '--email is required.');
  return withAdminTables(databaseUrl, async (client) => {
    const admin = await findAdmin(client, email, `There is no admin with the email ${email}.`);
    const [removed] = await clientRows(client, MfaSql.removeAll(admin.id));
    await clientRows(
      client,
      AuditEventSql.insert({
        adminId: null,
        adminEmail: CLI_ACTOR,
        action: AuditAction.MfaReset,
        customerId: null,
        clientIp: null,
        details: {
          targetAdminId: admin.id,
          targetAdminEmail: admin.email,
          operator: operatorName(),
          factors: removed.factors,
          recoveryCodes: removed.recoveryCodes,
        },
      }),
    );
    return { admin: { id: admin.id, email: admin.email }, ...removed };
  });
}

function operatorName(): string {
  try {
    return userInfo().username;
  } catch {
    return 'unknown';
  }
}
