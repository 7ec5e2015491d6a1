import { Entity, Enum, Index, PrimaryKey, Property } from '@mikro-orm/core';

/** The emails this service sends to customers, by their template name (docs/api.md, Admin routes). */
export const EMAIL_TEMPLATE_NAMES = [
  'password-reset',
  'admin-password-reset',
  'password-changed',
  'email-changed',
  'account-invitation',
] as const;
export type EmailTemplateName = (typeof EMAIL_TEMPLATE_NAMES)[number];

/** Who asked for the email: the customer on the storefront, an admin, or the system (a confirmation). */
export const EMAIL_ORIGINS = ['storefront', 'admin', 'system'] as const;
export type EmailOrigin = (typeof EMAIL_ORIGINS)[number];

export const EMAIL_STATUSES = ['queued', 'sent', 'retrying', 'failed'] as const;
export type EmailStatus = (typeof EMAIL_STATUSES)[number];

/**
 * One email to a customer and how its delivery went: the support timeline ("I never got the
 * email"). Written by the API (admin-initiated emails, `queued` in the request's transaction) and
 * by the worker (each attempt's outcome). It never holds a token or a link: a reset email keeps
 * only the id of its token row, whose fate (used, superseded, expired) is joined at read time.
 *
 * Purged by `requested_at` after EMAIL_LOG_RETENTION_DAYS (the worker's retention job).
 */
@Entity({ tableName: 'email_log' })
@Index({ name: 'email_log_customer_idx', properties: ['customerId', 'requestedAt'] })
@Index({ name: 'email_log_requested_at_idx', properties: ['requestedAt'] })
export class EmailLogEntry {
  @PrimaryKey({ type: 'uuid' })
  id!: string;

  /** No foreign key, like the audit log: a row is purged by age, not with anything it names. */
  @Property({ type: 'uuid' })
  customerId!: string;

  @Enum({ items: [...EMAIL_TEMPLATE_NAMES], type: 'text' })
  template!: EmailTemplateName;

  @Enum({ items: [...EMAIL_ORIGINS], type: 'text' })
  origin!: EmailOrigin;

  /** The locale the email was (or will be) written in, e.g. zh-CN. */
  @Property({ type: 'text' })
  locale!: string;

  @Enum({ items: [...EMAIL_STATUSES], type: 'text' })
  status!: EmailStatus;

  /** The store view whose link base, sender and name the email has (null: rows older than store views). */
  @Property({ type: 'text', nullable: true })
  storeViewCode: string | null = null;

  /** Delivery attempts made so far. */
  @Property({ type: 'integer' })
  attempts: number = 0;

  /** When the email was asked for (the API request), not when the worker got to it. */
  @Property({ type: 'timestamptz' })
  requestedAt!: Date;

  @Property({ type: 'timestamptz', nullable: true })
  sentAt: Date | null = null;

  /** The Message-ID header of the sent email, to find it in the mail server's logs. */
  @Property({ type: 'text', nullable: true })
  messageId: string | null = null;

  /** The mail server's answer to the accepted message, e.g. "250 2.0.0 Ok: queued as …". */
  @Property({ type: 'text', nullable: true })
  smtpResponse: string | null = null;

  @Property({ type: 'text', nullable: true })
  lastError: string | null = null;

  /** Reset emails: the password_reset_token row the link belongs to (the row's id, never the token). */
  @Property({ type: 'uuid', nullable: true })
  resetTokenId: string | null = null;

  @Property({ type: 'timestamptz' })
  updatedAt!: Date;
}
