import Handlebars from 'handlebars';
import { Translator } from '@customer-access/i18n';
import { EMAIL_TEMPLATE_NAMES, EmailTemplateName } from '../email-log/email-log-entry.entity';
import { layoutMjml, mjButton, mjFooter, mjHeading, mjLinkAsText, mjParagraph, mjSignature, BRAND_COLOR } from './email-layout';
import { EmailBody, EmailVars } from '../emails/customer-email';
import { CUSTOMER_EMAILS } from '../emails/customer-emails';
import { fullName } from './person-name';
import { wrapText } from './plain-text';

/** Footer lines of every email, after the signature; keys under `email.`. */
const FOOTER_KEYS = ['common.support', 'common.reason'] as const;
const SIGNATURE_KEY = 'common.signature';
const LINK_FALLBACK_KEY = 'common.linkFallback';

// mjml ships no type declarations; this is the part of its API used here (v5: returns a promise).
// eslint-disable-next-line @typescript-eslint/no-require-imports
const mjml2html = require('mjml') as (
  mjml: string,
  options: { validationLevel: 'strict' | 'soft' | 'skip'; keepComments?: boolean; fonts?: Record<string, string> },
) => Promise<{ html: string; errors: Array<{ formattedMessage: string }> }>;

/** What every email is given besides its own variables: whom it greets, the store's branding, the time zone of its dates. */
export interface EmailContext {
  firstName: string;
  lastName: string;
  storeName: string;
  supportEmail: string;
  /** IANA time zone the email's dates are written in (the `timezone` setting). */
  timeZone: string;
}

export interface RenderedEmail {
  template: EmailTemplateName;
  /** The BCP 47 tag of the language it is written in: the Content-Language header and `<html lang>`. */
  locale: string;
  /** The display name of the sender: the store's name. */
  senderName: string;
  /** The store view's From (MAIL_FROM when absent or inherited). */
  from?: string;
  subject: string;
  html: string;
  text: string;
}

interface CompiledEmail {
  subject: Handlebars.TemplateDelegate;
  html: Handlebars.TemplateDelegate;
  text: Handlebars.TemplateDelegate;
}

/** Dates in emails: the reader's locale, the store's time zone, the zone named. */
const DATE_OPTIONS: Intl.DateTimeFormatOptions = {
  year: 'numeric',
  month: 'long',
  day: 'numeric',
  hour: '2-digit',
  minute: '2-digit',
  hourCycle: 'h23',
  timeZoneName: 'short',
};
/** Date formats kept, one per (locale, time zone) in use; cleared past this many. */
const MAX_DATE_FORMATS = 100;

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
 * Everything that does not depend on the one email is done once, at start, per (template, locale):
 * the catalogue texts are placed into the MJML layout, MJML compiles it to HTML (tens of
 * milliseconds each), and Handlebars compiles the result. Rendering an email is then three
 * precompiled Handlebars calls, its dates' formatting and the text part's line wrapping.
 */
export class EmailRenderer {
  private readonly dateFormats = new Map<string, Intl.DateTimeFormat>();

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
        compiled.set(key(name, locale), await compileOne(handlebars, translator, CUSTOMER_EMAILS[name].body, locale));
      }
    }
    return new EmailRenderer(compiled, translator.locales);
  }

  get templateNames(): readonly EmailTemplateName[] {
    return EMAIL_TEMPLATE_NAMES;
  }

  /**
   * `locale` must be one of {@link locales} (callers resolve the customer's locale first). A
   * placeholder of the template without a value in `context` or `vars` throws (strict Handlebars).
   */
  render(name: EmailTemplateName, locale: string, context: EmailContext, vars: EmailVars): RenderedEmail {
    const email = this.compiled.get(key(name, locale));
    if (!email) throw new Error(`No email template "${name}" in locale "${locale}"`);
    const values: Record<string, string | number> = {
      firstName: context.firstName,
      fullName: fullName(context.firstName, context.lastName),
      storeName: context.storeName,
      supportEmail: context.supportEmail,
    };
    for (const [k, value] of Object.entries(vars)) {
      values[k] = value instanceof Date ? this.dateFormat(locale, context.timeZone).format(value) : value;
    }
    return {
      template: name,
      locale,
      senderName: context.storeName,
      subject: email.subject(values),
      html: email.html(values),
      text: wrapText(email.text(values)),
    };
  }

  private dateFormat(locale: string, timeZone: string): Intl.DateTimeFormat {
    const k = key(locale, timeZone);
    let format = this.dateFormats.get(k);
    if (!format) {
      format = new Intl.DateTimeFormat(locale, { ...DATE_OPTIONS, timeZone });
      if (this.dateFormats.size >= MAX_DATE_FORMATS) this.dateFormats.clear();
      this.dateFormats.set(k, format);
    }
    return format;
  }
}

const key = (name: string, locale: string): string => `${name}\u0000${locale}`;

async function compileOne(handlebars: typeof Handlebars, translator: Translator, body: EmailBody, locale: string): Promise<CompiledEmail> {
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
  for (const block of body.blocks) {
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
    title: escapeHtml(message(body.subject)),
    preheader: escapeHtml(message(body.preheader)),
    storeName: '{{storeName}}',
    content,
    footer: FOOTER_KEYS.map((k) => mjFooter(html(k))),
  });
  // fonts: {}: MJML links no web font (it would link Google Fonts for Roboto, named in the stack).
  const result = await mjml2html(mjml, { validationLevel: 'strict', keepComments: false, fonts: {} });
  if (result.errors.length > 0) throw new Error(`MJML: ${result.errors.map((e) => e.formattedMessage).join('; ')}`);

  const options = { strict: true, knownHelpersOnly: true } as const;
  return {
    subject: handlebars.compile(message(body.subject), { ...options, noEscape: true }),
    html: handlebars.compile(squeezeWhitespace(result.html), options),
    text: handlebars.compile(text.join('\n'), { ...options, noEscape: true }),
  };
}
