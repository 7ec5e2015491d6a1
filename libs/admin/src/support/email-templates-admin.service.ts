import { Inject, Injectable } from '@nestjs/common';
import Redis from 'ioredis';
import { DomainError, ErrorCode } from '@customer-access/common';
import {
  EMAIL_TEMPLATE_NAMES,
  EmailTemplateName,
  EmailTemplates,
  MailJob,
  MailProducer,
  RenderedEmail,
} from '@customer-access/notification';
import { emailTestSendsKey, REDIS_CLIENT } from '@customer-access/redis';
import { Translator } from '@customer-access/i18n';
import { AdminActor } from '../access/admin-request';
import { AuditAction } from '../audit/audit-event.entity';
import { AuditService } from '../audit/audit.service';

/** Test sends one admin may make per hour: enough to check every template in every language, too few to spam with. */
export const TEST_SENDS_PER_HOUR = 10;
const WINDOW_SECONDS = 3600;

/** INCR and start the window on the first send, atomically (no key ever left without a TTL). */
const COUNT_SEND = `
local n = redis.call('INCR', KEYS[1])
if n == 1 then redis.call('EXPIRE', KEYS[1], ARGV[1]) end
return n`;

export interface EmailTemplateSummary {
  name: EmailTemplateName;
  locales: string[];
}

export type EmailPreview = Pick<RenderedEmail, 'subject' | 'html' | 'text' | 'locale'> & { name: EmailTemplateName };

const templateNotFound = () => new DomainError(ErrorCode.NotFound, 'Email template not found.');

/**
 * The admins' view of the email templates: list, preview with sample data and a sample link (never
 * a token: nothing is written), and a test send to the admin's own address, audited and capped.
 */
@Injectable()
export class EmailTemplatesAdminService {
  constructor(
    private readonly templates: EmailTemplates,
    private readonly translator: Translator,
    private readonly producer: MailProducer,
    private readonly audit: AuditService,
    @Inject(REDIS_CLIENT) private readonly redis: Redis,
  ) {}

  list(): { items: EmailTemplateSummary[] } {
    return { items: EMAIL_TEMPLATE_NAMES.map((name) => ({ name, locales: [...this.templates.locales] })) };
  }

  async preview(name: string, locale: string | undefined): Promise<EmailPreview> {
    const template = this.templateNamed(name);
    const email = await this.templates.preview(template, this.supportedLocale(locale));
    return { name: template, locale: email.locale, subject: email.subject, html: email.html, text: email.text };
  }

  /** Queues the preview for the signed-in admin's own address: the address comes from their account, never the request. */
  async sendTest(actor: AdminActor, name: string, locale: string | undefined): Promise<{ message: string }> {
    const template = this.templateNamed(name);
    const resolved = this.supportedLocale(locale);
    const key = emailTestSendsKey(actor.id);
    const sends = Number(await this.redis.eval(COUNT_SEND, 1, key, WINDOW_SECONDS));
    if (sends > TEST_SENDS_PER_HOUR) {
      const ttl = await this.redis.ttl(key);
      throw new DomainError(
        ErrorCode.TooManyRequests,
        `You can send ${TEST_SENDS_PER_HOUR} test emails per hour. Please wait and try again later.`,
        { retryAfterSeconds: ttl > 0 ? ttl : WINDOW_SECONDS },
      );
    }
    await this.producer.enqueue(MailJob.TestEmail, { template, locale: resolved, to: actor.email, adminId: actor.id });
    await this.audit.record(actor, AuditAction.EmailTestSent, null, { template, locale: resolved });
    return { message: `The test email will be sent to ${actor.email}.` };
  }

  private templateNamed(name: string): EmailTemplateName {
    if (!(EMAIL_TEMPLATE_NAMES as readonly string[]).includes(name)) throw templateNotFound();
    return name as EmailTemplateName;
  }

  /** The supported locale a tag names (`zh_CN` → zh-CN); without one, the `defaultLocale` setting's. */
  private supportedLocale(locale: string | undefined): string {
    if (locale === undefined || locale === '') return this.templates.localeFor(undefined);
    const match = this.translator.match(locale);
    if (!match) {
      throw new DomainError(ErrorCode.Validation, `locale must be one of: ${this.templates.locales.join(', ')}`);
    }
    return match;
  }
}
