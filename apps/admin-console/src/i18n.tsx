import { createContext, ReactNode, useCallback, useContext, useEffect, useMemo, useState } from 'react';
import en from '../../../libs/i18n/locales/en.json';
import zhCN from '../../../libs/i18n/locales/zh-CN.json';

/**
 * The console's texts: the `console` section of the same catalogues the server uses
 * (libs/i18n/locales), so one unit test keeps every language's keys and placeholders in step.
 */
type ConsoleTexts = typeof en.console;

export const LOCALES = { en: en.console, 'zh-CN': zhCN.console } satisfies Record<string, ConsoleTexts>;
export type Locale = keyof typeof LOCALES;
export const LANGUAGE_NAMES: Record<Locale, string> = { en: en.meta.languageName, 'zh-CN': zhCN.meta.languageName };

/** A customer's language by its own name and its tag, "简体中文 (zh-CN)"; a tag no catalogue serves as it is. */
export const languageLabel = (tag: string): string => (tag in LANGUAGE_NAMES ? `${LANGUAGE_NAMES[tag as Locale]} (${tag})` : tag);

/** A language preference is not a secret, so unlike the session it may outlive the tab. */
const LOCALE_KEY = 'customer-access.admin-locale';

function initialLocale(): Locale {
  const saved = localStorage.getItem(LOCALE_KEY);
  if (saved && saved in LOCALES) return saved as Locale;
  return navigator.languages.some((l) => l.toLowerCase().startsWith('zh')) ? 'zh-CN' : 'en';
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
      t: (key, params) => format(lookup(LOCALES[locale], key) ?? lookup(LOCALES.en, key) ?? key, params),
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
