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
 * the HTML second, both base64-encoded UTF-8, and a Content-Language header naming the language.
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
      // base64 for both parts: nodemailer's quoted-printable encoder, in JavaScript, was half of the
      // worker's CPU per email for a 10 KB HTML part; Buffer's base64 is native (BENCHMARKS.md).
      textEncoding: 'base64',
    })) as { messageId?: string; response?: string };
    return { messageId: info.messageId ?? null, response: info.response ?? null };
  }
}
