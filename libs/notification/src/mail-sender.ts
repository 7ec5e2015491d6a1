import { MailerService } from '@nestjs-modules/mailer';
import { Injectable } from '@nestjs/common';
import { RenderedEmail } from './templates/email-renderer';

/** What the mail server said about an accepted message, for the delivery log. */
export interface SentEmail {
  messageId: string | null;
  /** The SMTP server's final answer, e.g. "250 2.0.0 Ok: queued as 4F3A1". */
  response: string | null;
}

/**
 * Sends a rendered email (worker side): multipart/alternative with the text/plain part first and
 * the HTML second, and a Content-Language header naming the language it is written in.
 */
@Injectable()
export class MailSender {
  constructor(private readonly mailer: MailerService) {}

  async send(to: string, email: RenderedEmail): Promise<SentEmail> {
    const info = (await this.mailer.sendMail({
      to,
      subject: email.subject,
      text: email.text,
      html: email.html,
      headers: { 'Content-Language': email.locale },
    })) as { messageId?: string; response?: string };
    return { messageId: info.messageId ?? null, response: info.response ?? null };
  }
}
