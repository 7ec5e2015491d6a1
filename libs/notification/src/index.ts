export { EmlFileTransport } from './eml-file-transport';
export { MailDeliveryModule } from './mail-delivery.module';
export { MAIL_JOB_OPTIONS, mailJobOptions, MailJob, MailJobPayload, MailJobPayloads, QueueName } from './mail-jobs';
export { MailProducer } from './mail-producer';
export { MailSender, Recipient } from './mail-sender';
export { NotificationModule } from './notification.module';
export { OutboxMessage } from './outbox-message.entity';
export { OutboxService } from './outbox.service';
export { insertOutboxMessageSql } from './outbox.queries';
