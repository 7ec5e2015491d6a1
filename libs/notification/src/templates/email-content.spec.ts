import type { MailerService } from '@nestjs-modules/mailer';
import { execFile } from 'node:child_process';
import { Translator } from '@customer-access/i18n';
import type { AppConfig } from '@customer-access/config';
import { EMAIL_TEMPLATE_NAMES, EmailTemplateName } from '../email-log/email-log-entry.entity';
import { MailSender } from '../mail-sender';
import { EmailRenderer, RenderedEmail } from './email-renderer';

/** The store's own links: the storefront (reset links). The support address is a mailto:, not a URL. */
const STOREFRONT_URL = 'https://shop.example.com';
const context = { firstName: 'Jane', lastName: 'Doe', storeName: 'Acme Store', supportEmail: 'help@shop.example.com', timeZone: 'UTC' };
const vars = {
  resetLink: `${STOREFRONT_URL}/customer/account/createPassword?token=AbCdEfGhIjKlMnOpQrStUvWxYz0123456789-_AbCdEfG`,
  hours: 24,
  expiresAt: new Date('2026-12-01T09:05:00Z'),
  changedAt: new Date('2026-11-30T08:00:00Z'),
};
const cases = EMAIL_TEMPLATE_NAMES.flatMap((name) => ['en', 'zh-CN'].map((locale) => [name, locale] as [EmailTemplateName, string]));

/** The message as it leaves the worker: MailSender's own MIME build, captured instead of sent. */
async function message(email: RenderedEmail): Promise<Buffer> {
  let raw = Buffer.alloc(0);
  const mailer = {
    sendMail: (options: { raw: Buffer }) => {
      raw = options.raw;
      return Promise.resolve({});
    },
  } as unknown as MailerService;
  await new MailSender(mailer, { mailFrom: 'no-reply@shop.example.com' } as AppConfig).send('jane.doe@example.org', email);
  return raw;
}

/**
 * Every URL in a part. XML namespace names (xmlns="http://www.w3.org/1999/xhtml") are names, never
 * fetched or followed, so they are left out; everything else a client could load or a reader click counts.
 */
const urlsIn = (part: string): string[] =>
  part.replace(/\sxmlns(?::\w+)?="[^"]*"/g, '').match(/(?:\b[a-z][a-z0-9+.-]*:)?\/\/[^\s"'<>()]+/gi) ?? [];

describe('what every email contains (issue 24, findings 16 and 17)', () => {
  let renderer: EmailRenderer;
  beforeAll(async () => {
    renderer = await EmailRenderer.compile(new Translator());
  });

  it.each(cases)('%s (%s): no URL outside the store’s own links, no web font, no remote stylesheet', (name, locale) => {
    const email = renderer.render(name, locale, context, vars);
    const foreign = [email.html, email.text].flatMap(urlsIn).filter((url) => !url.startsWith(`${STOREFRONT_URL}/`));
    expect(foreign).toEqual([]);
    expect(email.html).not.toMatch(/<link\b|@import|@font-face|fonts\.googleapis|url\(/i);
  });

  it('the URL check sees a web font link where MJML would put one', () => {
    expect(urlsIn('<link href="https://fonts.googleapis.com/css?family=Roboto" rel="stylesheet">')).toEqual([
      'https://fonts.googleapis.com/css?family=Roboto',
    ]);
    expect(urlsIn('<style>@import url(//fonts.googleapis.com/css);</style>')).toEqual(['//fonts.googleapis.com/css']);
  });

  /**
   * SpamAssassin 4 as Debian ships it, local tests only (-L: no DNS or network checks), in test mode
   * (-t: the report with every rule that hit). Not installed is a failure, never a skip: .ci/run installs it.
   */
  it.each(cases)(
    '%s (%s): SpamAssassin scores it at most 0.5',
    async (name, locale) => {
      const raw = await message(renderer.render(name, locale, context, vars));
      const report = await spamassassin(raw);
      const score = /Content analysis details:\s+\((-?[\d.]+) points/.exec(report);
      if (!score) throw new Error(`No SpamAssassin report in its output:\n${report.slice(-2000)}`);
      const points = Number(score[1]);
      // On failure, the rules that hit say why.
      if (points > 0.5) throw new Error(report.slice(report.indexOf('Content analysis details:')).split('\n').slice(0, 30).join('\n'));
      expect(points).toBeLessThanOrEqual(0.5);
    },
    120_000,
  );
});

function spamassassin(raw: Buffer): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = execFile('spamassassin', ['-t', '-L'], { maxBuffer: 16 * 1024 * 1024, timeout: 110_000 }, (error, stdout, stderr) => {
      if (error) reject(new Error(`spamassassin failed (install Debian's spamassassin; .ci/run does): ${error.message}\n${stderr}`));
      else resolve(stdout);
    });
    child.stdin!.end(raw);
  });
}
