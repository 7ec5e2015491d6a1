import { Injectable, Logger } from '@nestjs/common';
import { CustomerContact, CustomerRepository } from '@customer-access/customers';
import {
  describeSendFailure,
  EmailData,
  EmailLogRepository,
  emailLogIdForJob,
  EmailOrigin,
  EmailTemplateName,
  EmailTemplates,
  isPermanentSmtpFailure,
  MailJob,
  MailJobPayload,
  MailSender,
  parseMailJob,
  SentEmail,
} from '@customer-access/notification';
import { IssuedResetToken, PasswordResetService } from '@customer-access/password-reset';

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

/** One customer email to send and log. */
interface CustomerEmail {
  customer: CustomerContact;
  /** Where it goes when not to the customer's stored address. */
  to?: string;
  template: EmailTemplateName;
  origin: EmailOrigin;
  logId: string;
  resetTokenId: string | null;
  data: Omit<EmailData, 'firstName' | 'storeName' | 'supportEmail'>;
}

/**
 * What the worker does for each mail job. Reset tokens are created here, not in the API, so that
 * the raw token exists only in this process's memory and in the email itself. Every customer email
 * goes out in the customer's language, and each attempt's outcome is written to the delivery log.
 */
@Injectable()
export class MailJobHandlers {
  private readonly logger = new Logger(MailJobHandlers.name);

  constructor(
    private readonly passwordReset: PasswordResetService,
    private readonly customers: CustomerRepository,
    private readonly mail: MailSender,
    private readonly templates: EmailTemplates,
    private readonly emailLog: EmailLogRepository,
  ) {}

  /** Runs a job from the queue; throws InvalidMailJobError when it does not match its schema. */
  async handle(name: string, data: unknown, job: JobContext): Promise<HandlerOutcome> {
    const parsed = parseMailJob(name, data);
    switch (parsed.name) {
      case MailJob.PasswordResetRequested:
        return this.passwordResetRequested(parsed.payload as MailJobPayload<MailJob.PasswordResetRequested>, job);
      case MailJob.AdminPasswordResetRequested:
        return this.adminPasswordResetRequested(parsed.payload as MailJobPayload<MailJob.AdminPasswordResetRequested>, job);
      case MailJob.PasswordChanged:
        return this.passwordChanged(parsed.payload as MailJobPayload<MailJob.PasswordChanged>, job);
      case MailJob.TestEmail:
        return this.testEmail(parsed.payload as MailJobPayload<MailJob.TestEmail>);
      case MailJob.EmailChanged:
        return this.emailChanged(parsed.payload as MailJobPayload<MailJob.EmailChanged>, job);
    }
  }

  private async passwordResetRequested(
    { email }: MailJobPayload<MailJob.PasswordResetRequested>,
    job: JobContext,
  ): Promise<HandlerOutcome> {
    const issued = await this.passwordReset.issueForEmail(email);
    if (!issued) return { sent: false, reason: 'no account with this email' };
    await this.sendReset(issued, 'password-reset', 'storefront', emailLogIdForJob(job.id, job.createdAtMs), job);
    this.logger.log(`Reset email sent to customer ${issued.customer.id}`);
    return { sent: true };
  }

  private async adminPasswordResetRequested(
    { customerId, emailLogId }: MailJobPayload<MailJob.AdminPasswordResetRequested>,
    job: JobContext,
  ): Promise<HandlerOutcome> {
    const issued = await this.passwordReset.issueForCustomer(customerId);
    if (!issued) return { sent: false, reason: 'customer no longer exists' };
    await this.sendReset(issued, 'admin-password-reset', 'admin', emailLogId ?? emailLogIdForJob(job.id, job.createdAtMs), job);
    this.logger.log(`Admin-initiated reset email sent to customer ${issued.customer.id}`);
    return { sent: true };
  }

