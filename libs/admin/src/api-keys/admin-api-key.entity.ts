import { Entity, ManyToOne, OptionalProps, PrimaryKey, Property, Ref } from '@mikro-orm/core';
import { randomUUID } from 'node:crypto';
import { AdminUser } from '../accounts/admin-user.entity';

/**
 * A key for automation, created by an admin: worth the intersection of its own permissions and
 * its creator's role at the moment of use, and removed with its creator. Only the key's SHA-256
 * is stored (like every bearer secret here).
 */
@Entity({ tableName: 'admin_api_key' })
export class AdminApiKey {
  [OptionalProps]?: 'createdAt' | 'lastUsedAt' | 'revokedAt';

  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  @ManyToOne(() => AdminUser, { ref: true, deleteRule: 'cascade', index: 'admin_api_key_admin_idx' })
  admin!: Ref<AdminUser>;

  @Property({ type: 'text' })
  name!: string;

  /** The one lookup of every request made with a key. */
  @Property({ type: 'text', hidden: true, unique: 'admin_api_key_key_hash_key' })
  keyHash!: string;

  @Property({ type: 'json' })
  permissions!: string[];

  @Property({ type: 'timestamptz' })
  expiresAt!: Date;

  @Property({ type: 'timestamptz', nullable: true })
  lastUsedAt: Date | null = null;

  @Property({ type: 'timestamptz', nullable: true })
  revokedAt: Date | null = null;

  @Property({ type: 'timestamptz', defaultRaw: 'now()' })
  createdAt: Date = new Date();
}
