import MailComposer from 'nodemailer/lib/mail-composer';
import { buildMessageSync } from './mime-message';

/** What MailSender hands MailComposer, with a fixed date so that two compilations are the same message. */
function compose(fields: {
  from: { name: string; address: string };
  to: string;
  subject: string;
  text: string;
  html: string;
  locale: string;
}) {
  return new MailComposer({
    messageId: '<0f5c1d2e-9a1b-4c3d-8e7f-001122334455@shop.example>',
    baseBoundary: '0f5c1d2e9a1b4c3d8e7f001122334455',
    date: new Date(Date.UTC(2026, 11, 7, 16, 50, 1)),
    from: fields.from,
    to: fields.to,
    subject: fields.subject,
    text: fields.text,
    html: fields.html,
    headers: { 'Content-Language': fields.locale },
    textEncoding: 'base64',
  }).compile();
}

describe('buildMessageSync', () => {
  it("builds MailSender's messages byte for byte as MimeNode.build() streams them", async () => {
    const words = [
      'Reset',
      'your',
      'password',
      '重置',
      '您的',
      '帐户密码',
      'Ünïcödé',
      '🔐',
      '"quoted"',
      'a,b',
      'x'.repeat(90),
      '=?',
      '\n',
      '\r\n',
      '<p>',
      '</p>',
      '&amp;',
      ' ',
    ];
    let seed = 11;
    const pick = () => words[(seed = (seed * 1103515245 + 12345) % 2147483648) % words.length];
    const phrase = (n: number) => Array.from({ length: n }, pick).join(' ');
    for (let i = 0; i < 150; i++) {
      const fields = {
        from: { name: i % 5 === 0 ? '' : phrase(1 + (i % 4)), address: i % 7 === 0 ? 'no-reply@shöp.example' : 'no-reply@shop.example' },
        to: i % 11 === 0 ? 'ana@exämple.com' : `customer${i}@example.com`,
        subject: phrase(1 + (i % 12)),
        text: phrase(i % 3 === 0 ? 400 : 1 + (i % 30)),
        html: i % 4 === 0 ? `<p>${'ascii only '.repeat(i % 13)}</p>` : phrase(1 + i * 3),
        locale: i % 2 ? 'zh-CN' : 'en',
      };
      const expected = await compose(fields).build();
      const built = buildMessageSync(compose(fields));
      expect(built?.toString('utf8')).toBe(expected.toString('utf8'));
      expect(built?.equals(expected)).toBe(true);
    }
  }, 60_000);

  it('the 10 KB HTML reset email: same bytes, both parts base64', async () => {
    const html = `<!doctype html><html><body>${'<table><tr><td style="padding:0 24px;font-family:Helvetica">Hello — 你好 Ana</td></tr></table>\n'.repeat(100)}</body></html>`;
    const fields = {
      from: { name: 'My Store', address: 'no-reply@shop.example' },
      to: 'ana@example.com',
      subject: 'Reset your My Store password',
      text: 'Hello Ana,\n\nReset: https://shop.example/customer/account/createPassword?id=1&token=abc\n',
      html,
      locale: 'en',
    };
    const built = buildMessageSync(compose(fields));
    expect(built).not.toBeNull();
    expect(built!.equals(await compose(fields).build())).toBe(true);
  });

  it('returns null for what it does not build (left to build())', () => {
    const qp = new MailComposer({ from: 'a@b.example', to: 'c@d.example', subject: 's', text: 'Ünïcödé'.repeat(20) }).compile();
    expect(buildMessageSync(qp)).toBeNull();
    const single = new MailComposer({ from: 'a@b.example', to: 'c@d.example', subject: 's', text: 'plain' }).compile();
    expect(buildMessageSync(single)).toBeNull();
    const dkim = new MailComposer({ from: 'a@b.example', to: 'c@d.example', subject: 's', text: 't', html: 'h' }).compile();
    dkim.processFunc((input) => input);
    expect(buildMessageSync(dkim)).toBeNull();
    const attachment = new MailComposer({
      from: 'a@b.example',
      to: 'c@d.example',
      text: 't',
      html: 'h',
      attachments: [{ filename: 'a.txt', content: Buffer.from('x') }],
    }).compile();
    expect(buildMessageSync(attachment)).toBeNull();
  });
});
