import { Entity, Enum, PrimaryKey, Property } from '@mikro-orm/core';
import { randomUUID } from 'node:crypto';
import { ADMIN_ROLES, AdminRole } from '../access/admin-roles';

/** A store employee who may act on customers. Its own table: admins are never customers. */
@Entity({ tableName: 'admin_user' })
export class AdminUser {
  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  /** Normalized like customer emails (normalizeEmail). */
  @Property({ type: 'text', unique: true })
  email!: string;

  /** argon2id PHC string. Never leaves the service. */
  @Property({ type: 'text', hidden: true, lazy: false })
  passwordHash!: string;

  @Enum({ items: [...ADMIN_ROLES], type: 'text' })
  role!: AdminRole;

  @Property({ type: 'timestamptz', defaultRaw: 'now()' })
  createdAt: Date = new Date();

  @Property({ type: 'timestamptz', defaultRaw: 'now()', onUpdate: () => new Date() })
  updatedAt: Date = new Date();
}

/** What the guards carry on a request: who is acting, with which role. No secrets. */
export interface AdminPrincipal {
  id: string;
  email: string;
  role: AdminRole;
  /** How the request was authenticated (set by AdminJwtGuard; absent outside a request). */
  credential?: AdminCredential;
}

/**
 * A signed-in session (an admin JWT; `secondFactor` when a second factor was given), or an API key
 * of the admin, with the key's own permissions (each still bounded by the admin's role).
 */
export type AdminCredential =
  { kind: 'session'; secondFactor: boolean } | { kind: 'api_key'; keyId: string; name: string; permissions: readonly string[] };
