import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { Client } from 'pg';
import { clientRows } from '@customer-access/database';
import { matchSupportedLocale, supportedLocales } from '@customer-access/i18n';
import { EmailLogSql, MailJob, OutboxMessageSql } from '@customer-access/notification';
import { CustomerInvitationSql } from './customer-invitation.queries';
import { CustomerImportSql } from './customer-import.queries';

export interface InviteOptions {
  /** Only this website's accounts (default: every website). */
  website?: string;
  /** At most this many invitations a second (INVITATION_RATE_PER_SECOND). */
  ratePerSecond: number;
}

const PAGE = 100;

/**
 * customers:invite (docs/importing.md): queues the `account-invitation` email for every account
 * without a usable password that was never invited, at most `ratePerSecond` a second. Each account
 * is marked invited in the same transaction that writes its outbox message and its queued
 * delivery-log row, so an interrupted run resumes where it stopped and no account is invited twice;
 * the worker relays the outbox (within seconds) and sends. Returns the number invited by this run.
 */
export async function inviteCustomers(
  databaseUrl: string,
  options: InviteOptions,
  onProgress: (invited: number) => void = () => undefined,
): Promise<number> {
  const client = new Client({ connectionString: databaseUrl, application_name: 'customers:invite' });
  await client.connect();
  try {
    const [settings] = await clientRows(client, CustomerImportSql.settings());
    const defaultLocale = settings?.defaultLocale ?? 'en';
    const started = Date.now();
    let invited = 0;
    let afterId = '00000000-0000-0000-0000-000000000000';
    for (;;) {
      const page = await clientRows(client, CustomerInvitationSql.uninvited(options.website ?? null, afterId, PAGE));
      if (page.length === 0) return invited;
      for (const customer of page) {
        afterId = customer.id;
        // The rate: the n-th invitation leaves no earlier than n / rate seconds after the start.
        const due = started + (invited * 1000) / options.ratePerSecond;
        if (due > Date.now()) await sleep(due - Date.now());
        const emailLogId = randomUUID();
        await client.query('begin');
        try {
          const claimed = await clientRows(client, CustomerInvitationSql.markInvited(customer.id));
          if (claimed.length === 1) {
            await clientRows(
              client,
              EmailLogSql.insertQueued({
                id: emailLogId,
                customerId: customer.id,
                template: 'account-invitation',
                origin: 'system',
                storeViewCode: customer.storeViewCode,
                locale: matchSupportedLocale(customer.locale, supportedLocales()) ?? defaultLocale,
              }),
            );
            await clientRows(
              client,
              OutboxMessageSql.add(randomUUID(), MailJob.AccountInvitation, { customerId: customer.id, emailLogId }),
            );
          }
          await client.query('commit');
          if (claimed.length === 1) onProgress(++invited);
        } catch (error) {
          await client.query('rollback').catch(() => undefined);
          throw error;
        }
      }
    }
  } finally {
    await client.end();
  }
}
