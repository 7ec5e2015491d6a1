import { AddressInfo } from 'node:net';
import { SMTPServer, SMTPServerAddress, SMTPServerDataStream, SMTPServerSession } from 'smtp-server';
import { AddressObject, simpleParser } from 'mailparser';

/** One message accepted by the sink, parsed by mailparser. */
export interface ReceivedMail {
  /** Order of arrival, starting at 1. Use with `SmtpSink.mark()` to wait only for newer mail. */
  seq: number;
  /** Recipient addresses, lower-cased: the To/Cc headers and the SMTP envelope (RCPT TO) merged. */
  to: string[];
  /** Recipients named in the SMTP envelope only (RCPT TO), lower-cased. */
  envelopeTo: string[];
  /** Envelope sender (MAIL FROM), lower-cased. */
  envelopeFrom: string;
  /** The From header as text, e.g. `"Customer Access" <no-reply@example.com>`. */
  from: string;
  /** The From header's address only, lower-cased. */
  fromAddress: string;
  subject: string;
  html: string;
  text: string;
  /** Header names lower-cased; structured values rendered as text. */
  headers: Record<string, string>;
  /** The message exactly as it came over the wire. */
  raw: string;
  receivedAt: Date;
}

export type MailPredicate = (mail: ReceivedMail) => boolean;

/**
 * Make the sink refuse mail, to exercise the worker's retry and failure handling.
 * `stage: 'rcpt'` answers RCPT TO with `code`, `stage: 'data'` accepts the envelope but refuses the
 * message after DATA. Use a 4xx code for a temporary failure and a 5xx code for a permanent one.
 */
export interface SinkFailure {
  stage: 'rcpt' | 'data';
  code: number;
  message?: string;
}

/** A delivery attempt that the sink refused because of a configured `SinkFailure`. */
export interface RejectedAttempt {
  stage: 'rcpt' | 'data';
  code: number;
  envelopeTo: string[];
  at: Date;
}

export interface WaitOptions {
  /** Default 10 000 ms. */
  timeoutMs?: number;
  /** Only consider mail whose `seq` is greater than this (see `mark()`). */
  since?: number;
}

/** Predicate: the mail was addressed (header or envelope) to `address`. */
export const sentTo =
  (address: string): MailPredicate =>
  (mail) =>
    mail.to.includes(address.toLowerCase());

/** Predicate: the subject matches `pattern`. */
export const subjectMatches =
  (pattern: RegExp): MailPredicate =>
  (mail) =>
    pattern.test(mail.subject);

/** Predicate: every given predicate holds. */
export const allOf =
  (...predicates: MailPredicate[]): MailPredicate =>
  (mail) =>
    predicates.every((p) => p(mail));

function describe(mail: ReceivedMail): string {
  return `#${mail.seq} to=[${mail.to.join(', ')}] subject=${JSON.stringify(mail.subject)}`;
}

function addresses(field: AddressObject | AddressObject[] | undefined): string[] {
  if (!field) return [];
  const list = Array.isArray(field) ? field : [field];
  const out: string[] = [];
  const walk = (entries: AddressObject['value']): void => {
    for (const entry of entries) {
      if (entry.address) out.push(entry.address.toLowerCase());
      if (entry.group) walk(entry.group);
    }
  };
  for (const item of list) walk(item.value);
  return out;
}

function headerText(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'string') return value;
  if (value instanceof Date) return value.toISOString();
  if (Array.isArray(value)) return value.map(headerText).join(', ');
  if (typeof value === 'object') {
    const v = value as { text?: unknown; value?: unknown; params?: unknown };
    if (typeof v.text === 'string') return v.text;
    if (typeof v.value === 'string') {
      const params = v.params && typeof v.params === 'object' ? Object.entries(v.params as Record<string, string>) : [];
      return [v.value, ...params.map(([k, p]) => `${k}=${p}`)].join('; ');
    }
    return JSON.stringify(value);
  }
  return String(value);
}

/**
 * An in-memory SMTP server for end-to-end tests: plain SMTP on 127.0.0.1 (no TLS, no required
 * auth), every accepted message parsed and kept in arrival order.
 */
export class SmtpSink {
  private readonly mails: ReceivedMail[] = [];
  private readonly rejected: RejectedAttempt[] = [];
  private readonly waiters = new Set<() => void>();
  private failure: SinkFailure | null = null;
  private seq = 0;
  private port = 0;

  private constructor(private readonly server: SMTPServer) {}

  static async start(): Promise<SmtpSink> {
    // eslint-disable-next-line prefer-const -- the server callbacks below capture it before it is assigned
    let sink!: SmtpSink;
    const server = new SMTPServer({
      secure: false,
      disabledCommands: ['STARTTLS'],
      authOptional: true,
      logger: false,
      banner: 'customer-access e2e sink',
      closeTimeout: 1000,
      size: 10 * 1024 * 1024,
      onRcptTo(address: SMTPServerAddress, session: SMTPServerSession, callback: (err?: Error | null) => void) {
        sink.onRcptTo(address, session, callback);
      },
      onData(stream: SMTPServerDataStream, session: SMTPServerSession, callback: (err?: Error | null) => void) {
        sink.onData(stream, session, callback);
      },
    });
    sink = new SmtpSink(server);
    server.on('error', () => {
      /* client resets etc.: never fatal for a test sink */
    });
    await new Promise<void>((resolve, reject) => {
      server.server.once('error', reject);
      server.listen(0, '127.0.0.1', () => {
        server.server.off('error', reject);
        resolve();
      });
    });
    sink.port = (server.server.address() as AddressInfo).port;
    return sink;
  }

