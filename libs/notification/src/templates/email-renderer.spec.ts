import { HtmlValidate } from 'html-validate';
import { supportedLocales, Translator } from '@customer-access/i18n';
import { EMAIL_TEMPLATE_NAMES, EmailTemplateName } from '../email-log/email-log-entry.entity';
import { EmailContext, EmailRenderer } from './email-renderer';
import { displayWidth, TEXT_WIDTH, wrapParagraph, wrapUnits } from './plain-text';

const LINK = 'https://shop.example.com/customer/account/createPassword?token=AbCdEfGhIjKlMnOpQrStUvWxYz0123456789-_AbCdEfG';
const context: EmailContext = {
  firstName: 'Jane <b>&',
  lastName: 'Doe',
  storeName: 'Acme & Sons',
  supportEmail: 'help@acme.example',
  timeZone: 'UTC',
};
/** Every email's own placeholders (each template uses some of them). */
const vars = { resetLink: LINK, hours: 24, expiresAt: new Date('2026-12-01T09:05:00Z'), changedAt: new Date('2026-11-30T08:00:00Z') };

/**
 * html-validate's recommended rules (structure, permitted content, attributes, accessibility), less
 * those that forbid what email HTML must do to survive mail clients: presentational attributes on
 * layout tables (align, bgcolor, cellpadding…), inline styles, Outlook's conditional comments, and
 * MJML's own output style (lower-case doctype, self-closed <br/>, role="article" on a div, trailing
 * spaces).
 */
const validator = new HtmlValidate({
  extends: ['html-validate:recommended'],
  rules: {
    'no-deprecated-attr': 'off',
    'no-inline-style': 'off',
    'no-conditional-comment': 'off',
    'doctype-style': 'off',
    'void-style': 'off',
    'prefer-native-element': 'off',
    'no-trailing-whitespace': 'off',
  },
});

