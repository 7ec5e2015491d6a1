import { EntityManager, LockMode } from '@mikro-orm/postgresql';
import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { AdminMfaFactor, MfaMethod } from './admin-mfa-factor.entity';
import { AdminRecoveryCode } from './admin-recovery-code.entity';

/** A confirmed factor as "My Account" lists it: no secret, no key material. */
export interface MfaFactorView {
  id: string;
  kind: MfaMethod;
  name: string;
  /** WebAuthn: `singleDevice` (a security key) or `multiDevice` (a passkey that may be synced); TOTP: null. */
  deviceType: string | null;
  createdAt: string;
  lastUsedAt: string | null;
}

/** What verifying a WebAuthn assertion needs (no secret: a public key). */
export interface WebAuthnFactor {
  id: string;
  credentialId: string;
  publicKey: string;
  signCount: number;
  transports: string[];
}

export interface NewWebAuthnFactor {
  name: string;
  credentialId: string;
  publicKey: string;
  signCount: number;
  transports: string[];
  deviceType: string;
  backedUp: boolean;
}

const FACTOR_VIEW_FIELDS = ['id', 'kind', 'name', 'credentialDeviceType', 'createdAt', 'lastUsedAt'] as const;

function factorView(f: Pick<AdminMfaFactor, (typeof FACTOR_VIEW_FIELDS)[number]>): MfaFactorView {
  return {
    id: f.id,
    kind: f.kind,
    name: f.name,
    deviceType: f.kind === 'webauthn' ? f.credentialDeviceType : null,
    createdAt: new Date(f.createdAt).toISOString(),
    lastUsedAt: f.lastUsedAt ? new Date(f.lastUsedAt).toISOString() : null,
  };
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
        { fields: [...FACTOR_VIEW_FIELDS], orderBy: { createdAt: 'asc' } },
      );
    return rows.map(factorView);
  }

  /** The admin's security keys and passkeys (confirmed: a WebAuthn factor is saved only once verified). */
  async webauthnFactors(adminId: string): Promise<WebAuthnFactor[]> {
    const rows = await this.em
      .fork()
      .find(
        AdminMfaFactor,
        { admin: adminId, kind: 'webauthn', confirmedAt: { $ne: null } },
        { fields: ['id', 'credentialId', 'publicKey', 'signCount', 'transports'], orderBy: { createdAt: 'asc' } },
      );
    return rows.map((r) => ({
      id: r.id,
      credentialId: r.credentialId!,
      publicKey: r.publicKey!,
      signCount: Number(r.signCount ?? 0),
      transports: r.transports ?? [],
    }));
  }

  /**
   * A verified new security key or passkey, confirmed at once (the ceremony proved it). An
   * unfinished authenticator-app enrolment of the same admin is dropped: only a factor the admin
   * confirmed may sign them in. False when the credential is already registered (to anyone).
   */
  async addWebAuthnFactor(adminId: string, key: NewWebAuthnFactor): Promise<MfaFactorView | null> {
    return this.em.fork().transactional(async (em) => {
      if (await em.count(AdminMfaFactor, { credentialId: key.credentialId })) return null;
      await em.nativeDelete(AdminMfaFactor, { admin: adminId, kind: 'totp', confirmedAt: null });
      const factor = em.create(AdminMfaFactor, {
        admin: adminId,
        kind: 'webauthn',
        name: key.name,
        credentialId: key.credentialId,
        publicKey: key.publicKey,
        signCount: String(key.signCount),
        transports: key.transports,
        credentialDeviceType: key.deviceType,
        backedUp: key.backedUp,
        confirmedAt: new Date(),
      });
      await em.flush();
      return factorView(factor);
    });
  }

  /**
   * Records a verified assertion: the new counter, backup state and last use, only if the stored
   * counter is still the one that was checked (two racing assertions cannot both pass).
   */
  async recordWebAuthnUse(factorId: string, fromCount: number, toCount: number, deviceType: string, backedUp: boolean): Promise<boolean> {
    const updated = await this.em
      .fork()
      .nativeUpdate(
        AdminMfaFactor,
        { id: factorId, signCount: String(fromCount) },
        { signCount: String(toCount), credentialDeviceType: deviceType, backedUp, lastUsedAt: new Date() },
      );
    return updated === 1;
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

  /**
   * Removes one confirmed factor; the recovery codes go with the last one. With `keepOne`, the
   * last confirmed factor is not removed ('last'). Locks the admin's factors so that two removals
   * racing cannot both see another factor left.
   */
  async removeFactor(adminId: string, factorId: string, keepOne: boolean): Promise<MfaFactorView | 'last' | null> {
    return this.em.fork().transactional(async (em) => {
      const confirmed = await em.find(
        AdminMfaFactor,
        { admin: adminId, confirmedAt: { $ne: null } },
        { fields: [...FACTOR_VIEW_FIELDS], lockMode: LockMode.PESSIMISTIC_WRITE },
      );
      const factor = confirmed.find((f) => f.id === factorId);
      if (!factor) return null;
      if (keepOne && confirmed.length === 1) return 'last';
      await em.nativeDelete(AdminMfaFactor, { id: factorId });
      if (confirmed.length === 1) await em.nativeDelete(AdminRecoveryCode, { admin: adminId });
      return factorView(factor);
    });
  }

  /** For re-keying: every sealed TOTP secret with its owner (in `em`'s transaction when given). */
  async sealedSecrets(em: EntityManager = this.em.fork()): Promise<Array<{ id: string; adminId: string; secretBox: string }>> {
    const rows = await em.find(AdminMfaFactor, { secretBox: { $ne: null } }, { fields: ['id', 'admin', 'secretBox'] });
    return rows.map((r) => ({ id: r.id, adminId: r.admin.id, secretBox: r.secretBox! }));
  }

  /** Swaps a sealed secret only if it is still the one that was read (no lost update). */
  async replaceSealedSecret(id: string, from: string, to: string, em: EntityManager = this.em.fork()): Promise<boolean> {
    return (await em.nativeUpdate(AdminMfaFactor, { id, secretBox: from }, { secretBox: to })) === 1;
  }
}
