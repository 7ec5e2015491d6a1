import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, AppConfig } from '@customer-access/config';
import { Translator } from '@customer-access/i18n';
import { SettingsService } from '@customer-access/settings';
import { EmailTemplateName } from '../email-log/email-log-entry.entity';
import { EmailData, EmailRenderer, RenderedEmail } from './email-renderer';
import { STOREFRONT_PAGES } from '@customer-access/common';

const MAX_CACHED_LOCALES = 1000;

/** The token of preview links: visibly a sample, and not even well-formed as a token, so it can never work. */
export const SAMPLE_TOKEN = 'PREVIEW-SAMPLE-NOT-A-REAL-TOKEN';

/**
 * The customer emails as the apps use them: compiled once per process (on first use; the worker
 * warms it at start), in the customer's language, with the store's branding from the settings and
 * links built from STOREFRONT_URL only, never from anything a client sent (such as a Host header).
 */
@Injectable()
export class EmailTemplates {
  private compiled?: Promise<EmailRenderer>;
  /**
   * Resolved locales by (stored locale, defaultLocale). Resolving runs Intl.getCanonicalLocales and
   * Intl.Locale#maximize (ICU look-ups, tens of microseconds) and customers share a handful of
   * locales, so each pair is resolved once. Bounded: cleared when it grows past MAX_CACHED_LOCALES.
   */
  private readonly resolvedLocales = new Map<string, string>();

  constructor(
    private readonly translator: Translator,
    private readonly settings: SettingsService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  renderer(): Promise<EmailRenderer> {
    this.compiled ??= EmailRenderer.compile(this.translator);
    return this.compiled;
  }

  get locales(): readonly string[] {
    return this.translator.locales;
  }

  /** The language a customer's emails are written in: theirs if a catalogue serves it, else the `defaultLocale` setting. */
  localeFor(customerLocale: string | null | undefined): string {
    const fallback = this.settings.current().defaultLocale;
    const key = `${customerLocale ?? ''}\u0000${fallback}`;
    let locale = this.resolvedLocales.get(key);
    if (locale === undefined) {
      locale = this.translator.resolve([customerLocale], fallback);
      if (this.resolvedLocales.size >= MAX_CACHED_LOCALES) this.resolvedLocales.clear();
      this.resolvedLocales.set(key, locale);
    }
    return locale;
  }

  resetLink(rawToken: string): string {
    return `${this.config.storefrontUrl}${STOREFRONT_PAGES.createPassword}?token=${encodeURIComponent(rawToken)}`;
  }

  /** storeName and supportEmail as the settings say now. */
  branding(): Pick<EmailData, 'storeName' | 'supportEmail'> {
    const { storeName, supportEmail } = this.settings.current();
    return { storeName, supportEmail };
  }

  async render(name: EmailTemplateName, locale: string, data: EmailData): Promise<RenderedEmail> {
    return (await this.renderer()).render(name, locale, data);
  }

  /** The real template with sample data and a sample link (never a live token): previews and test sends. */
  async preview(name: EmailTemplateName, locale: string): Promise<RenderedEmail> {
    const hours = this.settings.current().resetLinkExpirationHours;
    const now = Date.now();
    return this.render(name, locale, {
      ...this.branding(),
      firstName: this.translator.t(locale, 'email.sample.firstName'),
      resetLink: this.resetLink(SAMPLE_TOKEN),
      expiresInHours: hours,
      expiresAt: new Date(now + hours * 3600_000),
      changedAt: new Date(now),
    });
  }
}
