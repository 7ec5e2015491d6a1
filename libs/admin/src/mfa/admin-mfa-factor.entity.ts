import { Entity, Enum, Index, ManyToOne, OptionalProps, PrimaryKey, Property, Ref } from '@mikro-orm/core';
import { randomUUID } from 'node:crypto';
import { AdminUser } from '../accounts/admin-user.entity';

export const MFA_METHODS = ['totp', 'webauthn'] as const;
export type MfaMethod = (typeof MFA_METHODS)[number];

/**
 * An admin's second factor: an authenticator app (TOTP) or a security key / passkey (WebAuthn).
 * Removed with its admin. A factor whose `confirmedAt` is null is an enrolment under way: it
 * signs nobody in until its first code (or ceremony) confirms it.
 */
@Entity({ tableName: 'admin_mfa_factor' })
// At most one authenticator app per admin (the secret of an unfinished enrolment is replaced).
@Index({
  name: 'admin_mfa_factor_one_totp_idx',
  expression: `create unique index "admin_mfa_factor_one_totp_idx" on "admin_mfa_factor" ("admin_id") where kind = 'totp'`,
})
export class AdminMfaFactor {
  [OptionalProps]?: 'createdAt' | 'name' | 'confirmedAt' | 'lastUsedAt';

  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  @ManyToOne(() => AdminUser, { ref: true, deleteRule: 'cascade', index: 'admin_mfa_factor_admin_idx' })
  admin!: Ref<AdminUser>;

  @Enum({ items: [...MFA_METHODS], type: 'text' })
  kind!: MfaMethod;

  /** Shown in "My Account" (a security key's name; "Authenticator app" for TOTP). */
  @Property({ type: 'text', default: '' })
  name: string = '';

  /** TOTP: the base32 secret, sealed with SecretBox (AES-256-GCM, bound to the admin's id). */
  @Property({ type: 'text', nullable: true, hidden: true })
  secretBox: string | null = null;

  /** TOTP: the last time step accepted; a code of this step or an earlier one is a replay. */
  @Property({ type: 'integer', nullable: true })
  lastStep: number | null = null;

  /** WebAuthn: the credential id (base64url), unique across admins. */
  @Property({ type: 'text', nullable: true, unique: 'admin_mfa_factor_credential_id_key' })
  credentialId: string | null = null;

  /** WebAuthn: the COSE public key (base64url). */
  @Property({ type: 'text', nullable: true })
  publicKey: string | null = null;

  /** WebAuthn: the authenticator's signature counter, kept to detect a cloned key. */
  @Property({ type: 'bigint', nullable: true })
  signCount: string | null = null;

  /** WebAuthn: whether the credential is backed up (a synced passkey); updated at each use. */
  @Property({ type: 'boolean', nullable: true })
  backedUp: boolean | null = null;

  /** WebAuthn: `singleDevice` (a security key) or `multiDevice` (a passkey that may be synced). */
  @Property({ type: 'text', nullable: true })
  credentialDeviceType: string | null = null;

  @Property({ type: 'json', nullable: true })
  transports: string[] | null = null;

  @Property({ type: 'timestamptz', nullable: true })
  confirmedAt: Date | null = null;

  @Property({ type: 'timestamptz', nullable: true })
  lastUsedAt: Date | null = null;

  @Property({ type: 'timestamptz', defaultRaw: 'now()' })
  createdAt: Date = new Date();
}
