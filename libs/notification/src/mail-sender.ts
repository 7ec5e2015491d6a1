import { ISendMailOptions, MailerService } from '@nestjs-modules/mailer';
import { Inject, Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import addressparser from 'nodemailer/lib/addressparser';
import MailComposer from 'nodemailer/lib/mail-composer';
import { APP_CONFIG, AppConfig } from '@customer-access/config';
import { buildMessageSync } from './mime-message';
import { RenderedEmail } from './templates/email-renderer';

/** What the mail server said about an accepted message, for the delivery log. */
export interface SentEmail {
  /** The Message-ID header of the message sent. */
  messageId: string | null;
  /** The SMTP server's final answer, e.g. "250 2.0.0 Ok: queued as 4F3A1". */
  response: string | null;
}

/**
 * Sends a rendered email (worker side): multipart/alternative with the text/plain part first and
 * the HTML second, both base64-encoded UTF-8, and a Content-Language header naming the language.
 *
 * Performance (docs/performance.md, worker): the message is built into one buffer first
 * (`buildMessageSync`: nodemailer's MailComposer tree and header encoding, without its streams),
 * which the transport then sends as it is (`raw`). Handed the parts instead, the SMTP
 * transport streams the message it builds onto the socket piece by piece, a write (a system call,
 * and a wake-up of the server) per piece; a prebuilt message goes out in one or two. The message is
 * byte for byte what nodemailer would have built.
 */
@Injectable()
export class MailSender {
  /** The domain of Message-IDs: the sender address's, as nodemailer would take it. */
  private readonly messageIdDomain: string;
  /** MAIL_FROM's address, and its display name when it has one (which then overrides the store's name). */
  private readonly sender: { address: string; name: string };
  /** Parsed store view senders, by their text (a handful of store views). */
  private readonly senders = new Map<string, { address: string; name: string; domain: string }>();
  private readonly mailFrom: string;

  constructor(
    private readonly mailer: MailerService,
    @Inject(APP_CONFIG) config: AppConfig,
  ) {
    const [sender] = addressparser(config.mailFrom, { flatten: true });
    this.sender = { address: sender?.address ?? config.mailFrom, name: sender?.name ?? '' };
    this.messageIdDomain = this.sender.address.split('@').pop() || 'localhost';
    this.mailFrom = config.mailFrom;
  }

  /** The sender of an email: its store view's From, else MAIL_FROM; a display name in it overrides the store's name. */
  private senderOf(from: string | undefined): { address: string; name: string; domain: string } {
    if (!from || from === this.mailFrom) return { ...this.sender, domain: this.messageIdDomain };
    let sender = this.senders.get(from);
    if (!sender) {
      const [parsed] = addressparser(from, { flatten: true });
      const address = parsed?.address ?? from;
      sender = { address, name: parsed?.name ?? '', domain: address.split('@').pop() || 'localhost' };
      if (this.senders.size > 1000) this.senders.clear();
      this.senders.set(from, sender);
    }
    return sender;
  }

  async send(to: string, email: RenderedEmail): Promise<SentEmail> {
    // One UUID makes the Message-ID and the multipart boundary unique. nodemailer would draw them
    // with six crypto.randomBytes calls, each a costly call into OpenSSL here (docs/performance.md, worker);
    // randomUUID draws from a buffered pool. Same shapes: <uuid@sender-domain>, a hex boundary base.
    const unique = randomUUID();
    const sender = this.senderOf(email.from);
    const messageId = `<${unique}@${sender.domain}>`;
    const baseBoundary = unique.replace(/-/g, '');
    const message = new MailComposer({
      messageId,
      baseBoundary,
      // The sender's name is the store's (the email's), unless MAIL_FROM names one itself.
      from: { name: sender.name || email.senderName, address: sender.address },
      to,
      subject: email.subject,
      text: email.text,
      html: email.html,
      headers: { 'Content-Language': email.locale },
      // base64 for both parts: nodemailer's quoted-printable encoder, in JavaScript, costs half of the
      // worker's CPU per email for a 10 KB HTML part; Buffer's base64 is native (docs/performance.md).
      textEncoding: 'base64',
    }).compile();
    // Built in one string (nodemailer's headers, the parts encoded here), not streamed through
    // MimeNode.build()'s pipelines: the transport streams the raw message once more anyway.
    const raw = buildMessageSync(message) ?? (await message.build());
    // The Message-ID is passed along so that nodemailer reports the one in the message (it would
    // otherwise make up another for the raw message, which it does not parse).
    const info = (await this.mailer.sendMail({ envelope: message.getEnvelope(), raw, messageId, baseBoundary } as ISendMailOptions)) as {
      response?: string;
    };
    return { messageId, response: info.response ?? null };
  }
}
