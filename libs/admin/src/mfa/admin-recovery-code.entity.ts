import { Entity, ManyToOne, OptionalProps, PrimaryKey, Property, Ref, Unique } from '@mikro-orm/core';
import { randomUUID } from 'node:crypto';
import { AdminUser } from '../accounts/admin-user.entity';

/**
 * One of an admin's 10 recovery codes, stored as a hash (recovery-codes.ts) and spent once.
 * Regenerating replaces all of them. Removed with the admin.
 */
@Entity({ tableName: 'admin_recovery_code' })
@Unique({ name: 'admin_recovery_code_admin_hash_key', properties: ['admin', 'codeHash'] })
export class AdminRecoveryCode {
  [OptionalProps]?: 'createdAt' | 'usedAt';

  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  @ManyToOne(() => AdminUser, { ref: true, deleteRule: 'cascade' })
  admin!: Ref<AdminUser>;

  @Property({ type: 'text', hidden: true })
  codeHash!: string;

  @Property({ type: 'timestamptz', nullable: true })
  usedAt: Date | null = null;

  @Property({ type: 'timestamptz', defaultRaw: 'now()' })
  createdAt: Date = new Date();
}
