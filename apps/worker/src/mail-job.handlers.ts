import { Injectable, Logger } from '@nestjs/common';
import { CustomerRepository } from '@customer-access/customers';
import {
  ADMIN_PASSWORD_RESET_EMAIL,
  CustomerEmail,
  describeSendFailure,
  EmailCustomer,
  EMAIL_CHANGED_EMAIL,
  ACCOUNT_INVITATION_EMAIL,
  EmailLogRepository,
  emailLogIdForJob,
  EmailSources,
  EmailTemplates,
  isPermanentSmtpFailure,
  MailJob,
  MailJobPayloads,
  MailSender,
  ParsedMailJob,
  parseMailJob,
  PASSWORD_CHANGED_EMAIL,
  PASSWORD_RESET_EMAIL,
} from '@customer-access/notification';
import { PasswordResetService } from '@customer-access/password-reset';
import { DEFAULT_STORE_VIEW, ResolvedStoreView, SettingsService, StoreRegistry } from '@customer-access/settings';

/**
 * The store view an email comes from (docs/api.md, Stores): a storefront reset follows the request's
 * store view, carried in its job (jobs older than store views: default); every other email, the
 * customer's own store view (where the account registered), whichever store view an admin looks at.
 */
export function emailStoreViewCode(job: MailJob, payload: object, customer: Pick<EmailCustomer, 'storeViewCode'>): string {
  if (job === MailJob.PasswordResetRequested) return (payload as { storeView?: string }).storeView ?? DEFAULT_STORE_VIEW;
  return customer.storeViewCode ?? DEFAULT_STORE_VIEW;
}

export type HandlerOutcome = { sent: boolean; reason?: string };

/** What a handler needs to know about the queue job it runs. */
export interface JobContext {
  id: string;
  /** When the job was queued (ms): the time the email was asked for. */
  createdAtMs: number;
  /** This attempt, from 1. */
  attempt: number;
  maxAttempts: number;
}

/** The handler of job name N: it gets that name's payload type. */
type MailJobHandler<N extends MailJob> = (payload: MailJobPayloads[N], job: JobContext) => Promise<HandlerOutcome>;

/**
 * What the worker does for each mail job: one handler per job name, typed by the name's payload (a
 * new job name does not compile until it has one). A customer email is sent as its declaration
 * (libs/notification/src/emails/customer-emails.ts) says; reset tokens are issued here, not in the
 * API, so that the raw token exists only in this process's memory and in the email. Every customer
 * email goes out in the customer's language, and each attempt's outcome is written to the delivery log.
 */
@Injectable()
export class MailJobHandlers {
  private readonly logger = new Logger(MailJobHandlers.name);
  private readonly sources: EmailSources;
  private readonly handlers: { [N in MailJob]: MailJobHandler<N> } = {
    [MailJob.PasswordResetRequested]: (payload, job) => this.sendCustomerEmail(PASSWORD_RESET_EMAIL, payload, job),
    [MailJob.AdminPasswordResetRequested]: (payload, job) => this.sendCustomerEmail(ADMIN_PASSWORD_RESET_EMAIL, payload, job),
    [MailJob.PasswordChanged]: (payload, job) => this.sendCustomerEmail(PASSWORD_CHANGED_EMAIL, payload, job),
    [MailJob.EmailChanged]: (payload, job) => this.sendCustomerEmail(EMAIL_CHANGED_EMAIL, payload, job),
    [MailJob.AccountInvitation]: (payload, job) => this.sendCustomerEmail(ACCOUNT_INVITATION_EMAIL, payload, job),
    [MailJob.TestEmail]: (payload) => this.sendTestEmail(payload),
  };

  constructor(
    passwordReset: PasswordResetService,
    customers: CustomerRepository,
    private readonly mail: MailSender,
    private readonly templates: EmailTemplates,
    private readonly emailLog: EmailLogRepository,
    private readonly stores: StoreRegistry,
    settings: SettingsService,
  ) {
    this.sources = {
      // Within the request's website (accountSharingScope = website), else in any website.
      issueResetForEmail: async (email, storeView) => {
        const view = await stores.forEmailFresh(storeView ?? DEFAULT_STORE_VIEW);
        return passwordReset.issueForEmail(email, settings.current().accountSharingScope === 'global' ? null : view.websiteCode);
      },
      issueResetForCustomer: (customerId) => passwordReset.issueForCustomer(customerId),
      issueInvitation: (customerId) => passwordReset.issueInvitation(customerId),
      findCustomer: (customerId) => customers.findContactById(customerId),
    };
  }

  /** Runs a job from the queue; throws InvalidMailJobError when it does not match its schema. */
  async handle(name: string, data: unknown, job: JobContext): Promise<HandlerOutcome> {
    return this.dispatch(parseMailJob(name, data), job);
  }

  private dispatch<N extends MailJob>(parsed: ParsedMailJob<N>, job: JobContext): Promise<HandlerOutcome> {
    return this.handlers[parsed.name](parsed.payload, job);
  }

  /**
   * Prepares the email its declaration describes, renders it in the customer's language, sends it
   * and logs the attempt. A log write that fails after a successful send is only warned about:
   * failing the job would send the email a second time.
   */
  private async sendCustomerEmail<N extends MailJob>(
    email: CustomerEmail<N>,
    payload: MailJobPayloads[N],
    job: JobContext,
  ): Promise<HandlerOutcome> {
    const viewOf = (customer: EmailCustomer): ResolvedStoreView => this.stores.forEmail(emailStoreViewCode(email.job, payload, customer));
    const prepared = await email.prepare(payload, this.sources, this.templates.linksOf(viewOf), { requestedAt: new Date(job.createdAtMs) });
    if (!prepared) return { sent: false, reason: email.skipReason };
    const view = viewOf(prepared.customer);
    const rendered = await this.templates.render(email.template, prepared, view);
    const logId = prepared.logId ?? emailLogIdForJob(job.id, job.createdAtMs);
    const attempt = {
      id: logId,
      customerId: prepared.customer.id,
      template: email.template,
      origin: email.origin,
      locale: rendered.locale,
      storeViewCode: view.code,
      attempts: job.attempt,
      requestedAt: new Date(job.createdAtMs),
      resetTokenId: prepared.resetTokenId,
    };
    let sent;
    try {
      sent = await this.mail.send(prepared.to, rendered);
    } catch (error) {
      const final = isPermanentSmtpFailure(error) || job.attempt >= job.maxAttempts;
      await this.emailLog
        .recordAttempt({ ...attempt, status: final ? 'failed' : 'retrying', lastError: describeSendFailure(error) })
        .catch((logError) => this.logger.warn(`Could not log the failed delivery of email ${logId}: ${logError}`));
      throw error;
    }
    await this.emailLog
      .recordAttempt({ ...attempt, status: 'sent', messageId: sent.messageId, smtpResponse: sent.response })
      .catch((logError) => this.logger.warn(`Could not log the delivery of email ${logId}: ${logError}`));
    this.logger.log(`Email ${email.template} sent to customer ${prepared.customer.id}`);
    return { sent: true };
  }

  /** The admin's own preview, sent to the admin's own address (the API checked and audited it). */
  private async sendTestEmail({ template, locale, to, adminId }: MailJobPayloads[MailJob.TestEmail]): Promise<HandlerOutcome> {
    await this.mail.send(to, await this.templates.preview(template, locale));
    this.logger.log(`Test email "${template}" (${locale}) sent to admin ${adminId}`);
    return { sent: true };
  }
}
