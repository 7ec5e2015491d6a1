import type { CookieSerializeOptions } from '@fastify/cookie';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { STOREFRONT_PAGES } from '@customer-access/common';

/** Holds the reset token between the link's first load and the form's post (Magento keeps it in the session). */
export const RESET_TOKEN_COOKIE = 'reset_token';
/** Long enough to read the rules and type a password twice; the token's own expiry still applies. */
export const RESET_TOKEN_COOKIE_SECONDS = 30 * 60;
/** The reader's language choice from the switch (`?lang=`). */
export const LANGUAGE_COOKIE = 'lang';
const LANGUAGE_COOKIE_SECONDS = 365 * 24 * 3600;

export class PageCookies {
  constructor(private readonly secure: boolean) {}

  /** HttpOnly (no script reads it), SameSite=Strict (no other site's request carries it), this page only. */
  setResetToken(reply: FastifyReply, token: string): void {
    void reply.setCookie(RESET_TOKEN_COOKIE, token, this.tokenOptions({ maxAge: RESET_TOKEN_COOKIE_SECONDS }));
  }

  resetToken(request: FastifyRequest): string | undefined {
    const token = request.cookies?.[RESET_TOKEN_COOKIE];
    return token ? token : undefined;
  }

  clearResetToken(reply: FastifyReply): void {
    void reply.clearCookie(RESET_TOKEN_COOKIE, this.tokenOptions({}));
  }

  setLanguage(reply: FastifyReply, locale: string): void {
    void reply.setCookie(LANGUAGE_COOKIE, locale, {
      path: STOREFRONT_PAGES.base,
      httpOnly: true,
      sameSite: 'lax',
      secure: this.secure,
      maxAge: LANGUAGE_COOKIE_SECONDS,
    });
  }

  language(request: FastifyRequest): string | undefined {
    return request.cookies?.[LANGUAGE_COOKIE];
  }

  private tokenOptions(extra: CookieSerializeOptions): CookieSerializeOptions {
    // The reset page's own address: the token cookie is sent to it and to nothing else.
    return { path: STOREFRONT_PAGES.createPassword, httpOnly: true, sameSite: 'strict', secure: this.secure, ...extra };
  }
}
