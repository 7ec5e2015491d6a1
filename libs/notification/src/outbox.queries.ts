import { Sql, sql } from '@customer-access/database';
import { MailJob } from './mail-jobs';

/**
 * Records outbox message `id`: one row per row of `from` (e.g. `from changed`, a CTE of the caller's
 * statement; an empty clause records exactly one), its payload built by the SQL expression `payload`.
 */
export const insertOutboxMessageSql = (id: string, jobName: MailJob, payload: Sql, from: Sql): Sql =>
  sql`insert into outbox_message (id, job_name, payload, created_at)
      select ${id}, ${jobName}, ${payload}, now() ${from}`;