  private sendReset(
    issued: IssuedResetToken,
    template: EmailTemplateName,
    origin: EmailOrigin,
    logId: string,
    job: JobContext,
  ): Promise<SentEmail> {
    return this.deliver(
      {
        customer: issued.customer,
        template,
        origin,
        logId,
        resetTokenId: issued.tokenId,
        data: { resetLink: this.templates.resetLink(issued.rawToken), expiresInHours: issued.expiresInHours, expiresAt: issued.expiresAt },
      },
      job,
    );
  }

  private async passwordChanged({ customerId }: MailJobPayload<MailJob.PasswordChanged>, job: JobContext): Promise<HandlerOutcome> {
    const customer = await this.customers.findContactById(customerId);
    if (!customer) return { sent: false, reason: 'customer no longer exists' };
    await this.deliver(
      {
        customer,
        template: 'password-changed',
        origin: 'system',
        logId: emailLogIdForJob(job.id, job.createdAtMs),
        resetTokenId: null,
        data: { changedAt: customer.passwordChangedAt },
      },
      job,
    );
    this.logger.log(`Password-changed confirmation sent to customer ${customerId}`);
    return { sent: true };
  }

  /** The "email changed" notice goes to the previous address: the one the customer may still read if the change was not theirs. */
  private async emailChanged(
    { customerId, previousEmail, adminId }: MailJobPayload<MailJob.EmailChanged>,
    job: JobContext,
  ): Promise<HandlerOutcome> {
    const customer = await this.customers.findContactById(customerId);
    if (!customer) return { sent: false, reason: 'customer no longer exists' };
    await this.deliver(
      {
        customer,
        to: previousEmail,
        template: 'email-changed',
        origin: adminId ? 'admin' : 'system',
        logId: emailLogIdForJob(job.id, job.createdAtMs),
        resetTokenId: null,
        data: { changedAt: new Date(job.createdAtMs) },
      },
      job,
    );
    this.logger.log(`Email-changed notice sent to the previous address of customer ${customerId}`);
    return { sent: true };
  }

  /** The admin's own preview, sent to the admin's own address (the API checked and audited it). */
  private async testEmail({ template, locale, to, adminId }: MailJobPayload<MailJob.TestEmail>): Promise<HandlerOutcome> {
    await this.mail.send(to, await this.templates.preview(template, locale));
    this.logger.log(`Test email "${template}" (${locale}) sent to admin ${adminId}`);
    return { sent: true };
  }

  /**
   * Renders in the customer's language, sends, and logs the attempt. A log write that fails after
   * a successful send is only warned about: failing the job would send the email a second time.
   */
  private async deliver(email: CustomerEmail, job: JobContext): Promise<SentEmail> {
    const locale = this.templates.localeFor(email.customer.locale);
    const rendered = await this.templates.render(email.template, locale, {
      ...this.templates.branding(),
      firstName: email.customer.firstName,
      ...email.data,
    });
    const attempt = {
      id: email.logId,
      customerId: email.customer.id,
      template: email.template,
      origin: email.origin,
      locale,
      attempts: job.attempt,
      requestedAt: new Date(job.createdAtMs),
      resetTokenId: email.resetTokenId,
    };
    let sent: SentEmail;
    try {
      sent = await this.mail.send(email.to ?? email.customer.email, rendered);
    } catch (error) {
      const final = isPermanentSmtpFailure(error) || job.attempt >= job.maxAttempts;
      await this.emailLog
        .recordAttempt({ ...attempt, status: final ? 'failed' : 'retrying', lastError: describeSendFailure(error) })
        .catch((logError) => this.logger.warn(`Could not log the failed delivery of email ${email.logId}: ${logError}`));
      throw error;
    }
    await this.emailLog
      .recordAttempt({ ...attempt, status: 'sent', messageId: sent.messageId, smtpResponse: sent.response })
      .catch((logError) => this.logger.warn(`Could not log the delivery of email ${email.logId}: ${logError}`));
    return sent;
  }
}
