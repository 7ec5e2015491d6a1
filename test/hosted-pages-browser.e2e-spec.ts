import { writeFileSync } from 'node:fs';
import { createServer, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { AxeSummary, axeCheck } from './support/axe';
import { LaunchedBrowser, launchBrowser, screenshotDir, VIEWPORTS } from './support/browser';
import { CREATE_PASSWORD_PAGE, FORGOT_PAGE } from './support/hosted-pages';
import {
  allOf,
  extractResetLink,
  MESSAGES,
  NO_RESET_THROTTLING,
  passwordGrant,
  extractResetToken,
  forgot,
  registerCustomer,
  sentTo,
  strongPassword,
} from './support/helpers';
import { ExtraApi, ProcessGroup } from './support/processes';
import { MailPredicate } from './support/smtp-sink';
import { Stack, startStack } from './support/stack';

/**
 * The customer's journey through the hosted pages in a real browser (Debian's Chromium): forgot
 * page, the real email at the SMTP sink, its link, a password that breaks a rule, a good one, and a
 * sign-in with it. Once in English, once in Chinese by keyboard alone, once without JavaScript.
 * Elements are found by role and label, axe-core checks every page, and each page is
 * photographed at 390 and 1280 px (README.md and docs/architecture.md show them).
 */
describe('hosted storefront pages in a browser (e2e)', () => {
  const STORE_NAME = 'Harbour Tea Co.';
  /** A used or superseded link, in the page's own words (the REST answer keeps its one message). */
  const LINK_SPENT = {
    en: 'This link has already been used or replaced by a newer one.',
    'zh-CN': '此链接已被使用，或已被更新的链接取代。',
  };
  let stack: Stack;
  let launched: LaunchedBrowser;
  let browser: Browser;
  const axeResults: AxeSummary[] = [];

  beforeAll(async () => {
    // STOREFRONT_URL empty = its default, PUBLIC_URL: the emailed links open these very pages.
    stack = await startStack({ settings: { ...NO_RESET_THROTTLING, storeName: STORE_NAME }, env: { STOREFRONT_URL: '' } });
    launched = await launchBrowser();
    browser = launched.browser;
  });

  afterAll(async () => {
    if (axeResults.length) writeFileSync(join(screenshotDir(), 'storefront-axe-results.json'), `${JSON.stringify(axeResults, null, 2)}\n`);
    await launched?.close();
    await stack?.stop();
  });

  /** A reset email in any language: one with a createPassword link. */
  const isResetLinkMail: MailPredicate = (mail) => {
    try {
      return !!extractResetLink(mail);
    } catch {
      return false;
    }
  };

  /** While axe-core runs in a page: its own probes may touch inline styles, which the CSP then reports. */
  let auditing = false;

  /** One context per journey; every Referer sent and every CSP violation reported is recorded. */
  async function openContext(options: { locale: string; javaScriptEnabled?: boolean }) {
    const context: BrowserContext = await browser.newContext({ ...options, viewport: VIEWPORTS.desktop });
    const page = await context.newPage();
    const referers: string[] = [];
    const cspViolations: string[] = [];
    const consoleErrors: string[] = [];
    const failedRequests: string[] = [];
    page.on('request', (request) => {
      const referer = request.headers().referer;
      if (referer) referers.push(`${request.url()} <- ${referer}`);
    });
    /** Pages that answer 4xx on purpose (a refused form, a used link): Chrome logs their status as an error. */
    const refusedDocuments = new Set<string>();
    page.on('console', (message) => {
      // Chrome's hint for password forms without a username field (a verbose message, not an error).
      if (/Password forms should have/i.test(message.text())) consoleErrors.push(message.text());
      // The email stand-in (a data: page) is another site's page; the emails' own checks are elsewhere.
      if (auditing || message.type() !== 'error' || page.url().startsWith('data:')) return;
      if (/Content Security Policy/i.test(message.text())) cspViolations.push(message.text());
      else if (!(
        /^Failed to load resource: the server responded with a status of 4\d\d/.test(message.text()) &&
        refusedDocuments.has(message.location().url)
      )) {
        consoleErrors.push(`${message.text()} (${message.location().url})`);
      }
    });
    // Every file a page loads (stylesheet, script, favicon) is there.
    page.on('response', (response) => {
      if (response.status() < 400) return;
      if (response.request().resourceType() === 'document') refusedDocuments.add(response.url());
      else failedRequests.push(`${response.status()} ${response.url()}`);
    });
    return { context, page, referers, cspViolations, consoleErrors, failedRequests };
  }

  async function expectAccessible(page: Page, label: string): Promise<void> {
    auditing = true;
    const { summary, blocking } = await axeCheck(page, label).finally(() => {
      auditing = false;
    });
    axeResults.push(summary);
    expect({
      page: label,
      blocking: blocking.map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).join(', ')})`),
    }).toEqual({
      page: label,
      blocking: [],
    });
  }

  /** The page at phone and desktop width, as docs/screenshots/storefront-<name>-<locale>-<width>.png. */
  async function photograph(page: Page, name: string, locale: string): Promise<void> {
    for (const viewport of [VIEWPORTS.phone!, VIEWPORTS.desktop!]) {
      await page.setViewportSize(viewport);
      await page.screenshot({ path: join(screenshotDir(), `storefront-${name}-${locale}-${viewport.width}.png`), fullPage: true });
    }
  }

  /**
   * Opens the email's link the way a webmail reader does: a click on a page of another site (here a
   * data: URL), so the navigation is cross-site, as it is from a real mail client.
   */
  async function clickLinkInEmail(page: Page, html: string, byKeyboard = false): Promise<void> {
    // The email's links open a new tab (target="_blank"); here the same tab follows them.
    const sameTab = html.replace(/\starget=(["'])_blank\1/gi, '');
    await page.goto(`data:text/html;charset=utf-8,${encodeURIComponent(sameTab)}`);
    const link = page.locator(`a[href*="${CREATE_PASSWORD_PAGE}?token="]`).first();
    if (byKeyboard) {
      await link.focus();
      await page.keyboard.press('Enter');
    } else {
      await link.click();
    }
    await page.waitForURL(`${stack.baseUrl}${CREATE_PASSWORD_PAGE}`);
  }

  /** The focused element's id (or tag), and whether it shows a focus outline of at least 2 px. */
  const focused = (page: Page) =>
    page.evaluate(
      `(() => { const el = document.activeElement; const s = getComputedStyle(el);
        return { id: el.id || el.tagName.toLowerCase(), text: el.textContent.trim().slice(0, 40),
                 visible: s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) >= 2 }; })()`,
    ) as Promise<{ id: string; text: string; visible: boolean }>;

  /** Presses Tab until the element with `id` has focus (at most `max` times), checking each stop shows its focus. */
  async function tabTo(page: Page, id: string, max = 8): Promise<void> {
    const stops: string[] = [];
    for (let i = 0; i < max; i++) {
      await page.keyboard.press('Tab');
      const now = await focused(page);
      stops.push(now.id);
      expect({ stop: now.id, text: now.text, focusVisible: now.visible }).toEqual({ stop: now.id, text: now.text, focusVisible: true });
      if (now.id === id) return;
    }
    throw new Error(`Tab never reached #${id}; it stopped at ${stops.join(', ')}`);
  }

  it('en: forgot page, the real email, its link, a rule broken, a new password, and a sign-in with it', async () => {
    const customer = await registerCustomer(stack, { label: 'browser-en', locale: 'en' });
    const { context, page, referers, cspViolations, consoleErrors, failedRequests } = await openContext({ locale: 'en-US' });
    try {
      await page.goto(`${stack.baseUrl}${FORGOT_PAGE}`);
      expect(await page.title()).toBe(`Forgot Your Password? – ${STORE_NAME}`);
      expect(await page.locator('.store-name').textContent()).toBe(STORE_NAME);
      expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Forgot Your Password?');
      expect(await page.getByRole('navigation', { name: 'Language' }).getByRole('link', { name: '简体中文' }).count()).toBe(1);
      await expectAccessible(page, 'forgot (en)');
      await photograph(page, 'forgot', 'en');

      const since = stack.sink.mark();
      await page.getByLabel('Email Address').fill(customer.email);
      await page.getByRole('button', { name: 'Reset My Password' }).click();
      await page.getByRole('status').waitFor();
      expect(await page.getByRole('status').textContent()).toContain(MESSAGES.forgotAccepted(customer.email));
      await expectAccessible(page, 'forgot, sent (en)');
      await photograph(page, 'forgot-sent', 'en');

      const mail = await stack.sink.waitFor(allOf(sentTo(customer.email), isResetLinkMail), { since });
      const link = extractResetLink(mail);
      expect(link.startsWith(`${stack.baseUrl}${CREATE_PASSWORD_PAGE}?token=`)).toBe(true);
      const token = new URL(link).searchParams.get('token')!;

      await clickLinkInEmail(page, mail.html);
      // The token left the address bar, and going back does not bring it back.
      expect(page.url()).toBe(`${stack.baseUrl}${CREATE_PASSWORD_PAGE}`);
      expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Set a New Password');
      expect(await page.content()).not.toContain(token);
      await page.goBack();
      expect(page.url()).toMatch(/^data:/); // the email, not the address with the token
      await page.goForward();
      await page.getByLabel('New Password', { exact: true }).waitFor();

      // For password managers: the account's email in a hidden username field.
      const username = page.locator('form input[autocomplete="username"]');
      expect(await username.count()).toBe(1);
      expect(await username.isHidden()).toBe(true);
      expect(await username.inputValue()).toBe(customer.email);

      // "Show password": a toggle button per field, not pressed; pressed, the field shows its text.
      const toggles = page.getByRole('button', { name: 'Show password' });
      expect(await toggles.count()).toBe(2);
      const passwordField = page.getByLabel('New Password', { exact: true });
      await passwordField.fill('Ab1!x');
      expect([await toggles.first().getAttribute('aria-pressed'), await passwordField.getAttribute('type')]).toEqual(['false', 'password']);
      await toggles.first().click();
      expect([await toggles.first().getAttribute('aria-pressed'), await passwordField.getAttribute('type')]).toEqual(['true', 'text']);
      expect(await passwordField.inputValue()).toBe('Ab1!x');
      // The other field is its own toggle's business.
      expect(await page.getByLabel('Confirm New Password').getAttribute('type')).toBe('password');
      await toggles.first().click();
      expect([await toggles.first().getAttribute('aria-pressed'), await passwordField.getAttribute('type')]).toEqual(['false', 'password']);

      // The rule hints follow the typing (the script is an enhancement; the server decides).
      const lengthRule = page.locator('#password-rules li[data-rule="length"]');
      expect((await lengthRule.getAttribute('class')) ?? '').not.toContain('rule--met');
      expect(await lengthRule.textContent()).toContain('(not met yet)');
      // Met rules are ticked off, in text as well as in the picture.
      expect(await page.locator('#password-rules li[data-rule="spaces"]').textContent()).toContain('(met)');
      await expectAccessible(page, 'set a new password (en)');
      await photograph(page, 'create-password', 'en');

      await page.getByLabel('Confirm New Password').fill('Ab1!x');
      await page.getByRole('button', { name: 'Reset Password' }).click();
      const error = page.getByRole('alert');
      await error.waitFor();
      expect(await error.textContent()).toBe('The password needs at least 6 characters. Create a new password and try again.');
      // Tied to its field: the field is invalid and described by the message.
      const field = page.getByLabel('New Password', { exact: true });
      expect(await field.getAttribute('aria-invalid')).toBe('true');
      expect(await field.getAttribute('aria-describedby')).toContain((await error.getAttribute('id'))!);
      await expectAccessible(page, 'set a new password, rule broken (en)');
      await photograph(page, 'create-password-error', 'en');

      const newPassword = strongPassword('Browser');
      await page.getByRole('button', { name: 'Show password' }).first().click();
      await field.fill(newPassword);
      expect(await lengthRule.getAttribute('class')).toContain('rule--met');
      for (const rule of await page.locator('#password-rules li').all()) expect(await rule.textContent()).toMatch(/\(met\)$/);
      await page.getByLabel('Confirm New Password').fill(newPassword);
      await page.getByRole('button', { name: 'Reset Password' }).click();
      await page.getByRole('status').waitFor();
      expect(await page.getByRole('status').textContent()).toContain(MESSAGES.passwordUpdated);
      await expectAccessible(page, 'password updated (en)');
      expect((await passwordGrant(stack, customer.email, newPassword)).status).toBe(200);

      // No storefront configured (STOREFRONT_URL is this service): no "Sign In" link to a page that is not here.
      expect(await page.getByRole('link', { name: 'Sign In' }).count()).toBe(0);

      // The used link: the page's own words and the way back.
      await page.goto(link);
      expect(await page.getByRole('alert').textContent()).toContain(LINK_SPENT.en);
      await expectAccessible(page, 'used link (en)');
      await photograph(page, 'link-invalid', 'en');
      await page.getByRole('link', { name: 'Forgot Your Password?' }).click();
      await page.waitForURL(`${stack.baseUrl}${FORGOT_PAGE}`);

      expect(referers).toEqual([]);
      expect(cspViolations).toEqual([]);
      expect(failedRequests).toEqual([]);
      expect(consoleErrors).toEqual([]);
    } finally {
      await context.close();
    }
  });

  it('zh-CN, by keyboard alone: Chinese pages and email, visible focus on every stop', async () => {
    const customer = await registerCustomer(stack, { label: 'browser-zh', locale: 'zh-CN' });
    const { context, page, referers, cspViolations, consoleErrors, failedRequests } = await openContext({ locale: 'zh-CN' });
    try {
      await page.goto(`${stack.baseUrl}${FORGOT_PAGE}`);
      expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('忘记密码？');
      expect(await page.getAttribute('html', 'lang')).toBe('zh-CN');
      await expectAccessible(page, 'forgot (zh-CN)');
      await photograph(page, 'forgot', 'zh-CN');

      // Skip link first, then the store's language switch, then the field.
      await page.keyboard.press('Tab');
      expect((await focused(page)).text).toBe('跳到主要内容');
      await tabTo(page, 'email');
      expect(await page.getByLabel('电子邮件地址').evaluate((el, id) => el.id === id, 'email')).toBe(true);
      const since = stack.sink.mark();
      await page.keyboard.type(customer.email);
      await page.keyboard.press('Enter');
      await page.getByRole('status').waitFor();
      expect(await page.getByRole('status').textContent()).toContain(`如果存在与 ${customer.email} 关联的帐户`);
      await expectAccessible(page, 'forgot, sent (zh-CN)');
      await photograph(page, 'forgot-sent', 'zh-CN');

      const mail = await stack.sink.waitFor(allOf(sentTo(customer.email), isResetLinkMail), { since });
      // The email speaks the account's language too.
      expect(mail.subject).toMatch(/[\u4e00-\u9fff]/);
      expect(mail.headers['content-language']).toBe('zh-CN');

      await clickLinkInEmail(page, mail.html, true);
      expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('设置新密码');
      await expectAccessible(page, 'set a new password (zh-CN)');
      await photograph(page, 'create-password', 'zh-CN');

      await tabTo(page, 'password');
      await page.keyboard.type('abc');
      // Next stop: the field's "显示密码" toggle, worked with the space bar.
      await page.keyboard.press('Tab');
      expect((await focused(page)).text).toBe('显示密码');
      await page.keyboard.press('Space');
      expect(await page.locator('#password').getAttribute('type')).toBe('text');
      expect(await page.getByRole('button', { name: '显示密码', pressed: true }).count()).toBe(1);
      await tabTo(page, 'password-confirmation', 1);
      await page.keyboard.type('abc');
      await page.keyboard.press('Enter');
      await page.getByRole('alert').waitFor();
      expect(await page.getByRole('alert').textContent()).toBe('密码长度必须是6个或更多字符。请设置新密码后再试。');
      // The refused field has the focus again (autofocus), so typing goes on where it must; the
      // password was sent from a password field (never kept in a browser's form history).
      expect((await focused(page)).id).toBe('password');
      expect(await page.locator('#password').getAttribute('type')).toBe('password');
      await expectAccessible(page, 'set a new password, rule broken (zh-CN)');
      await photograph(page, 'create-password-error', 'zh-CN');

      const newPassword = strongPassword('Keyboard');
      await page.keyboard.type(newPassword);
      await tabTo(page, 'password-confirmation', 2);
      await page.keyboard.type(newPassword);
      await page.keyboard.press('Enter');
      await page.getByRole('status').waitFor();
      expect(await page.getByRole('status').textContent()).toContain('您已更新密码。');
      await expectAccessible(page, 'password updated (zh-CN)');
      expect((await passwordGrant(stack, customer.email, newPassword)).status).toBe(200);

      await page.goto(extractResetLink(mail));
      expect(await page.getByRole('alert').textContent()).toContain(LINK_SPENT['zh-CN']);
      await expectAccessible(page, 'used link (zh-CN)');
      await photograph(page, 'link-invalid', 'zh-CN');

      // The visible switch: English at once, remembered.
      await page.getByRole('navigation', { name: '语言' }).getByRole('link', { name: 'English' }).click();
      expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Set a New Password');

      expect(referers).toEqual([]);
      expect(cspViolations).toEqual([]);
      expect(failedRequests).toEqual([]);
      expect(consoleErrors).toEqual([]);
    } finally {
      await context.close();
    }
  });

  it('works with JavaScript disabled, from the link typed into the address bar', async () => {
    const customer = await registerCustomer(stack, { label: 'browser-nojs' });
    const { context, page } = await openContext({ locale: 'en-GB', javaScriptEnabled: false });
    try {
      await page.goto(`${stack.baseUrl}${FORGOT_PAGE}`);
      const since = stack.sink.mark();
      await page.getByLabel('Email Address').fill(customer.email);
      await page.getByRole('button', { name: 'Reset My Password' }).click();
      await page.getByRole('status').waitFor();
      const mail = await stack.sink.waitFor(allOf(sentTo(customer.email), isResetLinkMail), { since });

      await page.goto(extractResetLink(mail));
      await page.waitForURL(`${stack.baseUrl}${CREATE_PASSWORD_PAGE}`);
      // No script ran: the rule hints are the server's plain list, and no "Show password" button that would do nothing.
      expect(await page.locator('#password-rules .visually-hidden').count()).toBe(0);
      expect(await page.getByRole('button', { name: 'Show password' }).count()).toBe(0);

      await page.getByLabel('New Password', { exact: true }).fill('has a space 1');
      await page.getByLabel('Confirm New Password').fill('has a space 1');
      await page.getByRole('button', { name: 'Reset Password' }).click();
      await page.getByRole('alert').waitFor();
      expect(await page.getByRole('alert').textContent()).toBe('The password can not contain spaces.');

      const newPassword = strongPassword('NoJs');
      await page.getByLabel('New Password', { exact: true }).fill(newPassword);
      await page.getByLabel('Confirm New Password').fill(newPassword);
      await page.getByRole('button', { name: 'Reset Password' }).click();
      await page.getByRole('status').waitFor();
      expect(await page.getByRole('status').textContent()).toContain(MESSAGES.passwordUpdated);
      expect((await passwordGrant(stack, customer.email, newPassword)).status).toBe(200);
    } finally {
      await context.close();
    }
  });

  describe('with a storefront (STOREFRONT_URL elsewhere)', () => {
    let storefront: Server;
    let storefrontUrl: string;
    let group: ProcessGroup;
    let api: ExtraApi;

    beforeAll(async () => {
      // The store's own site, as far as this needs one: its sign-in page.
      storefront = createServer((request, response) => {
        const signIn = request.url === '/customer/account/login';
        response.writeHead(signIn ? 200 : 404, { 'content-type': 'text/html; charset=utf-8' });
        response.end(
          signIn
            ? '<!doctype html><html lang="en"><link rel="icon" href="data:,"><title>Customer Login</title><h1>Customer Login</h1></html>'
            : 'not found',
        );
      });
      await new Promise<void>((resolve) => storefront.listen(0, '127.0.0.1', resolve));
      storefrontUrl = `http://127.0.0.1:${(storefront.address() as AddressInfo).port}`;
      group = new ProcessGroup(stack);
      api = await group.api('api-with-storefront', { STOREFRONT_URL: storefrontUrl });
    });

    afterAll(async () => {
      await group?.stopAll();
      await new Promise((resolve) => storefront?.close(resolve));
    });

    /** A reset link's token through the REST route, from the email in whichever language it came. */
    async function resetToken(email: string): Promise<string> {
      const since = stack.sink.mark();
      expect((await forgot(stack, email)).status).toBe(202);
      return extractResetToken(await stack.sink.waitFor(allOf(sentTo(email), isResetLinkMail), { since }));
    }

    it.each([
      ['en', 'en-US', { signIn: 'Sign In', submit: 'Reset Password', forgot: 'Forgot Your Password?' }],
      ['zh-CN', 'zh-CN', { signIn: '登录', submit: '重置密码', forgot: '忘记密码？' }],
    ] as const)(
      '%s: "Sign In" leads to the storefront after a reset; a used or replaced link says so and leads back',
      async (locale, browserLocale, words) => {
        const customer = await registerCustomer(stack, { label: `browser-done-${locale}`, locale });
        const older = await resetToken(customer.email);
        const newer = await resetToken(customer.email);
        const { context, page, cspViolations, consoleErrors, failedRequests } = await openContext({ locale: browserLocale });
        try {
          await page.goto(`${api.baseUrl}${CREATE_PASSWORD_PAGE}?token=${newer}`);
          await page.waitForURL(`${api.baseUrl}${CREATE_PASSWORD_PAGE}`);
          const newPassword = strongPassword('Done');
          await page.locator('#password').fill(newPassword);
          await page.locator('#password-confirmation').fill(newPassword);
          await page.getByRole('button', { name: words.submit }).click();
          await page.getByRole('status').waitFor();
          const signIn = page.getByRole('link', { name: words.signIn });
          expect(await signIn.getAttribute('href')).toBe(`${storefrontUrl}/customer/account/login`);
          await expectAccessible(page, `password updated, with a storefront (${locale})`);
          await photograph(page, 'create-password-done', locale);
          await signIn.click();
          await page.waitForURL(`${storefrontUrl}/customer/account/login`);
          expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Customer Login');

          // The link just used, and the older one it replaced: the page's own words, and the way back.
          for (const token of [newer, older]) {
            await page.goto(`${api.baseUrl}${CREATE_PASSWORD_PAGE}?token=${token}`);
            await page.getByRole('alert').waitFor();
            expect(await page.getByRole('alert').textContent()).toContain(LINK_SPENT[locale]);
            expect(await page.getByRole('link', { name: words.forgot }).getAttribute('href')).toBe(FORGOT_PAGE);
          }
          await expectAccessible(page, `used link (${locale})`);
          await page.getByRole('link', { name: words.forgot }).click();
          await page.waitForURL(`${api.baseUrl}${FORGOT_PAGE}`);

          // The REST answer for the same link keeps the message the API contract fixes.
          const rest = await api.api('/api/v1/customers/password/reset/validate', { json: { token: older } });
          expect(rest.body).toMatchObject({ code: 'RESET_TOKEN_INVALID', message: MESSAGES.resetTokenInvalid });
          expect(cspViolations).toEqual([]);
          expect(failedRequests).toEqual([]);
          expect(consoleErrors).toEqual([]);
        } finally {
          await context.close();
        }
      },
    );
  });
});
