import { MikroOrmModule } from '@mikro-orm/nestjs';
import { BullModule } from '@nestjs/bullmq';
import { Module } from '@nestjs/common';
import { I18nModule } from '@customer-access/i18n';
import { EmailLogEntry } from './email-log/email-log-entry.entity';
import { EmailLogRepository } from './email-log/email-log.repository';
import { QueueName } from './mail-jobs';
import { MailProducer } from './mail-producer';
import { OutboxMessage } from './outbox-message.entity';
import { OutboxService } from './outbox.service';
import { EmailTemplates } from './templates/email-templates.service';

/**
 * Producer side of the mail queue, with the outbox, the email templates (previews render them in
 * the API) and the delivery log. Imported by the API and the worker. Needs the global
 * SettingsModule; imports the (global, single) I18nModule itself for the templates' texts.
 */
@Module({
  imports: [
    I18nModule,
    BullModule.registerQueue({ name: QueueName.Mail }, { name: QueueName.Webhooks }),
    MikroOrmModule.forFeature([OutboxMessage, EmailLogEntry]),
  ],
  providers: [MailProducer, OutboxService, EmailTemplates, EmailLogRepository],
  exports: [MailProducer, OutboxService, EmailTemplates, EmailLogRepository, BullModule],
})
export class NotificationModule {}
