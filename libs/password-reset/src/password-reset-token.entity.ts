import { Entity, Index, PrimaryKey, Property } from '@mikro-orm/core';
import { randomUUID } from 'node:crypto';

export type ResetOrigin = 'storefront' | 'admin';

/** A reset link's token, stored as its SHA-256 hash only. */
@Entity({ tableName: 'password_reset_token' })
export class PasswordResetToken {
  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  @Property({ type: 'uuid' })
  customerId!: string;

  @Property({ type: 'character', length: 64, hidden: true })
  tokenHash!: string;

  @Property({ type: 'text' })
  origin!: ResetOrigin;

  @Property({ type: 'timestamptz' })
  createdAt: Date = new Date();

  /** Indexed for the retention purge, which deletes tokens some time after they expire. */
  @Index({ name: 'password_reset_token_expires_at_idx' })
  @Property({ type: 'timestamptz' })
  expiresAt!: Date;

  @Property({ type: 'timestamptz', nullable: true })
  usedAt: Date | null = null;
}
