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

/**
 * A catalogue message split at its placeholders (`{{name}}`): text and names alternating, text
 * first and last. Null: the message needs i18next itself (nesting, formats, unescaped `{{- }}`).
 */
type CompiledMessage = { texts: string[]; names: string[] } | null;

const PLACEHOLDER = /\{\{(.+?)\}\}/g;
/** Names that ask i18next for more than a plain substitution (unescaped, formatted, a path into the parameters). */
const NOT_PLAIN_NAME = /^-|[,.]/;

/**
 * The message split at its placeholders, or null when i18next must interpret it: a `$t(` nesting,
 * a formatted or unescaped placeholder, or a stray `{{`/`}}` that is not a whole placeholder.
 */
function compileMessage(raw: string): CompiledMessage {
  if (raw.includes('$t(')) return null;
  const texts: string[] = [];
  const names: string[] = [];
  let last = 0;
  for (const match of raw.matchAll(PLACEHOLDER)) {
    const name = match[1].trim();
    if (NOT_PLAIN_NAME.test(name)) return null;
    texts.push(raw.slice(last, match.index));
    names.push(name);
    last = match.index + match[0].length;
  }
  texts.push(raw.slice(last));
  if (texts.some((text) => text.includes('{{') || text.includes('}}'))) return null;
  return { texts, names };
}

@Injectable()
export class Translator {
  private readonly i18n: I18nInstance;
  /** match() answers by tag as written (null: no supported locale serves it). */
  private readonly matches = new Map<string, string | null>();
  /** Supported locales, the source locale first. */
  readonly locales: readonly string[];
  /** Catalogue messages split at their placeholders, by locale and key (see t). */
  private readonly compiled = new Map<string, CompiledMessage>();

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
    return this.fill(this.compiledMessage(lng, key), params) ?? this.i18n.t(key, { ...params, lng });
  }

  /**
   * Performance (docs/performance.md, Round 3): i18next's t() resolves the key, interpolates with
   * regular expressions and checks for nesting on every call (about 2 % of the forgot route's CPU,
   * whose answer is the message with the address filled in). A message of plain `{{name}}`
   * placeholders is split once per locale and key and filled by concatenation: the same text
   * i18next gives (translator.spec checks every message of every catalogue against it). Anything
   * else goes to i18next: messages it must interpret, missing keys, and parameters other than the
   * message's own string placeholders (a `count` picks a plural form, a number is formatted).
   */
  private compiledMessage(lng: string, key: string): CompiledMessage {
    const cacheKey = `${lng}\u0000${key}`;
    let compiled = this.compiled.get(cacheKey);
    if (compiled === undefined) {
      // i18next falls back to the source language for a key the locale's catalogue lacks.
      const raw = this.raw(lng, key) ?? this.raw(SOURCE_LOCALE, key);
      compiled = raw === undefined ? null : compileMessage(raw);
      this.compiled.set(cacheKey, compiled);
    }
    return compiled;
  }

  /** The compiled message filled with `params`, or undefined when i18next must do it (see compiledMessage). */
  private fill(compiled: CompiledMessage, params: MessageParams): string | undefined {
    if (!compiled) return undefined;
    const { texts, names } = compiled;
    for (const name of Object.keys(params)) if (!names.includes(name)) return undefined;
    let text = texts[0];
    for (let i = 0; i < names.length; i++) {
      const value = params[names[i]];
      // An empty value too: i18next looks a falsy value up as a path (deepFind), so it decides.
      if (typeof value !== 'string' || value === '') return undefined;
      text += value + texts[i + 1];
    }
    return text;
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
