import { Entity, Enum, Index, ManyToOne, PrimaryKey, Property } from '@mikro-orm/core';
import { randomUUID } from 'node:crypto';
import { Customer } from '@customer-access/customers';

export const RESET_ORIGINS = ['storefront', 'admin'] as const;
export type ResetOrigin = (typeof RESET_ORIGINS)[number];

/**
 * A reset link's token, stored as its SHA-256 hash only. Rows are kept after use: `usedAt` and
 * `supersededAt` say why a link no longer works (the delivery timeline shows it); the retention job
 * purges old rows. A token is valid only while both are null and `expiresAt` is in the future.
 */
@Entity({ tableName: 'password_reset_token' })
export class PasswordResetToken {
  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  @ManyToOne(() => Customer, {
    fieldName: 'customer_id',
    mapToPk: true,
    deleteRule: 'cascade',
    updateRule: 'no action',
    foreignKeyName: 'password_reset_token_customer_id_fkey',
    index: 'password_reset_token_customer_idx',
  })
  customerId!: string;

  @Property({ type: 'character', length: 64, hidden: true, unique: 'password_reset_token_hash_unique' })
  tokenHash!: string;

  @Enum({ items: [...RESET_ORIGINS], type: 'text' })
  origin!: ResetOrigin;

  @Property({ type: 'timestamptz', defaultRaw: 'now()' })
  createdAt: Date = new Date();

  /** Indexed for the retention purge, which deletes tokens some time after they expire. */
  @Index({ name: 'password_reset_token_expires_at_idx' })
  @Property({ type: 'timestamptz' })
  expiresAt!: Date;

  /** When a reset completed with this token. */
  @Property({ type: 'timestamptz', nullable: true })
  usedAt: Date | null = null;

  /** When a newer token, or a completed reset, made this one void. */
  @Property({ type: 'timestamptz', nullable: true })
  supersededAt: Date | null = null;
}
