import { defineQueries, Sql, sql } from '@customer-access/database/sql';
import type { AdminRole } from '../access/admin-roles';
import type { AdminPrincipal } from './admin-user.entity';

const EXAMPLE_ID = '00000000-0000-4000-8000-000000000001';

/**
 * The admin_user statements of the light CLI commands (admin:create in create-admin.ts, admin:set-password
 * and admin:unlock in admin-recovery.ts), on a plain pg connection; the API goes through AdminUserRepository.
 */
export const AdminUserSql = defineQueries(
  {
    /** A new admin (the email normalized, the hash argon2id); a taken email fails on the unique index. */
    insert: (admin: { id: string; email: string; passwordHash: string; role: AdminRole }): Sql<AdminPrincipal> =>
      sql`insert into admin_user (id, email, password_hash, role) values (${admin.id}, ${admin.email}, ${admin.passwordHash}, ${admin.role})
          returning id, email, role`,

    /** The admin with this normalized email, without the hash. */
    byEmail: (email: string): Sql<AdminPrincipal> => sql`select id, email, role from admin_user where email = ${email}`,

    /** A new password hash (argon2id), as AdminUserRepository.setPasswordHash writes it. */
    setPasswordHash: (id: string, passwordHash: string): Sql =>
      sql`update admin_user set password_hash = ${passwordHash}, updated_at = now() where id = ${id}`,
  },
  {
    insert: [[{ id: EXAMPLE_ID, email: 'admin@example.com', passwordHash: '$argon2id$v=19$m=19456,t=2,p=1$x$y', role: 'support' }]],
    byEmail: [['admin@example.com']],
    setPasswordHash: [[EXAMPLE_ID, '$argon2id$v=19$m=19456,t=2,p=1$x$y']],
  },
);
