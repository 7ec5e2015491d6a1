import { EntityManager } from '@mikro-orm/postgresql';
import { Injectable } from '@nestjs/common';
import type { AdminRole } from '../access/admin-roles';
import { AdminApiKey } from './admin-api-key.entity';

export interface NewApiKey {
  adminId: string;
  name: string;
  keyHash: string;
  permissions: string[];
  expiresAt: Date;
}

/** An API key as admins see it: never the key or its hash. */
export interface ApiKeyView {
  id: string;
  name: string;
  permissions: string[];
  createdBy: { id: string; email: string };
  createdAt: string;
  expiresAt: string;
  lastUsedAt: string | null;
  revokedAt: string | null;
}

/** What a request made with a key needs, read in one statement. */
export interface ApiKeyForAuth {
  id: string;
  name: string;
  permissions: string[];
  expiresAt: Date;
  revokedAt: Date | null;
  lastUsedAt: Date | null;
  admin: { id: string; email: string; role: AdminRole };
}

/** The only door to admin_api_key. */
@Injectable()
export class ApiKeyRepository {
  constructor(private readonly em: EntityManager) {}

  async insert(data: NewApiKey): Promise<AdminApiKey> {
    const em = this.em.fork();
    const key = em.create(AdminApiKey, {
      admin: data.adminId,
      name: data.name,
      keyHash: data.keyHash,
      permissions: data.permissions,
      expiresAt: data.expiresAt,
    });
    await em.flush();
    return key;
  }

  /**
   * Runs on every request made with a key: one lookup on the unique key_hash index, joined to the
   * creator (whose role bounds the key at this moment; a deleted creator's keys are gone with them).
   */
  async findForAuth(keyHash: string): Promise<ApiKeyForAuth | null> {
    const key = await this.em.fork().findOne(
      AdminApiKey,
      { keyHash },
      {
        populate: ['admin'],
        strategy: 'joined',
        fields: ['id', 'name', 'permissions', 'expiresAt', 'revokedAt', 'lastUsedAt', 'admin.id', 'admin.email', 'admin.role'],
      },
    );
    if (!key) return null;
    const admin = key.admin.getEntity();
    return {
      id: key.id,
      name: key.name,
      permissions: key.permissions,
      expiresAt: new Date(key.expiresAt),
      revokedAt: key.revokedAt ? new Date(key.revokedAt) : null,
      lastUsedAt: key.lastUsedAt ? new Date(key.lastUsedAt) : null,
      admin: { id: admin.id, email: admin.email, role: admin.role },
    };
  }

  /** Marks the key used; true only for its first use (one conditional UPDATE, so one winner). */
  async markUsed(id: string, first: boolean): Promise<boolean> {
    const where = first ? { id, lastUsedAt: null } : { id };
    return (await this.em.fork().nativeUpdate(AdminApiKey, where, { lastUsedAt: new Date() })) === 1;
  }

  async list(): Promise<ApiKeyView[]> {
    const keys = await this.em.fork().find(AdminApiKey, {}, { populate: ['admin'], orderBy: { createdAt: 'desc' } });
    return keys.map((k) => ({
      id: k.id,
      name: k.name,
      permissions: k.permissions,
      createdBy: { id: k.admin.id, email: k.admin.getEntity().email },
      createdAt: new Date(k.createdAt).toISOString(),
      expiresAt: new Date(k.expiresAt).toISOString(),
      lastUsedAt: k.lastUsedAt ? new Date(k.lastUsedAt).toISOString() : null,
      revokedAt: k.revokedAt ? new Date(k.revokedAt).toISOString() : null,
    }));
  }

  /** Revokes a key not yet revoked; its name and creator, or null. */
  async revoke(id: string): Promise<{ name: string; adminId: string } | null> {
    const em = this.em.fork();
    const key = await em.findOne(AdminApiKey, { id, revokedAt: null });
    if (!key) return null;
    key.revokedAt = new Date();
    await em.flush();
    return { name: key.name, adminId: key.admin.id };
  }
}
