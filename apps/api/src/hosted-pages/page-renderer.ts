import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Injectable } from '@nestjs/common';
import Handlebars from 'handlebars';
import { MessageParams, Translator } from '@customer-access/i18n';
import { PAGES_DIR, PageAssets } from './page-assets';

/** Where the widget fetches its challenges: the REST route (docs/api.md), same origin, so the CSP's connect-src 'self' allows it. */
const RESET_CHALLENGE_ROUTE = '/api/v1/customers/password/challenge';

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
  /** Loads the password fields' script (rule hints, "Show password"; the page works without it). */
  passwordScript?: boolean;
  /** Loads the proof-of-work widget, its stylesheet and the page's glue (the forgot page, when a challenge is needed). */
  challengeScript?: boolean;
  /** A `<meta http-equiv="refresh">` target, for the reset link's same-site hop. */
  refreshTo?: string;
}

/**
 * Values that differ between readers of the same page, each with the stand-in a cached rendering
 * holds in its place (only letters: survives HTML escaping): the CSRF token, and the account's email
 * in the reset form's hidden `username` field.
 */
const PER_READER_SLOTS = { csrfToken: 'CsrfTokenSlotQx7Zk3Wm', username: 'UsernameSlotVb8Hn2Lp' } as const;
type PerReader = keyof typeof PER_READER_SLOTS;
const PER_READER = Object.keys(PER_READER_SLOTS) as PerReader[];
const SLOT_PATTERN = new RegExp(`(${Object.values(PER_READER_SLOTS).join('|')})`);
const FIELD_OF_SLOT = new Map<string, PerReader>(PER_READER.map((field) => [PER_READER_SLOTS[field], field]));
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
  /**
   * Rendered HTML by everything else the page is made of, split where the per-reader values go:
   * text at even indexes, the name of the value at odd ones.
   */
  private readonly renderings = new Map<string, string[]>();

  /** The fingerprinted addresses of the stylesheet and the script, fixed for the process's life. */
  private readonly assetUrls: {
    stylesheetUrl: string;
    scriptUrl: string;
    challengeAssets: { widget: string; styles: string; worker: string; script: string; challengeUrl: string };
  };

  constructor(
    private readonly translator: Translator,
    assets: PageAssets,
  ) {
    this.assetUrls = {
      stylesheetUrl: assets.stylesheet.url,
      scriptUrl: assets.script.url,
      challengeAssets: {
        widget: assets.challenge.widget.url,
        styles: assets.challenge.styles.url,
        worker: assets.challenge.worker.url,
        script: assets.challenge.script.url,
        challengeUrl: RESET_CHALLENGE_ROUTE,
      },
    };
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
   * A page is a function of its name, frame and data, and only the CSRF token (and the reset form's
   * account email) differs between two readers of the same form; so each distinct page is rendered
   * once (a layout, a template and a dozen catalogue lookups) and then reused, with the request's
   * values (escaped as Handlebars would) put in their places.
   */
  render(name: PageName, frame: PageFrame, data: Record<string, unknown> = {}): string {
    const shared = { ...data };
    const values: Partial<Record<PerReader, string>> = {};
    for (const field of PER_READER) {
      if (typeof data[field] !== 'string') continue;
      values[field] = Handlebars.escapeExpression(data[field]);
      shared[field] = PER_READER_SLOTS[field];
    }
    const key = JSON.stringify([name, frame, shared]);
    let parts = this.renderings.get(key);
    if (!parts) {
      parts = this.renderOnce(name, frame, shared)
        .split(SLOT_PATTERN)
        .map((part, i) => (i % 2 ? FIELD_OF_SLOT.get(part)! : part));
      if (this.renderings.size >= MAX_CACHED_RENDERINGS) this.renderings.clear();
      this.renderings.set(key, parts);
    }
    let html = parts[0];
    for (let i = 1; i < parts.length; i += 2) html += (values[parts[i] as PerReader] ?? '') + parts[i + 1];
    return html;
  }

  private renderOnce(name: PageName, frame: PageFrame, data: Record<string, unknown>): string {
    const context = { ...data, ...frame, ...this.assetUrls, languages: this.languages(frame.locale) };
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
