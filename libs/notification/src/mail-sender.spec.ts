import type { MailerService } from '@nestjs-modules/mailer';
import type { AppConfig } from '@customer-access/config';
import { MailSender } from './mail-sender';

describe('MailSender', () => {
  it('builds the multipart message once and sends it as is, with the Message-ID it reports', async () => {
    const sent: Array<{ raw: Buffer; envelope: { from: string; to: string[] }; messageId: string }> = [];
    const mailer = {
      sendMail: (options: { raw: Buffer; envelope: { from: string; to: string[] }; messageId: string }) => {
        sent.push(options);
        return Promise.resolve({ response: '250 2.0.0 Ok: queued as 4F3A1' });
      },
    } as unknown as MailerService;
    const sender = new MailSender(mailer, { mailFrom: '"My Store" <no-reply@shop.example>' } as AppConfig);
    const result = await sender.send('ana@example.com', {
      template: 'password-reset',
      locale: 'zh-CN',
      senderName: 'Ignored: MAIL_FROM names the sender',
      subject: '重置您的 My Store 帐户密码',
      html: '<p>你好</p>',
      text: '你好',
    });

    expect(result).toEqual({
      messageId: expect.stringMatching(/^<[0-9a-f-]{36}@shop\.example>$/),
      response: '250 2.0.0 Ok: queued as 4F3A1',
    });
    const [{ raw, envelope, messageId }] = sent;
    expect(messageId).toBe(result.messageId);
    expect(envelope).toEqual({ from: 'no-reply@shop.example', to: ['ana@example.com'] });
    const text = raw.toString('utf8');
    expect(text).toContain('From: My Store <no-reply@shop.example>');
    expect(text).toContain(`Message-ID: ${result.messageId}`);
    expect(text).toContain('Content-Language: zh-CN');
    expect(text).toMatch(/Content-Type: multipart\/alternative;\s+boundary="--_NmP-[0-9a-f]{32}-Part_1"/);
    expect(text).toContain('Content-Type: text/plain; charset=utf-8');
    expect(text).toContain('Content-Type: text/html; charset=utf-8');
    expect(text).toContain(Buffer.from('<p>你好</p>').toString('base64'));
    // Two sends, two Message-IDs.
    expect(
      (
        await sender.send('bo@example.com', {
          template: 'password-reset',
          locale: 'en',
          senderName: 'S',
          subject: 's',
          html: 'h',
          text: 't',
        })
      ).messageId,
    ).not.toBe(result.messageId);
  });

  it('signs with the store name when MAIL_FROM is an address alone (RFC 2047 for non-ASCII)', async () => {
    const raws: Buffer[] = [];
    const mailer = {
      sendMail: (options: { raw: Buffer }) => {
        raws.push(options.raw);
        return Promise.resolve({});
      },
    } as unknown as MailerService;
    const sender = new MailSender(mailer, { mailFrom: 'no-reply@shop.example' } as AppConfig);
    const email = { template: 'password-reset', locale: 'en', subject: 's', html: 'h', text: 't' } as const;
    await sender.send('a@example.com', { ...email, senderName: 'Lotus Shop' });
    await sender.send('a@example.com', { ...email, senderName: '莲花商店' });
    expect(raws[0].toString()).toContain('From: Lotus Shop <no-reply@shop.example>');
    expect(raws[1].toString()).toMatch(/From: =\?UTF-8\?[BQ]\?[^?]+\?= <no-reply@shop\.example>/);
  });
});
