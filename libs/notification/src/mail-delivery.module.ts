import { MailerModule, MailerOptions } from '@nestjs-modules/mailer';
import { Logger, Module } from '@nestjs/common';
import { APP_CONFIG, AppConfig } from '@customer-access/config';
import { EmlFileTransport } from './eml-file-transport';
import { MailSender } from './mail-sender';

/** SMTP connections the worker keeps open and sends on in parallel (the bench's anchor uses as many). */
export const SMTP_POOL_MAX_CONNECTIONS = 5;

/**
 * Consumer side: the mail transport, SMTP (or .eml files). Emails arrive rendered (EmailTemplates:
 * MJML compiled once per template and locale), so the mailer's own template engines are not used.
 */
@Module({
  imports: [
    MailerModule.forRootAsync({
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig): MailerOptions => {
        const logger = new Logger('Mail');
        const transport = config.smtpUrl
          ? {
              url: config.smtpUrl,
              // A pooled transport reuses SMTP connections across the worker's concurrent jobs.
              pool: true,
              maxConnections: SMTP_POOL_MAX_CONNECTIONS,
              connectionTimeout: 10_000,
              greetingTimeout: 10_000,
              socketTimeout: 20_000,
            }
          : new EmlFileTransport(config.mailDir, (path) => logger.log(`Email written to ${path}`));
        if (!config.smtpUrl) logger.log(`SMTP_URL is not set: emails are written as .eml files under ${config.mailDir}/`);
        return {
          transport,
          defaults: { from: config.mailFrom } as MailerOptions['defaults'],
        };
      },
    }),
  ],
  providers: [MailSender],
  exports: [MailSender],
})
export class MailDeliveryModule {}
