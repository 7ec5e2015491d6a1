import { MailerModule, MailerOptions } from '@nestjs-modules/mailer';
import type { HandlebarsAdapter as HandlebarsAdapterClass } from '@nestjs-modules/mailer/dist/adapters/handlebars.adapter';
import { Logger, Module } from '@nestjs/common';
import { join } from 'node:path';
import { projectRoot } from '@customer-access/common';
import { APP_CONFIG, AppConfig } from '@customer-access/config';
import { EmlFileTransport } from './eml-file-transport';
import { MailSender } from './mail-sender';

// The package exports its adapters under this subpath only; TypeScript's node10 resolution cannot see it.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { HandlebarsAdapter } = require('@nestjs-modules/mailer/adapters/handlebars.adapter') as {
  HandlebarsAdapter: typeof HandlebarsAdapterClass;
};

export const TEMPLATES_DIR = join(projectRoot(), 'libs/notification/templates');

/** Consumer side: renders the Handlebars templates and sends them over SMTP (or to .eml files). */
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
              maxConnections: 5,
              connectionTimeout: 10_000,
              greetingTimeout: 10_000,
              socketTimeout: 20_000,
            }
          : new EmlFileTransport(config.mailDir, (path) => logger.log(`Email written to ${path}`));
        if (!config.smtpUrl) logger.log(`SMTP_URL is not set: emails are written as .eml files under ${config.mailDir}/`);
        return {
          transport,
          defaults: { from: config.mailFrom } as MailerOptions['defaults'],
          template: {
            dir: TEMPLATES_DIR,
            adapter: new HandlebarsAdapter(undefined, { inlineCssEnabled: false }),
            options: { strict: true },
          },
        };
      },
    }),
  ],
  providers: [MailSender],
  exports: [MailSender],
})
export class MailDeliveryModule {}
