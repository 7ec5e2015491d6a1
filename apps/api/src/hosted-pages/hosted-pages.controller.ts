import { Controller, Get, Post, Req, Res, UseFilters, UseGuards } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { isEmail } from 'class-validator';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { DomainError, ErrorCode, INPUT_LIMITS, STOREFRONT_PAGES } from '@customer-access/common';
import { MAX_CHALLENGE_PAYLOAD_LENGTH, ResetChallenge, StorefrontResetFlow, UsableResetToken } from '@customer-access/password-reset';
import { SettingsService } from '@customer-access/settings';
import { formField } from '../http/form-field';
import { HostedPageErrorFilter } from './hosted-page-error.filter';
import { HostedPagesEnabledGuard } from './hosted-pages-enabled.guard';
import { PageCookies } from './page-cookies';
import { PageContext, PageResponder } from './page-responder';

/** An error to show: its message and, when it belongs to one field, that field. */
interface FormError {
  message: string;
  field?: 'email' | 'password' | 'confirmation';
}

/**
 * The hosted storefront pages (docs/api.md, "Hosted pages"): "Forgot Your Password?" and "Set a New
 * Password", server-rendered so that they work without JavaScript: an HTML door over the same
 * StorefrontResetFlow as the REST routes, so every rule holds whichever door a customer uses.
 */
@ApiExcludeController()
@Controller()
@UseGuards(HostedPagesEnabledGuard)
@UseFilters(HostedPageErrorFilter)
export class HostedPagesController {
  private readonly cookies: PageCookies;

  constructor(
    private readonly pages: PageResponder,
    private readonly settings: SettingsService,
    private readonly flow: StorefrontResetFlow,
    private readonly challenge: ResetChallenge,
  ) {
    this.cookies = pages.cookies;
  }

  @Get(STOREFRONT_PAGES.forgotPassword)
  async forgotForm(@Req() request: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    const page = this.pages.context(request, reply);
    await this.showForgot(page, 200, { email: '', challenge: await this.challenge.neededNext(request.ip) });
  }

  /**
   * CSRF, then the email (a form that fails either is not counted against the throttle), then the
   * flow's proof of work (when resetChallenge asks for it: the widget's `altcha` field), throttle
   * and enqueue, then the same answer for every address.
   */
  @Post(STOREFRONT_PAGES.forgotPassword)
  async forgotSubmit(@Req() request: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    const page = this.pages.context(request, reply);
    const email = formField(request.body, 'email', INPUT_LIMITS.email);
    const needed = () => this.challenge.neededNext(request.ip);
    if (!this.pages.csrfValid(request)) {
      return this.showForgot(page, 403, { email, challenge: await needed(), error: { message: page.t('pages.common.formExpired') } });
    }
    if (!isEmail(email)) {
      const message = page.t(email ? 'pages.forgot.invalidEmail' : 'pages.common.required');
      return this.showForgot(page, 400, { email, challenge: await needed(), error: { message, field: 'email' } });
    }
    const altcha = formField(request.body, 'altcha', MAX_CHALLENGE_PAYLOAD_LENGTH) || undefined;
    try {
      await this.flow.request({ ip: request.ip, email, storeView: page.storeView, altcha });
    } catch (error) {
      if (error instanceof DomainError && error.code === ErrorCode.ChallengeRequired) {
        // Without JavaScript this is where the form ends: the page says why (<noscript>) and nothing was sent.
        return this.showForgot(page, 400, { email, challenge: true, error: { message: page.message(error) } });
      }
      if (!isRateLimited(error)) throw error;
      return this.showForgot(page, 429, { email, challenge: await needed(), error: { message: page.message(error) } }, retryAfter(error));
    }
    await this.pages.send(
      page,
      200,
      'forgot-password',
      { title: page.t('pages.forgot.title') },
      {
        sent: page.t('api.forgotAccepted', { email }),
      },
    );
  }

