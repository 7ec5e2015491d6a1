import { MailerService } from '@nestjs-modules/mailer';
import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, AppConfig } from '@customer-access/config';

export interface Recipient {
  email: string;
  firstName: string;
  locale: string;
}

/**
 * Renders and sends the customer emails (worker side). Links are built from STOREFRONT_URL only:
 * nothing a client sent, such as a Host header, can reach them.
 */
@Injectable()
export class MailSender {
  constructor(
    private readonly mailer: MailerService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  resetLink(rawToken: string): string {
    return `${this.config.storefrontUrl}/customer/account/createPassword?token=${encodeURIComponent(rawToken)}`;
  }

  async sendPasswordReset(
    to: Recipient,
    rawToken: string,
    details: { expiresInHours: number; supportEmail: string; adminInitiated: boolean },
  ): Promise<void> {
    await this.mailer.sendMail({
      to: to.email,
      subject: details.adminInitiated ? 'Reset your password (sent by customer service)' : 'Reset your password',
      template: details.adminInitiated ? 'admin-password-reset' : 'password-reset',
      context: {
        firstName: to.firstName,
        locale: to.locale,
        resetLink: this.resetLink(rawToken),
        expiresInHours: details.expiresInHours,
        supportEmail: details.supportEmail,
      },
    });
  }

  async sendPasswordChanged(to: Recipient, details: { supportEmail: string }): Promise<void> {
    await this.mailer.sendMail({
      to: to.email,
      subject: 'Your password has been changed',
      template: 'password-changed',
      context: { firstName: to.firstName, locale: to.locale, supportEmail: details.supportEmail },
    });
  }
}
