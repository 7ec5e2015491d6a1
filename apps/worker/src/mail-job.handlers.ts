import { Injectable, Logger } from '@nestjs/common';
import { CustomerRepository } from '@customer-access/customers';
import { MailJob, MailJobPayload, MailSender, parseMailJob } from '@customer-access/notification';
import { IssuedResetToken, PasswordResetService } from '@customer-access/password-reset';
import { SettingsService } from '@customer-access/settings';

export type HandlerOutcome = { sent: boolean; reason?: string };

/**
 * What the worker does for each mail job. Reset tokens are created here, not in the API, so that
 * the raw token exists only in this process's memory and in the email itself.
 */
@Injectable()
export class MailJobHandlers {
  private readonly logger = new Logger(MailJobHandlers.name);

  constructor(
    private readonly passwordReset: PasswordResetService,
    private readonly customers: CustomerRepository,
    private readonly mail: MailSender,
    private readonly settings: SettingsService,
  ) {}

  /** Runs a job from the queue; throws InvalidMailJobError when it does not match its schema. */
  async handle(name: string, data: unknown): Promise<HandlerOutcome> {
    const job = parseMailJob(name, data);
    switch (job.name) {
      case MailJob.PasswordResetRequested:
        return this.passwordResetRequested(job.payload as MailJobPayload<MailJob.PasswordResetRequested>);
      case MailJob.AdminPasswordResetRequested:
        return this.adminPasswordResetRequested(job.payload as MailJobPayload<MailJob.AdminPasswordResetRequested>);
      case MailJob.PasswordChanged:
        return this.passwordChanged(job.payload as MailJobPayload<MailJob.PasswordChanged>);
    }
  }

  private async passwordResetRequested({ email }: MailJobPayload<MailJob.PasswordResetRequested>): Promise<HandlerOutcome> {
    const issued = await this.passwordReset.issueForEmail(email);
    return issued ? this.sendResetEmail(issued, false) : { sent: false, reason: 'no account with this email' };
  }

  private async adminPasswordResetRequested({ customerId }: MailJobPayload<MailJob.AdminPasswordResetRequested>): Promise<HandlerOutcome> {
    const issued = await this.passwordReset.issueForCustomer(customerId);
    return issued ? this.sendResetEmail(issued, true) : { sent: false, reason: 'customer no longer exists' };
  }

  private async sendResetEmail(issued: IssuedResetToken, adminInitiated: boolean): Promise<HandlerOutcome> {
    await this.mail.sendPasswordReset(issued.customer, issued.rawToken, {
      expiresInHours: issued.expiresInHours,
      supportEmail: this.settings.current().supportEmail,
      adminInitiated,
    });
    this.logger.log(`${adminInitiated ? 'Admin-initiated reset' : 'Reset'} email sent to customer ${issued.customer.id}`);
    return { sent: true };
  }

  private async passwordChanged({ customerId }: MailJobPayload<MailJob.PasswordChanged>): Promise<HandlerOutcome> {
    const customer = await this.customers.findById(customerId);
    if (!customer) return { sent: false, reason: 'customer no longer exists' };
    await this.mail.sendPasswordChanged(customer, { supportEmail: this.settings.current().supportEmail });
    this.logger.log(`Password-changed confirmation sent to customer ${customerId}`);
    return { sent: true };
  }
}