  /**
   * The emailed link. With `?token=`, the token moves into a cookie and the page reloads itself
   * without it (see showResetLinkHop); without, the form for the token in the cookie.
   */
  @Get(STOREFRONT_PAGES.createPassword)
  async createForm(@Req() request: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    const query = request.query as { token?: unknown; lang?: unknown };
    const page = this.pages.context(request, reply);
    if (typeof query.token === 'string' && query.token) {
      return this.showResetLinkHop(page, query.token.slice(0, INPUT_LIMITS.token));
    }
    const token = this.cookies.resetToken(request);
    if (!token) return this.showLinkProblem(page, 400, page.t('api.resetTokenInvalid'));
    let account: UsableResetToken;
    try {
      account = await this.flow.check(request.ip, token);
    } catch (error) {
      return this.showTokenError(page, error);
    }
    // The hidden username field names the account, for the password manager: only a good link's
    // holder gets here, so the page tells nobody anything their inbox did not.
    await this.showCreate(this.inCustomersLanguage(page, account.customerLocale), 200, { username: account.customerEmail });
  }

  @Post(STOREFRONT_PAGES.createPassword)
  async createSubmit(@Req() request: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    const page = this.pages.context(request, reply);
    // The hidden username field comes back as the form sent it, for the password manager.
    const username = formField(request.body, 'username', INPUT_LIMITS.email);
    if (!this.pages.csrfValid(request)) {
      return this.showCreate(page, 403, { username, error: { message: page.t('pages.common.formExpired') } });
    }
    const token = this.cookies.resetToken(request);
    if (!token) return this.showLinkProblem(page, 400, page.t('api.resetTokenInvalid'));
    const input = {
      token,
      password: formField(request.body, 'password', INPUT_LIMITS.password),
      passwordConfirmation: formField(request.body, 'password_confirmation', INPUT_LIMITS.password),
    };
    try {
      await this.flow.complete(request.ip, input);
    } catch (error) {
      if (error instanceof DomainError && (error.code === ErrorCode.PasswordPolicy || error.code === ErrorCode.PasswordBreached)) {
        return this.showCreate(page, 400, { username, error: { message: page.message(error), field: 'password' } });
      }
      if (error instanceof DomainError && error.code === ErrorCode.PasswordMismatch) {
        return this.showCreate(page, 400, { username, error: { message: page.message(error), field: 'confirmation' } });
      }
      return this.showTokenError(page, error);
    }
    this.cookies.clearResetToken(reply);
    await this.pages.send(
      page,
      200,
      'create-password',
      { title: page.t('pages.create.title') },
      { done: page.t('api.passwordUpdated'), signInUrl: page.signInUrl },
    );
  }

  /**
   * The form of a good link speaks the account's language when the reader chose none (`?lang=`, the
   * cookie) and before the browser's, and remembers it, so the form's answers speak it too.
   */
  private inCustomersLanguage(page: PageContext, customerLocale: string | undefined): PageContext {
    if (!customerLocale || page.chosenLocale || this.cookies.language(page.request)) return page;
    const localized = this.pages.context(page.request, page.reply, { customerLocale });
    this.cookies.setLanguage(page.reply, localized.locale);
    return localized;
  }

  /** The forgot form; with `challenge`, the proof-of-work widget in it (and its scripts) and the no-JavaScript notice. */
  private async showForgot(
    page: PageContext,
    status: number,
    { challenge, ...data }: { email: string; error?: FormError; challenge: boolean },
    headers: Record<string, string> = {},
  ): Promise<void> {
    await this.pages.send(
      page,
      status,
      'forgot-password',
      { title: page.t('pages.forgot.title'), hasErrors: !!data.error, challengeScript: challenge },
      {
        ...data,
        csrfToken: await this.pages.csrfToken(page),
        challenge: challenge ? { language: page.locale.toLowerCase(), strings: JSON.stringify(widgetStrings(page)) } : undefined,
      },
      headers,
    );
  }

