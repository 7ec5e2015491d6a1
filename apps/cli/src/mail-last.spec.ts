import { mkdtempSync, readFileSync, rmSync, utimesSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createTransport } from 'nodemailer';
import { EmlFileTransport } from '@customer-access/notification';
import { formatMail, newestMail } from './mail-last';

/** Over real .eml files, written by the development transport the apps use when SMTP_URL is unset. */
describe('mail:last', () => {
  let dir: string;
  const written: string[] = [];
  const send = async (to: string, subject: string, link: string, encoding: 'base64' | 'quoted-printable') => {
    const transport = createTransport(new EmlFileTransport(dir, (path) => written.push(path)));
    await transport.sendMail({
      from: 'shop@example.test',
      to,
      subject,
      // Long lines and non-ASCII text: the body is encoded, so a grep for the link finds nothing.
      text: `您好，\n\nSet a new password: ${link}\n\nOr sign in: https://shop.example.test/customer/account/login\n${'x'.repeat(200)}`,
      html: `<p><a href="${link}">Set a new password</a></p>`,
      textEncoding: encoding,
    });
  };

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'ca-mail-last-'));
    await send(
      'first@example.test',
      'Reset your password',
      'https://shop.example.test/customer/account/createPassword/?token=first-token-0123456789',
      'base64',
    );
    await send(
      'second@example.test',
      '重置您的密码',
      'https://shop.example.test/customer/account/createPassword/?token=second-token-9876543210',
      'quoted-printable',
    );
    // The second is newer; mtimes a second apart so that the order does not depend on the clock's resolution.
    utimesSync(written[0], new Date(Date.now() - 2000), new Date(Date.now() - 2000));
  });

  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('the written files are encoded (the reason for the command)', () => {
    expect(readFileSync(written[0], 'utf8')).not.toContain('first-token-0123456789');
    expect(readFileSync(written[0], 'utf8')).toMatch(/Content-Transfer-Encoding: base64/i);
    expect(readFileSync(written[1], 'utf8')).toMatch(/Content-Transfer-Encoding: quoted-printable/i);
  });

  it('finds the newest email and decodes its subject, recipient and link', async () => {
    const mail = (await newestMail(dir))!;
    expect(mail).toMatchObject({
      file: written[1],
      subject: '重置您的密码',
      to: ['second@example.test'],
      links: [
        'https://shop.example.test/customer/account/createPassword/?token=second-token-9876543210',
        'https://shop.example.test/customer/account/login',
      ],
    });
    const printed = formatMail(mail);
    expect(printed).toContain('Subject: 重置您的密码');
    expect(printed).toContain('To:      second@example.test');
    expect(printed).toContain('Link:    https://shop.example.test/customer/account/createPassword/?token=second-token-9876543210');
  });

  it('--to picks the newest email to that address (case-insensitively)', async () => {
    const mail = (await newestMail(dir, 'First@Example.test'))!;
    expect(mail.file).toBe(written[0]);
    expect(mail.links[0]).toBe('https://shop.example.test/customer/account/createPassword/?token=first-token-0123456789');
  });

  it('answers undefined for an unknown recipient or a missing folder', async () => {
    expect(await newestMail(dir, 'nobody@example.test')).toBeUndefined();
    expect(await newestMail(join(dir, 'missing'))).toBeUndefined();
  });
});