describe('EmailRenderer', () => {
  let renderer: EmailRenderer;
  beforeAll(async () => {
    renderer = await EmailRenderer.compile(new Translator());
  });

  const cases = EMAIL_TEMPLATE_NAMES.flatMap((name) => supportedLocales().map((locale) => [name, locale] as [EmailTemplateName, string]));

  it.each(cases)('%s (%s): subject, HTML and text speak the language, with every placeholder filled', (name, locale) => {
    const email = renderer.render(name, locale, context, vars);
    for (const part of [email.subject, email.html, email.text]) {
      expect(part).not.toMatch(/\{\{|\}\}|email\.[a-z]+\.[a-z]+/i);
    }
    expect(email.locale).toBe(locale);
    expect(email.subject).toContain('Acme & Sons');
    expect(email.html).toMatch(new RegExp(`<html[^>]* lang="${locale}"`));
    // Values are escaped in HTML, verbatim in text.
    expect(email.senderName).toBe('Acme & Sons');
    const greeted = locale === 'zh-CN' ? 'Jane <b>& Doe' : 'Jane <b>&';
    expect(email.html).toContain(greeted.replace('&', '&amp;').replace('<', '&lt;').replace('>', '&gt;'));
    expect(email.html).not.toContain('Jane <b>');
    expect(email.text).toContain(greeted);
    expect(email.html).toContain('Acme &amp; Sons');
    expect(email.html).toContain('mailto:help@acme.example');
    expect(email.text).toContain('help@acme.example');
    const chinese = /[\u4e00-\u9fff]/;
    if (locale === 'zh-CN') {
      expect(email.subject).toMatch(chinese);
      expect(email.text).toMatch(chinese);
    } else {
      expect(`${email.subject}${email.text}`).not.toMatch(chinese);
    }
  });

  it.each(cases)('%s (%s): HTML under 100 KB with a preheader, valid by html-validate', async (name, locale) => {
    const { html } = renderer.render(name, locale, context, vars);
    expect(Buffer.byteLength(html)).toBeLessThan(100 * 1024);
    // MJML's preview block: hidden text that mail clients show beside the subject.
    expect(html).toMatch(/<div style="display:none;[^"]*">[^<]{10,}/);
    const report = await validator.validateString(html);
    const problems = report.results.flatMap((r) => r.messages.map((m) => `${m.ruleId}: ${m.message} (line ${m.line})`));
    expect(problems).toEqual([]);
  });

  it.each(cases)('%s (%s): text part readable at 78 columns', (name, locale) => {
    const { text } = renderer.render(name, locale, context, vars);
    const tooWide = text.split('\n').filter((line) => displayWidth(line) > TEXT_WIDTH && line !== LINK);
    expect(tooWide).toEqual([]);
  });

  it.each(EMAIL_TEMPLATE_NAMES.filter((n) => n === 'password-reset' || n === 'admin-password-reset'))(
    '%s: the link as a button and as text, and on its own line in text',
    (name) => {
      for (const locale of supportedLocales()) {
        const email = renderer.render(name, locale, context, vars);
        const escaped = LINK.replace(/=/g, '&#x3D;');
        expect(email.html.split(`href="${escaped}"`).length - 1).toBe(2);
        expect(email.html).toContain(`>${escaped}</a>`);
        expect(email.text.split('\n')).toContain(LINK);
      }
    },
  );

  it('states the expiry in the reader’s words, with the date in their format and the store’s time zone', () => {
    expect(renderer.render('password-reset', 'en', context, vars).text).toContain(
      'valid for 24 hours (until December 1, 2026 at 09:05 UTC)',
    );
    expect(renderer.render('password-reset', 'zh-CN', context, vars).text.replace(/\n/g, '')).toContain(
      '24 小时内有效（至 2026年12月1日 UTC 09:05）',
    );
    expect(renderer.render('password-changed', 'zh-CN', context, vars).text).toContain('2026年11月30日 UTC 08:00');
    const shanghai = { ...context, timeZone: 'Asia/Shanghai' };
    expect(renderer.render('password-changed', 'zh-CN', shanghai, vars).text).toContain('2026年11月30日 GMT+8 16:00');
    expect(renderer.render('password-reset', 'en', shanghai, vars).text).toContain('until December 1, 2026 at 17:05 GMT+8');
  });

  it('greets by the first name in English and by the full name, family name first, in Chinese', () => {
    const chinese = { ...context, firstName: '小雨', lastName: '王' };
    expect(renderer.render('password-changed', 'zh-CN', chinese, vars).text).toContain('王小雨，您好：');
    expect(renderer.render('password-changed', 'en', chinese, vars).text).toContain('Hello 小雨,');
    expect(renderer.render('password-changed', 'zh-CN', { ...context, firstName: 'Jane' }, vars).text).toContain('Jane Doe，您好：');
  });

  it('throws when a template’s own placeholder has no value, instead of sending a gap', () => {
    expect(() => renderer.render('password-reset', 'en', context, { hours: 24, expiresAt: vars.expiresAt })).toThrow(/resetLink/);
  });

  it('refuses a locale it has no catalogue for (callers resolve the customer’s locale first)', () => {
    expect(() => renderer.render('password-reset', 'fr', context, vars)).toThrow(/locale "fr"/);
  });
});

describe('wrapParagraph', () => {
  it('breaks Latin text at spaces within 78 columns', () => {
    const line = 'word '.repeat(40).trim();
    const lines = wrapParagraph(line).split('\n');
    expect(lines.every((l) => l.length <= 78)).toBe(true);
    expect(lines.join(' ')).toBe(line);
  });

  it('counts CJK characters as two columns and never starts a line with closing punctuation', () => {
    const text = '我们最近收到了更改您帐户密码的请求，'.repeat(6);
    const lines = wrapParagraph(text).split('\n');
    expect(lines.length).toBeGreaterThan(1);
    expect(lines.every((l) => displayWidth(l) <= 78)).toBe(true);
    expect(lines.some((l) => /^[，。]/.test(l))).toBe(false);
    expect(lines.join('')).toBe(text);
  });

  it('keeps a long URL whole on a line of its own', () => {
    expect(wrapParagraph(`Link: ${LINK} end`).split('\n')).toEqual(['Link:', LINK, 'end']);
  });

  it('wraps ASCII text (its own fast path) exactly as the general path does', () => {
    const pieces = ['a', 'word', 'longer-word,', '(paren)', 'end.', '!', '?', ' ', '  ', '\t', LINK, 'x'.repeat(77), 'y'.repeat(79)];
    let seed = 7;
    const next = (n: number): number => (seed = (seed * 1103515245 + 12345) % 2 ** 31) % n;
    for (let i = 0; i < 500; i++) {
      const text = Array.from({ length: next(40) }, () => pieces[next(pieces.length)] + (next(3) ? ' ' : '')).join('');
      for (const width of [TEXT_WIDTH, 20])
        expect({ text, width, wrapped: wrapParagraph(text, width) }).toEqual({ text, width, wrapped: wrapUnits(text, width) });
    }
  });
});
