import { UniqueConstraintViolationException } from '@mikro-orm/core';
import { EntityManager } from '@mikro-orm/postgresql';
import { Injectable } from '@nestjs/common';
import { DomainError, ErrorCode } from '@customer-access/common';
import type { AdminRole } from '../access/admin-roles';
import { AdminPrincipal, AdminUser } from './admin-user.entity';

export interface NewAdminUser {
  email: string;
  passwordHash: string;
  role: AdminRole;
}

/** The only door to the admin_user table. */
@Injectable()
export class AdminUserRepository {
  constructor(private readonly em: EntityManager) {}

  /** With the hash: for sign-in only. */
  findByEmail(normalizedEmail: string): Promise<AdminUser | null> {
    return this.em.fork().findOne(AdminUser, { email: normalizedEmail });
  }

  /**
   * Runs on every admin request (a deleted admin's JWT must stop working at once), so it is one
   * primary-key lookup that never reads the hash.
   */
  async findPrincipal(id: string): Promise<AdminPrincipal | null> {
    const admin = await this.em.fork().findOne(AdminUser, { id }, { fields: ['id', 'email', 'role'] });
    return admin ? { id: admin.id, email: admin.email, role: admin.role } : null;
  }

  /** Within the caller's transaction (`em`), so that the change and its audit event commit together. */
  async setPasswordHash(id: string, passwordHash: string, em: EntityManager): Promise<void> {
    await em.nativeUpdate(AdminUser, { id }, { passwordHash, updatedAt: new Date() });
  }

  async insert(data: NewAdminUser): Promise<AdminUser> {
    const em = this.em.fork();
    const admin = Object.assign(new AdminUser(), data);
    try {
      await em.persistAndFlush(admin);
    } catch (error) {
      if (error instanceof UniqueConstraintViolationException) {
        throw new DomainError(ErrorCode.EmailTaken, `An admin with the email ${data.email} already exists.`);
      }
      throw error;
    }
    return admin;
  }
}
