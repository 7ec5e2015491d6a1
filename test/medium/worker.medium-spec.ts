import { getQueueToken } from '@nestjs/bullmq';
import { Job, Queue } from 'bullmq';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { simpleParser } from 'mailparser';
import { hashToken } from '@customer-access/common';
import { CustomersModule } from '@customer-access/customers';
import { I18nModule } from '@customer-access/i18n';
import {
  InvalidMailJobError,
  MailDeliveryModule,
  MailJob,
  MailProducer,
  mailQueueConnection,
  NotificationModule,
  QueueName,
} from '@customer-access/notification';
import { ObservabilityModule } from '@customer-access/observability';
import { PasswordResetModule } from '@customer-access/password-reset';
import { SettingsModule } from '@customer-access/settings';
import { JobContext, MailJobHandlers } from '../../apps/worker/src/mail-job.handlers';
import { MailProcessor } from '../../apps/worker/src/mail.processor';
import { insertCustomer, Medium, startMedium } from './support/medium';

/**
 * apps/worker's mail handlers and processor in-process: a real BullMQ queue and worker on the
 * claimed Redis db, PostgreSQL, and the real mail sender writing .eml files (SMTP_URL unset).
 */
describe('worker mail jobs (medium)', () => {
  let medium: Medium;
  let handlers: MailJobHandlers;
  let queue: Queue;
  const mailDir = mkdtempSync(join(tmpdir(), 'ca-medium-mail-'));
  const mails = () => readdirSync(mailDir).map((f) => readFileSync(join(mailDir, f), 'utf8'));
  /** A job's first attempt, as the processor describes it to the handlers. */
  const firstAttempt = (id: string): JobContext => ({ id, createdAtMs: Date.now(), attempt: 1, maxAttempts: 9 });

  beforeAll(async () => {
    medium = await startMedium({
      env: { MAIL_DIR: mailDir, MAIL_RETRY_DELAY_MS: '50', STOREFRONT_URL: 'https://shop.medium.test' },
      imports: [
        ObservabilityModule.forRoot('worker', { workerJobNames: Object.values(MailJob) }),
        SettingsModule,
        I18nModule,
        mailQueueConnection('worker'),
        NotificationModule,
        MailDeliveryModule,
        CustomersModule,
        PasswordResetModule,
      ],
      providers: [MailJobHandlers, MailProcessor],
    });
    handlers = medium.get(MailJobHandlers);
    queue = medium.get(getQueueToken(QueueName.Mail));
  });
  afterAll(async () => {
    await medium?.close();
    rmSync(mailDir, { recursive: true, force: true });
  });

  it('mails a reset link whose token is the one stored (as its hash), and nothing for an unknown email', async () => {
    const customer = await insertCustomer(medium.db);
    expect(await handlers.handle(MailJob.PasswordResetRequested, { email: customer.email }, firstAttempt('m1'))).toEqual({ sent: true });
    const mail = await simpleParser(mails().find((m) => m.includes(customer.email))!);
    const raw = /createPassword\?token=([A-Za-z0-9_-]+)/.exec(mail.text ?? '')![1];
    const stored = await medium.db.query('select 1 from password_reset_token where token_hash = $1 and customer_id = $2', [
      hashToken(raw),
      customer.id,
    ]);
    expect(stored.rowCount).toBe(1);
    expect(await handlers.handle(MailJob.PasswordResetRequested, { email: 'nobody@medium.test' }, firstAttempt('m2'))).toEqual({
      sent: false,
      reason: 'no account with this email',
    });
  });

  it('sends the "email changed" notice to the previous address, never the new one, without a link, and logs it', async () => {
    const customer = await insertCustomer(medium.db);
    const previousEmail = `previous-${customer.id}@medium.test`;
    const adminId = '3f0c9a52-5d1e-4b8e-9a47-0c2f7d1e6b90';
    const outcome = await handlers.handle(MailJob.EmailChanged, { customerId: customer.id, previousEmail, adminId }, firstAttempt('m5'));
    expect(outcome).toEqual({ sent: true });
    const raw = mails().filter((m) => m.includes(previousEmail));
    expect(raw).toHaveLength(1);
    expect(mails().some((m) => m.includes(`To: ${customer.email}`))).toBe(false);
    const mail = await simpleParser(raw[0]);
    expect(mail.subject).toMatch(/email address .* has been changed/);
    expect(mail.text).not.toMatch(/token=|createPassword/);
    expect(mail.html).not.toMatch(/token=|createPassword/);
    const logged = await medium.db.query('select template, origin, status from email_log where customer_id = $1', [customer.id]);
    expect(logged.rows).toEqual([{ template: 'email-changed', origin: 'admin', status: 'sent' }]);
  });

  it('refuses a malformed payload before acting on it', async () => {
    await expect(handlers.handle(MailJob.PasswordChanged, { customerId: 'not-a-uuid' }, firstAttempt('m3'))).rejects.toThrow(
      InvalidMailJobError,
    );
    await expect(handlers.handle('no-such-job', {}, firstAttempt('m4'))).rejects.toThrow(/unknown job name/);
  });

  it('runs a queued job through the processor, and fails a malformed one once, never retrying it', async () => {
    const customer = await insertCustomer(medium.db);
    await medium.get(MailProducer).enqueue(MailJob.PasswordChanged, { customerId: customer.id }, `medium-ok-${customer.id}`);
    await expect(medium.get(MailProducer).enqueue(MailJob.PasswordChanged, { customerId: 'x' })).rejects.toThrow(InvalidMailJobError);
    // Written past the producer's check, as an older or foreign producer could.
    const bad = await queue.add(MailJob.PasswordChanged, { customerId: 42 }, { attempts: 9, backoff: { type: 'fixed', delay: 50 } });

    const ok = await waitForState(queue, `medium-ok-${customer.id}`, 'completed');
    expect(ok.returnvalue).toEqual({ sent: true });
    const failed = await waitForState(queue, bad.id!, 'failed');
    expect(failed.attemptsMade).toBe(1);
    expect(failed.failedReason).toMatch(/Invalid mail job "password-changed": customerId must be a UUID/);
  });
});

/** Polls the job until it reaches `state` (the processor runs in this process). */
async function waitForState(queue: Queue, jobId: string, state: 'completed' | 'failed', timeoutMs = 10_000): Promise<Job> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const job = await queue.getJob(jobId);
    if (job && (await job.getState()) === state) return job;
    if (Date.now() > deadline) throw new Error(`job ${jobId} did not reach ${state}: ${job ? await job.getState() : 'missing'}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
