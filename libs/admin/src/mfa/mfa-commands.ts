import { MikroORM } from '@mikro-orm/postgresql';
import { userInfo } from 'node:os';
import { DomainError, ErrorCode } from '@customer-access/common';
import { normalizeEmail } from '@customer-access/customers';
import { createOrmOptions } from '@customer-access/database';
import { AdminUser } from '../accounts/admin-user.entity';
import { AdminUserRepository } from '../accounts/admin-user.repository';
import { AuditAction, AuditEvent, CLI_ACTOR } from '../audit/audit-event.entity';
import { AuditEventRepository } from '../audit/audit-event.repository';
import { AdminMfaFactor } from './admin-mfa-factor.entity';
import { AdminRecoveryCode } from './admin-recovery-code.entity';
import { MfaRepository } from './mfa.repository';
import { SecretBox } from './secret-box';

/**
 * The CLI's MFA commands. Plain MikroORM, like `admin:create`: a few tables, no queue, Redis or
 * settings reloads.
 */
async function withOrm<T>(databaseUrl: string, run: (orm: MikroORM) => Promise<T>): Promise<T> {
  const orm = await MikroORM.init({
    ...createOrmOptions({ databaseUrl, poolMax: 1 }),
    entities: [AdminUser, AdminMfaFactor, AdminRecoveryCode, AuditEvent],
  });
  try {
    return await run(orm);
  } finally {
    await orm.close(true);
  }
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
  return withOrm(databaseUrl, async (orm) => {
    const admin = await new AdminUserRepository(orm.em).findByEmail(normalizeEmail(email));
    if (!admin) throw new DomainError(ErrorCode.NotFound, `There is no admin with the email ${email}.`);
    const removed = await new MfaRepository(orm.em).removeAll(admin.id);
    await new AuditEventRepository(orm.em.fork()).insert({
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
    });
    return { admin: { id: admin.id, email: admin.email }, ...removed };
  });
}

/**
 * `admin:mfa-rekey`: re-seals every TOTP secret with MFA_ENCRYPTION_KEY, opening those sealed with
 * MFA_ENCRYPTION_KEY_PREVIOUS. Idempotent; safe while the API runs (each row is swapped only if
 * unchanged since it was read).
 */
export async function rekeyMfaSecrets(
  databaseUrl: string,
  keys: { current: string; previous?: string },
): Promise<{ rekeyed: number; alreadyCurrent: number }> {
  const box = new SecretBox(keys.current, keys.previous);
  return withOrm(databaseUrl, async (orm) => {
    const repo = new MfaRepository(orm.em);
    let rekeyed = 0;
    let alreadyCurrent = 0;
    for (const row of await repo.sealedSecrets()) {
      if (SecretBox.keyIdOf(row.secretBox) === box.currentKeyId) {
        alreadyCurrent++;
        continue;
      }
      const resealed = box.seal(box.open(row.secretBox, row.adminId), row.adminId);
      if (await repo.replaceSealedSecret(row.id, row.secretBox, resealed)) rekeyed++;
    }
    return { rekeyed, alreadyCurrent };
  });
}

function operatorName(): string {
  try {
    return userInfo().username;
  } catch {
    return 'unknown';
  }
}
