import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, AppConfig } from '@customer-access/config';
import { Translator } from '@customer-access/i18n';
import { ResolvedStoreView, SettingsService } from '@customer-access/settings';
import { EmailTemplateName } from '../email-log/email-log-entry.entity';
import { STOREFRONT_PAGES } from '@customer-access/common';
import { EmailCustomer, EmailLinks, PreparedEmail } from '../emails/customer-email';
import { CUSTOMER_EMAILS } from '../emails/customer-emails';
import { EmailContext, EmailRenderer, RenderedEmail } from './email-renderer';

const MAX_CACHED_LOCALES = 1000;

const resetLinkOn = (base: string, rawToken: string): string =>
  `${base}${STOREFRONT_PAGES.createPassword}?token=${encodeURIComponent(rawToken)}`;

/** The token of preview links: visibly a sample, and not even well-formed as a token, so it can never work. */
export const SAMPLE_TOKEN = 'PREVIEW-SAMPLE-NOT-A-REAL-TOKEN';

/**
 * The customer emails as the apps use them: compiled once per process (on first use; the worker
 * warms it at start), in the customer's language, with the store's branding from the settings and
 * links built from STOREFRONT_URL only, never from anything a client sent (such as a Host header).
 */
@Injectable()
export class EmailTemplates implements EmailLinks {
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
  localeFor(customerLocale: string | null | undefined, fallback: string = this.settings.current().defaultLocale): string {
    const key = `${customerLocale ?? ''}\u0000${fallback}`;
    let locale = this.resolvedLocales.get(key);
    if (locale === undefined) {
      locale = this.translator.resolve([customerLocale], fallback);
      if (this.resolvedLocales.size >= MAX_CACHED_LOCALES) this.resolvedLocales.clear();
      this.resolvedLocales.set(key, locale);
    }
    return locale;
  }

  /** Previews and test sends: STOREFRONT_URL (the default store view's inherited base). */
  resetLink(rawToken: string): string {
    return resetLinkOn(this.config.storefrontUrl, rawToken);
  }

  /** The links of an email from store view `view`: its baseUrl, set by an admin, never a request's Host. */
  linksOf(view: (customer: EmailCustomer) => Pick<ResolvedStoreView, 'baseUrl'>): EmailLinks {
    return { resetLink: (rawToken, customer) => resetLinkOn(view(customer).baseUrl, rawToken) };
  }

  /** What every email to `customer` is given: the name, and the store's branding and time zone as the settings say now. */
  context(customer: Pick<EmailCustomer, 'firstName' | 'lastName'>, view?: ResolvedStoreView): EmailContext {
    const { storeName, supportEmail, timezone } = view
      ? { storeName: view.name, supportEmail: view.supportEmail, timezone: view.timezone }
      : this.settings.current();
    return { firstName: customer.firstName, lastName: customer.lastName, storeName, supportEmail, timeZone: timezone };
  }

  /**
   * A prepared customer email, rendered in the customer's language (else the store view's), with the
   * store view's name, support address, time zone and sender (without a view: the settings and MAIL_FROM).
   */
  async render(name: EmailTemplateName, email: PreparedEmail, view?: ResolvedStoreView): Promise<RenderedEmail> {
    const locale = this.localeFor(email.customer.locale, view?.locale);
    const rendered = (await this.renderer()).render(name, locale, this.context(email.customer, view), email.vars);
    return view ? { ...rendered, from: view.mailFrom } : rendered;
  }

  /** The real template with its sample data and a sample link (never a live token): previews and test sends. */
  async preview(name: EmailTemplateName, locale: string): Promise<RenderedEmail> {
    const customer: EmailCustomer = {
      id: '00000000-0000-0000-0000-000000000000',
      email: 'customer@example.com',
      firstName: this.translator.t(locale, 'email.sample.firstName'),
      lastName: this.translator.t(locale, 'email.sample.lastName'),
      locale,
    };
    const sample = {
      customer,
      now: new Date(),
      resetLinkExpirationHours: this.settings.current().resetLinkExpirationHours,
      rawToken: SAMPLE_TOKEN,
    };
    const email = CUSTOMER_EMAILS[name].preview(sample, this);
    return (await this.renderer()).render(name, locale, this.context(customer), email.vars);
  }
}
