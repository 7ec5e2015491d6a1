import { defineQueries, Sql, sql } from '@customer-access/database/sql';
import type { AdminRole } from '../access/admin-roles';
import type { AdminPrincipal } from './admin-user.entity';

/** The admin_user writes of the light admin:create (create-admin.ts), on a plain pg connection; the API goes through AdminUserRepository. */
export const AdminUserSql = defineQueries(
  {
    /** A new admin (the email normalized, the hash argon2id); a taken email fails on the unique index. */
    insert: (admin: { id: string; email: string; passwordHash: string; role: AdminRole }): Sql<AdminPrincipal> =>
      sql`insert into admin_user (id, email, password_hash, role) values (${admin.id}, ${admin.email}, ${admin.passwordHash}, ${admin.role})
          returning id, email, role`,
  },
  {
    insert: [
      [
        {
          id: '00000000-0000-4000-8000-000000000001',
          email: 'admin@example.com',
          passwordHash: '$argon2id$v=19$m=19456,t=2,p=1$x$y',
          role: 'support',
        },
      ],
    ],
  },
);
