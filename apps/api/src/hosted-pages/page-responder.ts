import { Inject, Injectable } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { DomainError } from '@customer-access/common';
import { APP_CONFIG, AppConfig } from '@customer-access/config';
import { MessageParams, Translator } from '@customer-access/i18n';
import { ResolvedStoreView, StoreRegistry } from '@customer-access/settings';
import { publishedOverHttps } from '../http/browser-plugins';
import { pageSecurityHeaders } from './page-headers';
import { PageCookies } from './page-cookies';
import { pageLocale } from './page-locale';
import { PageFrame, PageName, PageRenderer } from './page-renderer';

/** One page request: who asked, in which language, and the store it is shown for. */
export interface PageContext {
  request: FastifyRequest;
  reply: FastifyReply;
  locale: string;
  /** Set when `?lang=` chose a supported language on this request. */
  chosenLocale?: string;
  /** The store view the page is for: the one whose baseUrl host is the request's Host, else default (it only selects). */
  storeView: ResolvedStoreView;
  storeName: string;
  supportEmail: string;
  /** The storefront's sign-in page, where "You updated your password." leads; none when no storefront is configured. */
  signInUrl?: string;
  t(key: string, params?: MessageParams): string;
  /** A domain error's message in the page's language (its English text when it has no catalogue key). */
  message(error: DomainError): string;
}

/** Magento's customer sign-in page, under the storefront's base URL. */
export const STOREFRONT_SIGN_IN_PATH = '/customer/account/login';

/**
 * Where a customer signs in after a reset: `STOREFRONT_URL`'s sign-in page. When STOREFRONT_URL is
 * this service itself (its default, PUBLIC_URL), there is no storefront to go to, and no link: this
 * service has no sign-in page.
 */
export function storefrontSignInUrl(config: Pick<AppConfig, 'publicUrl' | 'storefrontUrl'>): string | undefined {
  return config.storefrontUrl && config.storefrontUrl !== config.publicUrl
    ? `${config.storefrontUrl}${STOREFRONT_SIGN_IN_PATH}`
    : undefined;
}

/** The sign-in page of a store view: under its configured baseUrl (never the request's Host), none when that is this service. */
export function storeViewSignInUrl(view: Pick<ResolvedStoreView, 'baseUrl'>, config: Pick<AppConfig, 'publicUrl'>): string | undefined {
  return storefrontSignInUrl({ publicUrl: config.publicUrl, storefrontUrl: view.baseUrl });
}

/**
 * Everything a hosted page answer shares: language, CSRF token and check, security headers,
 * `Cache-Control: no-store`, rendering.
 */
@Injectable()
export class PageResponder {
  readonly cookies: PageCookies;
  private readonly securityHeaders: ReturnType<typeof pageSecurityHeaders>;
  private readonly publicUrl: string;

  constructor(
    @Inject(APP_CONFIG) config: AppConfig,
    private readonly renderer: PageRenderer,
    private readonly translator: Translator,
    private readonly stores: StoreRegistry,
    private readonly adapterHost: HttpAdapterHost,
  ) {
    const https = publishedOverHttps(config);
    this.cookies = new PageCookies(https);
    this.securityHeaders = pageSecurityHeaders(https);
    this.publicUrl = config.publicUrl;
  }

  context(request: FastifyRequest, reply: FastifyReply, options: { customerLocale?: string } = {}): PageContext {
    // The Host only selects among the configured store views; every link below comes from the view's own baseUrl.
    const view = this.stores.forHost(request.headers.host);
    const { locale, chosen } = pageLocale(this.translator, this.cookies, request, { ...options, defaultLocale: view.locale });
    if (chosen) this.cookies.setLanguage(reply, chosen);
    return {
      request,
      reply,
      locale,
      chosenLocale: chosen,
      storeView: view,
      storeName: view.name,
      supportEmail: view.supportEmail,
      signInUrl: storeViewSignInUrl(view, { publicUrl: this.publicUrl }),
      t: (key, params) => this.translator.t(locale, key, params),
      message: (error) => (error.messageKey ? this.translator.t(locale, error.messageKey, error.params) : error.message),
    };
  }

  /** A CSRF token for a form (sets the secret cookie on the first page a browser sees). */
  async csrfToken(page: PageContext): Promise<string> {
    return page.reply.generateCsrf();
  }

  /**
   * @fastify/csrf-protection's own check, asked for a yes or no. Its hook answers a failure by
   * sending a JSON error itself; a form deserves the page again with a message, so the hook gets
   * a stand-in reply that only notes the failure.
   */
  csrfValid(request: FastifyRequest): boolean {
    const fastify = this.adapterHost.httpAdapter.getInstance<FastifyInstance>();
    let valid = false;
    // The secret cookie is not signed, so the hook reads it from the request and only calls send().
    const probe = { send: () => probe } as unknown as FastifyReply;
    fastify.csrfProtection(request, probe, () => {
      valid = true;
    });
    return valid;
  }

  async send(
    page: PageContext,
    status: number,
    name: PageName,
    frame: Omit<PageFrame, 'locale' | 'storeName' | 'supportEmail'>,
    data: Record<string, unknown>,
    headers: Record<string, string> = {},
  ): Promise<void> {
    const html = this.renderer.render(
      name,
      { ...frame, locale: page.locale, storeName: page.storeName, supportEmail: page.supportEmail },
      data,
    );
    void page.reply
      .status(status)
      .headers({
        ...this.securityHeaders,
        ...headers,
        'cache-control': 'no-store',
        'content-language': page.locale,
        'content-type': 'text/html; charset=utf-8',
      })
      .send(html);
  }
}
