import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Injectable } from '@nestjs/common';
import Handlebars from 'handlebars';
import { projectRoot } from '@customer-access/common';
import { MessageParams, Translator } from '@customer-access/i18n';

/** Where the page templates and their static assets live (read from the repository layout, like the email templates). */
export const PAGES_DIR = join(projectRoot(), 'apps/api/pages');

export type PageName = 'forgot-password' | 'create-password' | 'reset-link-hop' | 'error' | 'dev-index';

/** What every page shows around its content. */
export interface PageFrame {
  locale: string;
  storeName: string;
  supportEmail: string;
  /** The document title's page part (the store's name follows). */
  title: string;
  /** Prefixes the title with "Error:" so that a screen reader hears at once that the form was refused. */
  hasErrors?: boolean;
  /** Loads the password-rules script (progressive enhancement; the page works without it). */
  passwordRulesScript?: boolean;
  /** A `<meta http-equiv="refresh">` target, for the reset link's same-site hop. */
  refreshTo?: string;
}

/** Stands in for the per-request CSRF token in a cached rendering (only letters: survives HTML escaping). */
const CSRF_SLOT = 'CsrfTokenSlotQx7Zk3Wm';
/** Renderings kept (pages x languages x settings x messages); an input echoed into a page can only churn it. */
const MAX_CACHED_RENDERINGS = 256;

/**
 * Server-side rendering of the hosted pages: Handlebars templates compiled once, HTML-escaped by
 * default (`{{…}}`), each rendered inside one layout. Texts come from the `pages` (and `api`,
 * `policy`) sections of the shared catalogues through the `t` helper, in the page's locale.
 */
@Injectable()
export class PageRenderer {
  private readonly handlebars = Handlebars.create();
  private readonly layout: HandlebarsTemplateDelegate;
  private readonly pages = new Map<PageName, HandlebarsTemplateDelegate>();
  /** Rendered HTML, split where the CSRF token goes, by everything else the page is made of. */
  private readonly renderings = new Map<string, string[]>();

  constructor(private readonly translator: Translator) {
    const compile = (name: string) =>
      this.handlebars.compile(readFileSync(join(PAGES_DIR, 'templates', `${name}.hbs`), 'utf8'), { strict: false, noEscape: false });
    this.handlebars.registerHelper('t', (key: string, options: Handlebars.HelperOptions) =>
      this.translator.t(options.data.root.locale as string, key, options.hash as MessageParams),
    );
    this.handlebars.registerHelper('eq', (a: unknown, b: unknown) => a === b);
    this.layout = compile('layout');
    for (const name of ['forgot-password', 'create-password', 'reset-link-hop', 'error', 'dev-index'] as const) {
      this.pages.set(name, compile(name));
    }
  }

  /**
   * A page is a function of its name, frame and data, and
   * only the CSRF token differs between two readers of the same form; so each distinct page is
   * rendered once (a layout, a template and a dozen catalogue lookups) and then reused, with the
   * request's token (escaped as Handlebars would) put in its place.
   */
  render(name: PageName, frame: PageFrame, data: Record<string, unknown> = {}): string {
    const csrfToken = typeof data.csrfToken === 'string' ? data.csrfToken : undefined;
    const shared = csrfToken === undefined ? data : { ...data, csrfToken: CSRF_SLOT };
    const key = JSON.stringify([name, frame, shared]);
    let parts = this.renderings.get(key);
    if (!parts) {
      parts = this.renderOnce(name, frame, shared).split(CSRF_SLOT);
      if (this.renderings.size >= MAX_CACHED_RENDERINGS) this.renderings.clear();
      this.renderings.set(key, parts);
    }
    return parts.join(Handlebars.escapeExpression(csrfToken ?? ''));
  }

  private renderOnce(name: PageName, frame: PageFrame, data: Record<string, unknown>): string {
    const context = { ...data, ...frame, languages: this.languages(frame.locale) };
    const body = this.pages.get(name)!(context);
    return this.layout({ ...context, body: new Handlebars.SafeString(body) });
  }

  /** The language switch: every catalogue, named in its own language. */
  private languages(current: string): Array<{ locale: string; name: string; current: boolean }> {
    return this.translator.locales.map((locale) => ({
      locale,
      name: this.translator.t(locale, 'meta.languageName'),
      current: locale === current,
    }));
  }
}
