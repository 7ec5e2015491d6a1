import { defineQueries, rawSql, Sql, sql } from '@customer-access/database';
import { NO_USABLE_PASSWORD } from '../no-usable-password';

const noUsablePassword = rawSql(`'${NO_USABLE_PASSWORD}'`);

/** customers:invite's statements over the customer table (docs/importing.md). */
export const CustomerInvitationSql = defineQueries(
  {
    /** The next accounts without a usable password that were never invited, in id order (null website: every website). */
    uninvited: (websiteCode: string | null, afterId: string, limit: number): Sql<{ id: string; locale: string; storeViewCode: string }> =>
      sql`select id, locale, store_view_code as "storeViewCode" from customer
          where password_hash = ${noUsablePassword} and invited_at is null and id > ${afterId}
            and (${websiteCode}::text is null or website_code = ${websiteCode})
          order by id limit ${limit}`,

    /**
     * Marks the account invited, in the transaction that queues its email, only if it still has no
     * usable password and was not invited meanwhile (another run): returns the id when it did.
     */
    markInvited: (customerId: string): Sql<{ id: string }> =>
      sql`update customer set invited_at = now(), updated_at = now()
          where id = ${customerId} and invited_at is null and password_hash = ${noUsablePassword}
          returning id`,
  },
  {
    uninvited: [['base', '00000000-0000-0000-0000-000000000000', 100]],
    markInvited: [['00000000-0000-4000-8000-000000000001']],
  },
);
