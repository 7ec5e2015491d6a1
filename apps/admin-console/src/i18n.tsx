import { createContext, ReactNode, useCallback, useContext, useEffect, useMemo, useState } from 'react';
import type en from '../../../libs/i18n/locales/en.json';

/**
 * The console's texts: the `console` section of the same catalogues the server uses. Every file in
 * libs/i18n/locales is bundled, so adding a language is adding its catalogue file; one unit test
 * keeps every language's keys and placeholders in step.
 */
type Catalogue = typeof en;
type ConsoleTexts = Catalogue['console'];

/** The source language: every catalogue says what it says, and the last fallback. */
const SOURCE_LOCALE = 'en';

/**
 * Only the `console` and `meta` sections of each catalogue are bundled (JSON named exports): the
 * server's sections (api, email, pages…) would be dead weight on the sign-in screen's budget.
 */
type Sections = Pick<Catalogue, 'console' | 'meta'>;
const byLocale = <T,>(files: Record<string, T>): Record<string, T> =>
  Object.fromEntries(Object.entries(files).map(([path, section]) => [path.slice(path.lastIndexOf('/') + 1, -'.json'.length), section]));
const CONSOLE_SECTIONS = byLocale(
  import.meta.glob<Catalogue['console']>('../../../libs/i18n/locales/*.json', { eager: true, import: 'console' }),
);
const META_SECTIONS = byLocale(import.meta.glob<Catalogue['meta']>('../../../libs/i18n/locales/*.json', { eager: true, import: 'meta' }));
const CATALOGUES: Record<string, Sections> = Object.fromEntries(
  Object.keys(CONSOLE_SECTIONS).map((locale) => [locale, { console: CONSOLE_SECTIONS[locale], meta: META_SECTIONS[locale] }]),
);

/** The supported locales, the source first (as the server lists them). */
const LOCALE_CODES = [
  SOURCE_LOCALE,
  ...Object.keys(CATALOGUES)
    .filter((l) => l !== SOURCE_LOCALE)
    .sort(),
];

export const LOCALES: Record<string, ConsoleTexts> = Object.fromEntries(LOCALE_CODES.map((l) => [l, CATALOGUES[l].console]));
export type Locale = string;
/** Each language named in itself ("简体中文"), from its catalogue's `meta.languageName`. */
export const LANGUAGE_NAMES: Record<Locale, string> = Object.fromEntries(LOCALE_CODES.map((l) => [l, CATALOGUES[l].meta.languageName]));

/** A customer's language by its own name and its tag, "简体中文 (zh-CN)"; a tag no catalogue serves as it is. */
export const languageLabel = (tag: string): string => (tag in LANGUAGE_NAMES ? `${LANGUAGE_NAMES[tag as Locale]} (${tag})` : tag);

/** A language preference is not a secret, so unlike the session it may outlive the tab. */
const LOCALE_KEY = 'customer-access.admin-locale';

/** The browser's first language that a catalogue serves: the same tag, else the same language (`zh-SG` → zh-CN). */
function browserLocale(): Locale {
  for (const tag of navigator.languages) {
    const exact = LOCALE_CODES.find((l) => l.toLowerCase() === tag.toLowerCase());
    if (exact) return exact;
    const language = tag.toLowerCase().split('-')[0];
    const sameLanguage = LOCALE_CODES.find((l) => l.toLowerCase().split('-')[0] === language);
    if (sameLanguage) return sameLanguage;
  }
  return SOURCE_LOCALE;
}

function initialLocale(): Locale {
  const saved = localStorage.getItem(LOCALE_KEY);
  if (saved && saved in LOCALES) return saved;
  return browserLocale();
}

type Params = Record<string, string | number>;
export type Translate = (key: string, params?: Params) => string;

function lookup(texts: ConsoleTexts, key: string): string | undefined {
  let node: unknown = texts;
  for (const part of key.split('.')) node = node && typeof node === 'object' ? (node as Record<string, unknown>)[part] : undefined;
  return typeof node === 'string' ? node : undefined;
}

/** `{{name}}` placeholders, as in the server's catalogues. React escapes the result. */
function format(message: string, params: Params = {}): string {
  return message.replace(/\{\{\s*(\w+)\s*\}\}/g, (whole, name: string) => (name in params ? String(params[name]) : whole));
}

interface I18n {
  locale: Locale;
  setLocale(locale: Locale): void;
  t: Translate;
  formatDate(iso: string | null | undefined): string;
  formatNumber(value: number): string;
}

const I18nContext = createContext<I18n | null>(null);

export function I18nProvider({ children }: { children: ReactNode }) {
  const [locale, setLocaleState] = useState<Locale>(initialLocale);
  const setLocale = useCallback((next: Locale) => {
    localStorage.setItem(LOCALE_KEY, next);
    setLocaleState(next);
  }, []);
  useEffect(() => {
    document.documentElement.lang = locale;
  }, [locale]);
  const value = useMemo<I18n>(() => {
    const dates = new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'short' });
    const numbers = new Intl.NumberFormat(locale);
    return {
      locale,
      setLocale,
      t: (key, params) => format(lookup(LOCALES[locale], key) ?? lookup(LOCALES[SOURCE_LOCALE], key) ?? key, params),
      formatDate: (iso) => (iso ? dates.format(new Date(iso)) : '—'),
      formatNumber: (n) => numbers.format(n),
    };
  }, [locale, setLocale]);
  return <I18nContext.Provider value={value}>{children}</I18nContext.Provider>;
}

export function useI18n(): I18n {
  const context = useContext(I18nContext);
  if (!context) throw new Error('useI18n outside I18nProvider');
  return context;
}
