import { Injectable } from '@nestjs/common';
import i18next, { i18n as I18nInstance } from 'i18next';
import { Catalogue, loadCatalogues } from './catalogues';
import { SOURCE_LOCALE, matchSupportedLocale } from './locales';

export type MessageParams = Record<string, string | number>;

/**
 * The one i18n layer, shared by the API's messages, the emails and the hosted pages. Messages are
 * plain text: placeholders are inserted unescaped, and whoever puts a message into HTML escapes it
 * there (Handlebars and the page renderer do), so one catalogue serves text and HTML alike.
 */
/** Distinct language tags whose match is remembered (browsers send a few dozen in practice). */
const MAX_REMEMBERED_TAGS = 512;

@Injectable()
export class Translator {
  private readonly i18n: I18nInstance;
  /** match() answers by tag as written (null: no supported locale serves it). */
  private readonly matches = new Map<string, string | null>();
  /** Supported locales, the source locale first. */
  readonly locales: readonly string[];

  constructor(catalogues: Record<string, Catalogue> = loadCatalogues()) {
    if (!catalogues[SOURCE_LOCALE]) throw new Error(`The ${SOURCE_LOCALE} catalogue is missing`);
    this.locales = [SOURCE_LOCALE, ...Object.keys(catalogues).filter((l) => l !== SOURCE_LOCALE)];
    this.i18n = i18next.createInstance();
    void this.i18n.init({
      initAsync: false,
      resources: Object.fromEntries(Object.entries(catalogues).map(([locale, catalogue]) => [locale, { translation: catalogue }])),
      fallbackLng: SOURCE_LOCALE,
      supportedLngs: [...this.locales],
      load: 'currentOnly',
      interpolation: { escapeValue: false },
      returnNull: false,
    });
  }

  /** The message `key` in `locale` (a supported locale; anything else reads the source language). */
  t(locale: string, key: string, params: MessageParams = {}): string {
    const lng = this.locales.includes(locale) ? locale : SOURCE_LOCALE;
    return this.i18n.t(key, { ...params, lng });
  }

  /**
   * The message `key` of `locale` as written in its catalogue, placeholders unfilled, or undefined
   * when that catalogue lacks it. For template compilers that fill placeholders themselves.
   */
  raw(locale: string, key: string): string | undefined {
    const value: unknown = this.i18n.getResource(locale, 'translation', key);
    return typeof value === 'string' ? value : undefined;
  }

  /**
   * The supported locale that serves `tag`, if any. Remembered per tag: matching builds and
   * maximizes Intl.Locale objects (tens of microseconds), and every page view and storefront answer
   * asks for the same few tags (docs/performance.md, hosted page). Bounded: odd tags can only churn it.
   */
  match(tag: string | undefined | null): string | undefined {
    if (typeof tag !== 'string') return undefined;
    const known = this.matches.get(tag);
    if (known !== undefined) return known ?? undefined;
    const match = matchSupportedLocale(tag, this.locales);
    if (this.matches.size >= MAX_REMEMBERED_TAGS) this.matches.clear();
    this.matches.set(tag, match ?? null);
    return match;
  }

  /** The first supported locale among `candidates` (most preferred first), else `fallback`. */
  resolve(candidates: ReadonlyArray<string | undefined | null>, fallback: string = SOURCE_LOCALE): string {
    for (const candidate of candidates) {
      const match = this.match(candidate);
      if (match) return match;
    }
    return this.match(fallback) ?? SOURCE_LOCALE;
  }
}
