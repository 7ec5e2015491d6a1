export { EmlFileTransport } from './eml-file-transport';
export { MailDeliveryModule } from './mail-delivery.module';
export {
  MAIL_JOB_OPTIONS,
  MAIL_JOB_RETENTION,
  mailJobOptions,
  MailJob,
  type MailJobPayload,
  type MailJobPayloads,
  type OutboxJobName,
  QueueName,
  WEBHOOK_EVENT_JOB,
  type WebhookEventPayload,
} from './mail-jobs';
export { MailProducer } from './mail-producer';
export { InvalidMailJobError, parseMailJob, type ParsedMailJob } from './mail-job-schemas';
export { MailSender, type SentEmail } from './mail-sender';
export { NotificationModule } from './notification.module';
export { mailQueueConnection } from './mail-queue-connection';
export { OutboxMessage } from './outbox-message.entity';
export { OUTBOX_SWEEP_BATCH, OutboxService, type WebhookEventRelay } from './outbox.service';
export {
  EMAIL_ORIGINS,
  EMAIL_STATUSES,
  EMAIL_TEMPLATE_NAMES,
  EmailLogEntry,
  type EmailOrigin,
  type EmailStatus,
  type EmailTemplateName,
} from './email-log/email-log-entry.entity';
export { EmailLogRepository } from './email-log/email-log.repository';
export { type DeliveryAttempt, EmailLogSql, type QueuedEmail } from './email-log/email-log.queries';
export { emailLogIdForJob } from './email-log/email-log-id';
export { type EmailContext, EmailRenderer, type RenderedEmail } from './templates/email-renderer';
export type { CustomerEmail, EmailCustomer, EmailSources, IssuedReset, PreparedEmail } from './emails/customer-email';
export {
  ADMIN_PASSWORD_RESET_EMAIL,
  CUSTOMER_EMAILS,
  EMAIL_CHANGED_EMAIL,
  ACCOUNT_INVITATION_EMAIL,
  PASSWORD_CHANGED_EMAIL,
  PASSWORD_RESET_EMAIL,
} from './emails/customer-emails';
export { EmailTemplates, SAMPLE_TOKEN } from './templates/email-templates.service';
export { describeSendFailure, isPermanentSmtpFailure, smtpResponseCode } from './smtp-errors';
export { OutboxMessageSql } from './outbox-message.queries';