  get url(): string {
    return `smtp://127.0.0.1:${this.port}`;
  }

  get listeningPort(): number {
    return this.port;
  }

  /** Every accepted message so far, in arrival order. */
  all(): ReceivedMail[] {
    return [...this.mails];
  }

  /** Accepted messages matching `predicate`. */
  find(predicate: MailPredicate, since = 0): ReceivedMail[] {
    return this.mails.filter((m) => m.seq > since && predicate(m));
  }

  /** The current sequence number: pass it as `since` to wait only for mail that arrives later. */
  mark(): number {
    return this.seq;
  }

  /** Forgets every accepted message and rejected attempt (sequence numbers keep growing). */
  clear(): void {
    this.mails.length = 0;
    this.rejected.length = 0;
  }

  /** Delivery attempts refused because of `failWith`. */
  rejectedAttempts(): RejectedAttempt[] {
    return [...this.rejected];
  }

  /** Refuse all further mail as described, or accept again with `null`. */
  failWith(failure: SinkFailure | null): void {
    this.failure = failure;
  }

  /**
   * Resolves with the first message (oldest first, after `since`) matching `predicate`, waiting up
   * to `timeoutMs`. Rejects with a list of everything that did arrive, so a failure explains itself.
   */
  waitFor(predicate: MailPredicate, options: number | WaitOptions = {}): Promise<ReceivedMail> {
    const { timeoutMs = 10_000, since = 0 } = typeof options === 'number' ? { timeoutMs: options } : options;
    const found = this.find(predicate, since)[0];
    if (found) return Promise.resolve(found);
    return new Promise((resolve, reject) => {
      const check = (): void => {
        const match = this.find(predicate, since)[0];
        if (match) {
          clearTimeout(timer);
          this.waiters.delete(check);
          resolve(match);
        }
      };
      const timer = setTimeout(() => {
        this.waiters.delete(check);
        const arrived = this.mails.filter((m) => m.seq > since).map(describe);
        const refused = this.rejected.map((r) => `${r.stage} ${r.code} to=[${r.envelopeTo.join(', ')}]`);
        reject(
          new Error(
            `SMTP sink: no matching mail within ${timeoutMs} ms. ` +
              `Arrived since #${since}: ${arrived.length ? arrived.join('; ') : 'nothing'}` +
              (refused.length ? `. Refused attempts: ${refused.join('; ')}` : ''),
          ),
        );
      }, timeoutMs);
      this.waiters.add(check);
    });
  }

  /**
   * Resolves when `quietMs` pass without a message matching `predicate` (after `since`); rejects as
   * soon as one exists, naming it.
   */
  async expectNone(predicate: MailPredicate, quietMs: number, since = 0): Promise<void> {
    const unexpected = await this.waitFor(predicate, { timeoutMs: quietMs, since }).catch(() => null);
    if (unexpected) {
      throw new Error(`SMTP sink: expected no matching mail, but got ${describe(unexpected)}`);
    }
  }

  async stop(): Promise<void> {
    for (const wake of this.waiters) wake();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private onRcptTo(address: SMTPServerAddress, session: SMTPServerSession, callback: (err?: Error | null) => void): void {
    const failure = this.failure;
    if (failure?.stage === 'rcpt') {
      this.rejected.push({ stage: 'rcpt', code: failure.code, envelopeTo: [address.address.toLowerCase()], at: new Date() });
      callback(this.smtpError(failure));
      return;
    }
    callback();
  }

  private onData(stream: SMTPServerDataStream, session: SMTPServerSession, callback: (err?: Error | null) => void): void {
    const chunks: Buffer[] = [];
    stream.on('data', (chunk: Buffer) => chunks.push(chunk));
    stream.on('error', (err: Error) => callback(err));
    stream.on('end', () => {
      const envelopeTo = session.envelope.rcptTo.map((r) => r.address.toLowerCase());
      const failure = this.failure;
      if (failure?.stage === 'data') {
        this.rejected.push({ stage: 'data', code: failure.code, envelopeTo, at: new Date() });
        callback(this.smtpError(failure));
        return;
      }
      const raw = Buffer.concat(chunks);
      simpleParser(raw)
        .then((parsed) => {
          const headers: Record<string, string> = {};
          for (const [name, value] of parsed.headers) headers[name.toLowerCase()] = headerText(value);
          const headerTo = [...addresses(parsed.to), ...addresses(parsed.cc)];
          const mailFrom = session.envelope.mailFrom;
          const fromAddresses = addresses(parsed.from);
          const mail: ReceivedMail = {
            seq: ++this.seq,
            to: [...new Set([...headerTo, ...envelopeTo])],
            envelopeTo,
            envelopeFrom: mailFrom ? mailFrom.address.toLowerCase() : '',
            from: parsed.from?.text ?? '',
            fromAddress: fromAddresses[0] ?? '',
            subject: parsed.subject ?? '',
            html: typeof parsed.html === 'string' ? parsed.html : '',
            text: parsed.text ?? '',
            headers,
            raw: raw.toString('utf8'),
            receivedAt: new Date(),
          };
          this.mails.push(mail);
          callback();
          for (const wake of [...this.waiters]) wake();
        })
        .catch((err: Error) => callback(err));
    });
  }

  private smtpError(failure: SinkFailure): Error {
    const err = new Error(failure.message ?? (failure.code >= 500 ? 'Mailbox unavailable (e2e sink)' : 'Try again later (e2e sink)'));
    (err as Error & { responseCode: number }).responseCode = failure.code;
    return err;
  }
}
