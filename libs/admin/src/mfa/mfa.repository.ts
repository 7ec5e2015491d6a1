import { EntityManager } from '@mikro-orm/postgresql';
import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { AdminMfaFactor, MfaMethod } from './admin-mfa-factor.entity';
import { AdminRecoveryCode } from './admin-recovery-code.entity';

/** A confirmed factor as "My Account" lists it: no secret, no key material. */
export interface MfaFactorView {
  id: string;
  kind: MfaMethod;
  name: string;
  createdAt: string;
  lastUsedAt: string | null;
}

export interface TotpFactor {
  id: string;
  secretBox: string;
  confirmed: boolean;
}

/** The only door to admin_mfa_factor and admin_recovery_code. */
@Injectable()
export class MfaRepository {
  constructor(private readonly em: EntityManager) {}

  async confirmedFactors(adminId: string): Promise<MfaFactorView[]> {
    const rows = await this.em
      .fork()
      .find(
        AdminMfaFactor,
        { admin: adminId, confirmedAt: { $ne: null } },
        { fields: ['id', 'kind', 'name', 'createdAt', 'lastUsedAt'], orderBy: { createdAt: 'asc' } },
      );
    return rows.map((f) => ({
      id: f.id,
      kind: f.kind,
      name: f.name,
      createdAt: new Date(f.createdAt).toISOString(),
      lastUsedAt: f.lastUsedAt ? new Date(f.lastUsedAt).toISOString() : null,
    }));
  }

  async totpOf(adminId: string): Promise<TotpFactor | null> {
    const row = await this.em
      .fork()
      .findOne(AdminMfaFactor, { admin: adminId, kind: 'totp' }, { fields: ['id', 'secretBox', 'confirmedAt'] });
    return row?.secretBox ? { id: row.id, secretBox: row.secretBox, confirmed: row.confirmedAt !== null } : null;
  }

  /** Replaces an unfinished TOTP enrolment; false (nothing written) when one is already confirmed. */
  async savePendingTotp(adminId: string, secretBox: string): Promise<boolean> {
    return this.em.fork().transactional(async (em) => {
      await em.nativeDelete(AdminMfaFactor, { admin: adminId, kind: 'totp', confirmedAt: null });
      if (await em.count(AdminMfaFactor, { admin: adminId, kind: 'totp' })) return false;
      em.create(AdminMfaFactor, { admin: adminId, kind: 'totp', name: 'Authenticator app', secretBox });
      await em.flush();
      return true;
    });
  }

  /**
   * Accepts `step` for the factor only if it is later than the last accepted one, in one
   * conditional UPDATE: two requests racing with the same code cannot both win, on any instance.
   * Confirms an enrolment under way.
   */
  async acceptTotpStep(factorId: string, step: number): Promise<boolean> {
    const now = new Date();
    const updated = await this.em
      .fork()
      .nativeUpdate(
        AdminMfaFactor,
        { id: factorId, $or: [{ lastStep: null }, { lastStep: { $lt: step } }] },
        { lastStep: step, lastUsedAt: now },
      );
    if (updated !== 1) return false;
    await this.em.fork().nativeUpdate(AdminMfaFactor, { id: factorId, confirmedAt: null }, { confirmedAt: now });
    return true;
  }

  async hasConfirmedFactor(adminId: string): Promise<boolean> {
    return (await this.em.fork().count(AdminMfaFactor, { admin: adminId, confirmedAt: { $ne: null } })) > 0;
  }

  async replaceRecoveryCodes(adminId: string, codeHashes: string[]): Promise<void> {
    await this.em.fork().transactional(async (em) => {
      await em.nativeDelete(AdminRecoveryCode, { admin: adminId });
      await em.insertMany(
        AdminRecoveryCode,
        codeHashes.map((codeHash) => ({ id: randomUUID(), admin: adminId, codeHash })),
      );
    });
  }

  /** Spends a recovery code in one conditional UPDATE; false when unknown or already used. */
  async spendRecoveryCode(adminId: string, codeHash: string): Promise<boolean> {
    const updated = await this.em
      .fork()
      .nativeUpdate(AdminRecoveryCode, { admin: adminId, codeHash, usedAt: null }, { usedAt: new Date() });
    return updated === 1;
  }

  unusedRecoveryCodes(adminId: string): Promise<number> {
    return this.em.fork().count(AdminRecoveryCode, { admin: adminId, usedAt: null });
  }

  /** Removes one factor; the recovery codes go with the last one. Returns what was removed. */
  async removeFactor(adminId: string, factorId: string): Promise<MfaFactorView | null> {
    return this.em.fork().transactional(async (em) => {
      const factor = await em.findOne(AdminMfaFactor, { id: factorId, admin: adminId });
      if (!factor) return null;
      await em.nativeDelete(AdminMfaFactor, { id: factorId });
      if ((await em.count(AdminMfaFactor, { admin: adminId, confirmedAt: { $ne: null } })) === 0) {
        await em.nativeDelete(AdminRecoveryCode, { admin: adminId });
      }
      return {
        id: factor.id,
        kind: factor.kind,
        name: factor.name,
        createdAt: new Date(factor.createdAt).toISOString(),
        lastUsedAt: factor.lastUsedAt ? new Date(factor.lastUsedAt).toISOString() : null,
      };
    });
  }

  /** `admin:mfa-reset`: every factor and recovery code of the admin. */
  async removeAll(adminId: string): Promise<{ factors: number; recoveryCodes: number }> {
    return this.em.fork().transactional(async (em) => ({
      factors: await em.nativeDelete(AdminMfaFactor, { admin: adminId }),
      recoveryCodes: await em.nativeDelete(AdminRecoveryCode, { admin: adminId }),
    }));
  }

  /** For re-keying: every sealed TOTP secret with its owner. */
  async sealedSecrets(): Promise<Array<{ id: string; adminId: string; secretBox: string }>> {
    const rows = await this.em.fork().find(AdminMfaFactor, { secretBox: { $ne: null } }, { fields: ['id', 'admin', 'secretBox'] });
    return rows.map((r) => ({ id: r.id, adminId: r.admin.id, secretBox: r.secretBox! }));
  }

  /** Swaps a sealed secret only if it is still the one that was read (no lost update). */
  async replaceSealedSecret(id: string, from: string, to: string): Promise<boolean> {
    return (await this.em.fork().nativeUpdate(AdminMfaFactor, { id, secretBox: from }, { secretBox: to })) === 1;
  }
}
