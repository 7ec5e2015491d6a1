import { defineQueries, Sql, sql } from '@customer-access/database/sql';

/**
 * The second-factor statements of the light admin:mfa-reset (accounts/admin-recovery.ts), on a plain pg
 * connection; the API goes through MfaRepository.
 */
export const MfaSql = defineQueries(
  {
    /** Every factor and recovery code of an admin, in one statement; how many of each went. */
    removeAll: (adminId: string): Sql<{ factors: number; recoveryCodes: number }> =>
      sql`with factors as (delete from admin_mfa_factor where admin_id = ${adminId} returning 1),
            codes as (delete from admin_recovery_code where admin_id = ${adminId} returning 1)
          select (select count(*) from factors)::int as factors, (select count(*) from codes)::int as "recoveryCodes"`,
  },
  { removeAll: [['00000000-0000-4000-8000-000000000001']] },
);
