import nodemailer from 'nodemailer';
import { extractResetToken, RESET_LINK_PREFIX } from './support/helpers';
import { allOf, sentTo, SmtpSink, subjectMatches } from './support/smtp-sink';

/** Self-test of the SMTP sink the e2e suite relies on (no app needed). */
describe('e2e harness: SMTP sink', () => {
  let sink: SmtpSink;

  beforeAll(async () => {
    sink = await SmtpSink.start();
  });

  afterAll(async () => {
    await sink?.stop();
  });

  const transport = () => nodemailer.createTransport({ host: '127.0.0.1', port: sink.listeningPort, secure: false, ignoreTLS: true });

  it('receives and parses a message sent over plain SMTP', async () => {
    const token = 'A'.repeat(43);
    const since = sink.mark();
    await transport().sendMail({
      from: '"Shop" <no-reply@shop.e2e.test>',
      to: 'Someone@Example.com',
      subject: 'Reset your password',
      text: 'plain body',
      html: `<p><a href="${RESET_LINK_PREFIX}${token}&amp;x=1">Set a new password</a></p>`,
    });
    const mail = await sink.waitFor(allOf(sentTo('someone@example.com'), subjectMatches(/reset/i)), { since, timeoutMs: 5000 });
    expect(mail.to).toEqual(['someone@example.com']);
    expect(mail.fromAddress).toBe('no-reply@shop.e2e.test');
    expect(mail.text.trim()).toBe('plain body');
    expect(extractResetToken(mail)).toBe(token);
    expect(mail.headers['subject']).toBe('Reset your password');
  });

  it('fails waitFor with a list of what arrived', async () => {
    await expect(sink.waitFor(sentTo('nobody@example.com'), 300)).rejects.toThrow(/no matching mail within 300 ms.*someone@example\.com/);
    await expect(sink.expectNone(sentTo('someone@example.com'), 100)).rejects.toThrow(/expected no matching mail/);
  });

  it.each([
    ['rcpt', 451],
    ['data', 550],
  ] as const)('refuses mail at %s with %d when told to', async (stage, code) => {
    sink.failWith({ stage, code });
    try {
      await expect(
        transport().sendMail({ from: 'a@shop.e2e.test', to: 'refused@example.com', subject: 'x', text: 'y' }),
      ).rejects.toMatchObject({ responseCode: code });
      expect(sink.rejectedAttempts().at(-1)).toMatchObject({ stage, code, envelopeTo: ['refused@example.com'] });
      expect(sink.find(sentTo('refused@example.com'))).toEqual([]);
    } finally {
      sink.failWith(null);
    }
  });
});