  private async showCreate(
    page: PageContext,
    status: number,
    data: { error?: FormError; username?: string },
    headers: Record<string, string> = {},
  ): Promise<void> {
    const settings = this.settings.current();
    await this.pages.send(
      page,
      status,
      'create-password',
      { title: page.t('pages.create.title'), hasErrors: !!data.error, passwordScript: true },
      {
        ...data,
        form: true,
        csrfToken: await this.pages.csrfToken(page),
        minLength: settings.minPasswordLength,
        requiredClasses: settings.requiredCharacterClasses,
      },
      headers,
    );
  }

  /** A bad or expired link: its message and the way back to "Forgot Your Password?". */
  private async showLinkProblem(page: PageContext, status: number, message: string, headers: Record<string, string> = {}): Promise<void> {
    this.cookies.clearResetToken(page.reply);
    await this.pages.send(
      page,
      status,
      'create-password',
      { title: page.t('pages.create.title'), hasErrors: true },
      { linkProblem: message, forgotPath: STOREFRONT_PAGES.forgotPassword },
      headers,
    );
  }

  private async showTokenError(page: PageContext, error: unknown): Promise<void> {
    if (isRateLimited(error)) {
      // Too many wrong tokens from this IP: keep the cookie, the link itself may be good.
      return this.showCreate(page, 429, { error: { message: page.message(error) } }, retryAfter(error));
    }
    if (error instanceof DomainError && error.code === ErrorCode.ResetTokenInvalid && error.reason === 'spent') {
      // A genuine link that was used or replaced: the page says so (the REST answer keeps its one message).
      return this.showLinkProblem(page, 400, page.t('pages.create.linkSpent'));
    }
    if (error instanceof DomainError && (error.code === ErrorCode.ResetTokenExpired || error.code === ErrorCode.ResetTokenInvalid)) {
      return this.showLinkProblem(page, 400, page.message(error));
    }
    throw error;
  }

  /**
   * Moves the token out of the address bar: it goes into an HttpOnly, SameSite=Strict cookie for
   * this path, and the answer is a tiny page that reloads the bare URL at once
   * (`<meta http-equiv="refresh" content="0">`, which also works without JavaScript and replaces
   * the history entry). Not a 303: the link is opened from a mail client or webmail, another site,
   * and a browser does not send a SameSite=Strict cookie along a redirect chain that another site
   * started; a reload started by this page is same-site, so the cookie comes along. No Referer
   * leaves with the token (Referrer-Policy: no-referrer) and the access log scrubs `token=`.
   */
  private async showResetLinkHop(page: PageContext, token: string): Promise<void> {
    this.cookies.setResetToken(page.reply, token);
    const path = STOREFRONT_PAGES.createPassword;
    const target = page.chosenLocale ? `${path}?lang=${encodeURIComponent(page.chosenLocale)}` : path;
    await this.pages.send(page, 200, 'reset-link-hop', { title: page.t('pages.create.title'), refreshTo: target }, { target });
  }
}

/** The ALTCHA widget's texts (its `strings`) in the page's language, from the `pages.challenge` catalogue section. */
const WIDGET_STRINGS = [
  'label',
  'verifying',
  'verified',
  'error',
  'expired',
  'verificationRequired',
  'waitAlert',
  'loading',
  'reload',
  'verify',
];
function widgetStrings(page: PageContext): Record<string, string> {
  return Object.fromEntries(WIDGET_STRINGS.map((name) => [name, page.t(`pages.challenge.${name}`)]));
}

function retryAfter(error: DomainError): Record<string, string> {
  return error.retryAfterSeconds === undefined ? {} : { 'Retry-After': String(error.retryAfterSeconds) };
}

function isRateLimited(error: unknown): error is DomainError {
  return error instanceof DomainError && error.code === ErrorCode.ResetRateLimited;
}
