import { mkdir, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { randomUUID } from 'node:crypto';
import type { SentMessageInfo, Transport } from 'nodemailer';
import type MailMessage from 'nodemailer/lib/mailer/mail-message';

/**
 * The development mail transport (SMTP_URL unset): each message becomes an .eml file that any
 * mail client opens. Same rendering path as SMTP, only the last hop differs.
 */
export class EmlFileTransport implements Transport<SentMessageInfo> {
  readonly name = 'eml-file';
  readonly version = '1.0.0';

  constructor(
    private readonly dir: string,
    private readonly onWritten: (path: string) => void = () => undefined,
  ) {}

  send(mail: MailMessage, callback: (err: Error | null, info: SentMessageInfo) => void): void {
    const envelope = mail.message.getEnvelope();
    const messageId = mail.message.messageId();
    mail.message.build((buildError, raw) => {
      if (buildError) return callback(buildError, undefined as never);
      const file = join(resolve(this.dir), `${new Date().toISOString().replace(/[:.]/g, '-')}-${randomUUID().slice(0, 8)}.eml`);
      mkdir(resolve(this.dir), { recursive: true })
        .then(() => writeFile(file, raw))
        .then(() => {
          this.onWritten(file);
          callback(null, { envelope, messageId, path: file });
        })
        .catch((error: Error) => callback(error, undefined as never));
    });
  }
}
