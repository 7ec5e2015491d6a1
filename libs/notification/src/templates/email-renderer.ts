import Handlebars from 'handlebars';
import { Translator } from '@customer-access/i18n';
import { EMAIL_TEMPLATE_NAMES, EmailTemplateName } from '../email-log/email-log-entry.entity';
import { layoutMjml, mjButton, mjFooter, mjHeading, mjLinkAsText, mjParagraph, mjSignature, BRAND_COLOR } from './email-layout';
import { EMAIL_TEMPLATES, EmailTemplateDefinition, FOOTER_KEYS, LINK_FALLBACK_KEY, SIGNATURE_KEY } from './email-templates';
import { wrapText } from './plain-text';

// mjml ships no type declarations; this is the part of its API used here (v5: returns a promise).
// eslint-disable-next-line @typescript-eslint/no-require-imports
const mjml2html = require('mjml') as (
  mjml: string,
  options: { validationLevel: 'strict' | 'soft' | 'skip'; keepComments?: boolean },
) => Promise<{ html: string; errors: Array<{ formattedMessage: string }> }>;

/** What one email needs beyond its template and locale. Dates are formatted in the email's locale. */
export interface EmailData {
  firstName: string;
  storeName: string;
  supportEmail: string;
  /** Reset emails: the link, its lifetime in hours and its expiry. */
  resetLink?: string;
  expiresInHours?: number;
  expiresAt?: Date;
  /** Password-changed and email-changed emails: when it changed. */
  changedAt?: Date;
}

export interface RenderedEmail {
  template: EmailTemplateName;
  /** The BCP 47 tag of the language it is written in: the Content-Language header and `<html lang>`. */
  locale: string;
  subject: string;
  html: string;
  text: string;
}

interface CompiledEmail {
  definition: EmailTemplateDefinition;
  subject: Handlebars.TemplateDelegate;
  html: Handlebars.TemplateDelegate;
  text: Handlebars.TemplateDelegate;
  dates: Intl.DateTimeFormat;
}

/** Dates in emails: the customer's locale, in UTC (the service does not know the customer's time zone), zone named. */
const DATE_OPTIONS: Intl.DateTimeFormatOptions = {
  year: 'numeric',
  month: 'long',
  day: 'numeric',
  hour: '2-digit',
  minute: '2-digit',
  hourCycle: 'h23',
  timeZone: 'UTC',
  timeZoneName: 'short',
};

/**
 * MJML indents its output generously (about a quarter of its bytes). Leading spaces and blank lines
 * mean nothing in HTML, so they go: every email is then smaller to encode, send and store.
 */
const squeezeWhitespace = (html: string): string => html.replace(/\n[ \t]*(?:\n[ \t]*)*/g, '\n');

const escapeHtml = (text: string): string =>
  text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/**
 * Renders the customer emails: subject, HTML and text/plain, in the customer's language.
 *
 * Performance: everything that does not depend on the one email is done once, at start, per
 * (template, locale): the catalogue texts are placed into the MJML layout, MJML compiles it to
 * HTML (tens of milliseconds each), and Handlebars compiles the result. Rendering an email is then
 * three precompiled Handlebars calls, a date format and the text part's line wrapping.
 */
export class EmailRenderer {
  private constructor(
    private readonly compiled: ReadonlyMap<string, CompiledEmail>,
    /** Supported locales, source first. */
    readonly locales: readonly string[],
  ) {}

  static async compile(translator: Translator): Promise<EmailRenderer> {
    const handlebars = Handlebars.create();
    const compiled = new Map<string, CompiledEmail>();
    for (const name of EMAIL_TEMPLATE_NAMES) {
      for (const locale of translator.locales) {
        compiled.set(key(name, locale), await compileOne(handlebars, translator, EMAIL_TEMPLATES[name], locale));
      }
    }
    return new EmailRenderer(compiled, translator.locales);
  }

  get templateNames(): readonly EmailTemplateName[] {
    return EMAIL_TEMPLATE_NAMES;
  }

  /** `locale` must be one of {@link locales} (callers resolve the customer's locale first). */
  render(name: EmailTemplateName, locale: string, data: EmailData): RenderedEmail {
    const email = this.compiled.get(key(name, locale));
    if (!email) throw new Error(`No email template "${name}" in locale "${locale}"`);
    const context: Record<string, string | number> = {
      firstName: data.firstName,
      storeName: data.storeName,
      supportEmail: data.supportEmail,
    };
    if (email.definition.hasResetLink) {
      if (!data.resetLink || !data.expiresAt || !data.expiresInHours)
        throw new Error(`Email "${name}" needs resetLink, expiresAt and expiresInHours`);
      context.resetLink = data.resetLink;
      context.hours = data.expiresInHours;
      context.expiresAt = email.dates.format(data.expiresAt);
    }
    if (name === 'password-changed' || name === 'email-changed') context.changedAt = email.dates.format(data.changedAt ?? new Date());
    return {
      template: name,
      locale,
      subject: email.subject(context),
      html: email.html(context),
      text: wrapText(email.text(context)),
    };
  }
}

const key = (name: string, locale: string): string => `${name}\u0000${locale}`;

async function compileOne(
  handlebars: typeof Handlebars,
  translator: Translator,
  definition: EmailTemplateDefinition,
  locale: string,
): Promise<CompiledEmail> {
  const message = (k: string): string => {
    const text = translator.raw(locale, `email.${k}`);
    if (text === undefined) throw new Error(`The ${locale} catalogue lacks email.${k}`);
    return text;
  };
  // Catalogue text into HTML: escaped, placeholders kept for Handlebars (which escapes the values),
  // the support address as a mailto link.
  const html = (k: string): string =>
    escapeHtml(message(k)).replace(
      /\{\{\s*supportEmail\s*\}\}/g,
      `<a href="mailto:{{supportEmail}}" style="color:${BRAND_COLOR};">{{supportEmail}}</a>`,
    );

  const content: string[] = [];
  const text: string[] = ['{{storeName}}', ''];
  for (const block of definition.blocks) {
    if (block.kind === 'heading') content.push(mjHeading(html(block.key)));
    else if (block.kind === 'paragraph') content.push(mjParagraph(html(block.key)));
    else {
      content.push(mjButton(html(block.key), '{{resetLink}}'));
      content.push(mjLinkAsText(html(LINK_FALLBACK_KEY), '{{resetLink}}'));
    }
    text.push(block.kind === 'link' ? '{{resetLink}}' : message(block.key), '');
  }
  content.push(mjSignature(html(SIGNATURE_KEY)));
  text.push(message(SIGNATURE_KEY), '', ...FOOTER_KEYS.map(message));

  const mjml = layoutMjml({
    lang: locale,
    title: escapeHtml(message(definition.subject)),
    preheader: escapeHtml(message(definition.preheader)),
    storeName: '{{storeName}}',
    content,
    footer: FOOTER_KEYS.map((k) => mjFooter(html(k))),
  });
  const result = await mjml2html(mjml, { validationLevel: 'strict', keepComments: false });
  if (result.errors.length > 0) throw new Error(`MJML: ${result.errors.map((e) => e.formattedMessage).join('; ')}`);

  const options = { strict: true, knownHelpersOnly: true } as const;
  const compiled: CompiledEmail = {
    definition,
    subject: handlebars.compile(message(definition.subject), { ...options, noEscape: true }),
    html: handlebars.compile(squeezeWhitespace(result.html), options),
    text: handlebars.compile(text.join('\n'), { ...options, noEscape: true }),
    dates: new Intl.DateTimeFormat(locale, DATE_OPTIONS),
  };
  return compiled;
}
