import { join } from 'node:path';
import type { BrowserContext, Locator, Page, Request } from 'playwright-core';
import { AdminAccount, adminToken, createAdmin, nextTotpCode, signInWithMfa, startExtraApi } from './support/admin';
import { axeCheck, WCAG_TAGS } from './support/axe';
import { launchBrowser, LaunchedBrowser, screenshotDir, VIEWPORTS } from './support/browser';
import { accessTokenFor, passwordGrant, registerCustomer, RegisteredCustomer, sentTo, sleep } from './support/helpers';
import { readFile } from 'node:fs/promises';
import { Stack, startStack } from './support/stack';

/**
 * The admin console at /admin, driven in Debian's Chromium through its accessible roles and labels:
 * the admin journey of docs/api.md, roles, the queue dashboard, accessibility (axe-core, keyboard) and
 * the screenshots in docs/screenshots (SCREENSHOT_DIR=docs/screenshots to refresh them).
 */

// Used only inside functions that run in the page (Playwright serialises them): the browser's
// globals, declared here instead of adding the DOM library to the whole test project.
interface WebStorage {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
  readonly length: number;
}
declare const document: { activeElement: unknown; documentElement: { scrollWidth: number } };
declare const window: { innerWidth: number };
declare const localStorage: WebStorage;
declare const sessionStorage: WebStorage;

const EN = {
  resetSent: 'The customer will receive an email with a link to reset password.',
  confirm: "Are you sure you want to revoke the customer's tokens?",
  revoked: "You have revoked the customer's tokens.",
  saved: 'You saved the configuration.',
};
const LOCALE_KEY = 'customer-access.admin-locale';

type Locale = 'en' | 'zh-CN';
type Viewport = keyof typeof VIEWPORTS;

describe('admin console in a real browser (e2e)', () => {
  let stack: Stack;
  let chromium: LaunchedBrowser;
  let administrator: AdminAccount;
  let support: AdminAccount;
  /** Serious and critical axe violations per screen, reported at the end. */
  const axeReport: string[] = [];

  beforeAll(async () => {
    chromium = await launchBrowser();
    stack = await startStack();
    [administrator, support] = await Promise.all([
      createAdmin(stack, 'administrator', 'console-admin'),
      createAdmin(stack, 'support', 'console-support'),
    ]);
  });

  afterAll(async () => {
    await chromium?.close();
    await stack?.stop();
    if (axeReport.length) console.log(`axe-core (${WCAG_TAGS.join(', ')}), serious+critical per screen:\n${axeReport.join('\n')}`);
  });

  async function open(viewport: Viewport = 'desktop', locale?: Locale): Promise<{ context: BrowserContext; page: Page }> {
    const context = await chromium.browser.newContext({ viewport: VIEWPORTS[viewport], baseURL: stack.baseUrl });
    if (locale) await context.addInitScript(([key, value]) => localStorage.setItem(key, value), [LOCALE_KEY, locale]);
    const page = await context.newPage();
    return { context, page };
  }

  /** axe-core on the page as it is now: no serious or critical WCAG 2.2 A/AA violation. */
  async function expectAccessible(page: Page, screen: string): Promise<void> {
    const { summary, blocking } = await axeCheck(page, screen);
    axeReport.push(
      `  ${screen}: ${blocking.length} (passes: ${summary.passes}, minor/moderate: ${summary.violations.length - blocking.length})`,
    );
    expect({
      screen,
      violations: blocking.map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).join('; ')})`),
    }).toEqual({
      screen,
      violations: [],
    });
  }

  async function screenshot(page: Page, name: string, locale: Locale, viewport: Viewport): Promise<void> {
    await page.screenshot({ path: join(screenshotDir(), `admin-${name}-${locale}-${VIEWPORTS[viewport]!.width}.png`) });
  }

  const heading = (page: Page, name: string) => page.getByRole('heading', { level: 1, name });
  const isFocused = (locator: Locator) => locator.evaluate((element) => element === document.activeElement);

  /** Focuses a control and presses a key, as a keyboard user who has tabbed to it would. */
  async function press(locator: Locator, key = 'Enter'): Promise<void> {
    await locator.focus();
    await locator.press(key);
  }

  const SIGN_IN_TEXTS = {
    en: {
      email: 'Email',
      password: 'Password',
      submit: 'Sign In',
      mfaTitle: 'Two-Factor Authentication',
      code: 'Authentication code',
      verify: 'Verify',
      recoveryTitle: 'Save your recovery codes',
      download: 'Download',
      continue: 'Continue',
      allCustomers: 'All Customers',
      myAccount: 'My Account',
      regenerate: 'Generate New Codes',
      cancel: 'Cancel',
      ok: 'OK',
      done: 'Done',
      recoveryCodes: 'Recovery codes',
      signOut: 'Sign Out',
      typeTotp: 'Authenticator app',
    },
    'zh-CN': {
      email: '电子邮件',
      password: '密码',
      submit: '登录',
      mfaTitle: '双重身份验证',
      code: '验证码',
      verify: '验证',
      recoveryTitle: '保存您的恢复代码',
      download: '下载',
      continue: '继续',
      allCustomers: '所有客户',
      myAccount: '我的帐户',
      regenerate: '生成新代码',
      cancel: '取消',
      ok: '确定',
      done: '完成',
      recoveryCodes: '恢复代码',
      signOut: '退出',
      typeTotp: '身份验证器应用',
    },
  };
  type SignInTexts = (typeof SIGN_IN_TEXTS)['en'];

  /**
   * "Two-Factor Authentication" after the password: on an admin's first sign-in it enrolls the
   * authenticator, reading the key the screen shows (as a person types it into an app) and taking
   * codes from oathtool; then the recovery codes screen, and Continue. `seen` is called on each
   * screen (for axe and screenshots).
   */
  async function twoFactor(page: Page, admin: AdminAccount, texts: SignInTexts, seen?: (screen: string) => Promise<void>) {
    await heading(page, texts.mfaTitle).waitFor();
    const enrolling = !admin.totpSecret;
    if (enrolling) {
      const key = page.locator('code.totp-secret');
      await key.waitFor();
      admin.totpSecret = (await key.textContent())!.replace(/\s/g, '');
      admin.lastTotpStep = undefined;
      await page.getByRole('img', { name: /QR|二维码/ }).waitFor();
    }
    await seen?.(enrolling ? 'two-factor-enroll' : 'two-factor');
    await page.getByLabel(texts.code).fill(await nextTotpCode(admin));
    await page.getByRole('button', { name: texts.verify }).click();
    if (enrolling) {
      await heading(page, texts.recoveryTitle).waitFor();
      expect(await page.getByRole('listitem').count()).toBe(10);
      await page.getByRole('button', { name: texts.download }).waitFor();
      await seen?.('recovery-codes');
      await page.getByRole('button', { name: texts.continue }).click();
    }
  }

  async function signIn(page: Page, admin: AdminAccount, texts: SignInTexts = SIGN_IN_TEXTS.en, seen?: (screen: string) => Promise<void>) {
    await page.goto('/admin');
    await page.getByLabel(texts.email).fill(admin.email);
    await page.getByLabel(texts.password).fill(admin.password);
    await page.getByRole('button', { name: texts.submit }).click();
    await twoFactor(page, admin, texts, seen);
    await page.getByRole('navigation', { name: /Admin menu|管理菜单/ }).waitFor();
  }

  async function customerWithToken(label: string): Promise<{ customer: RegisteredCustomer; token: string }> {
    const customer = await registerCustomer(stack, { label, firstName: 'Grace', lastName: `Hopper ${label}` });
    return { customer, token: await accessTokenFor(stack, customer.email, customer.password) };
  }

  const me = (token: string) => stack.api('/api/v1/customers/me', { bearer: token });
  const adminSignIn = (admin: AdminAccount) =>
    stack.api('/api/v1/admin/auth/token', { json: { email: admin.email, password: admin.password } });

  /** No screen is wider than the viewport: nothing scrolls sideways into blank space. */
  async function expectNoSideScroll(page: Page, screen: string): Promise<void> {
    const widths = await page.evaluate(() => ({ scrollWidth: document.documentElement.scrollWidth, innerWidth: window.innerWidth }));
    expect({ screen, fits: widths.scrollWidth <= widths.innerWidth, ...widths }).toEqual({ screen, fits: true, ...widths });
  }

  /** Locks a customer's sign-in as repeated wrong passwords do (lockoutFailures, default 10). */
  async function lockOut(customer: RegisteredCustomer): Promise<void> {
    for (let i = 0; i < 10; i++) await passwordGrant(stack, customer.email, 'Wrong-Password-1');
    expect((await passwordGrant(stack, customer.email, customer.password)).status).toBe(400);
  }

  it('an administrator signs in, finds a customer, resets the password and forces sign-in, by keyboard alone', async () => {
    const { customer, token } = await customerWithToken('kb');
    const { context, page } = await open('desktop', 'en');
    try {
      // Sign in: the email field has the focus; Tab, typing and Enter do the rest.
      await page.goto('/admin');
      await heading(page, 'Sign In').waitFor();
      expect(await isFocused(page.getByLabel('Email'))).toBe(true);
      await page.keyboard.type(administrator.email);
      await page.keyboard.press('Tab');
      expect(await isFocused(page.getByLabel('Password'))).toBe(true);
      await page.keyboard.type(administrator.password);
      await page.keyboard.press('Enter');
      // Two-Factor Authentication, first sign-in: the code field has the focus, the key is shown.
      await heading(page, 'Two-Factor Authentication').waitFor();
      expect(await isFocused(page.getByLabel('Authentication code'))).toBe(true);
      const key = page.locator('code.totp-secret');
      await key.waitFor();
      administrator.totpSecret = (await key.textContent())!.replace(/\s/g, '');
      await expectAccessible(page, 'Two-Factor Authentication (enrol), keyboard');
      await page.keyboard.type(await nextTotpCode(administrator));
      await page.keyboard.press('Enter');
      // The recovery codes, once; the heading takes the focus so that a screen reader starts there.
      await heading(page, 'Save your recovery codes').waitFor();
      expect(await isFocused(heading(page, 'Save your recovery codes'))).toBe(true);
      await expectAccessible(page, 'recovery codes, keyboard');
      await page.keyboard.press('Tab');
      expect(await isFocused(page.getByRole('button', { name: 'Download' }))).toBe(true);
      await page.keyboard.press('Tab');
      expect(await isFocused(page.getByRole('button', { name: 'Continue' }))).toBe(true);
      await page.keyboard.press('Enter');
      await heading(page, 'All Customers').waitFor();
      // The token is kept for this tab only.
      const storage = await page.evaluate(() => ({
        local: JSON.stringify({ ...localStorage }),
        session: JSON.stringify({ ...sessionStorage }),
      }));
      expect(storage.session).toContain('eyJ');
      expect(storage.local).not.toContain('eyJ');

      // The first Tab stop skips to the content.
      await page.keyboard.press('Tab');
      expect(await isFocused(page.getByRole('link', { name: 'Skip to main content' }))).toBe(true);

      // Customers > All Customers: search, then Edit.
      await press(page.getByLabel('Search by keyword'), 'End');
      await page.keyboard.type(customer.email);
      await page.keyboard.press('Enter');
      const row = page.getByRole('row').filter({ hasText: customer.email });
      await row.waitFor();
      expect(await page.getByRole('row').count()).toBe(2); // the header and the one match
      expect(await row.getByRole('cell').nth(5).textContent()).toBe('1'); // active tokens (after the Website column)
      await press(row.getByRole('link', { name: 'Edit' }));
      await heading(page, `${customer.firstName} ${customer.lastName}`).waitFor();
      expect(page.url()).toBe(`${stack.baseUrl}/admin/customers/${customer.id}`);
      // The new screen's heading has the focus, so a screen reader announces it.
      expect(await isFocused(heading(page, `${customer.firstName} ${customer.lastName}`))).toBe(true);

      // Reset Password: the API's message, and the email arrives.
      const since = stack.sink.mark();
      await press(page.getByRole('button', { name: 'Reset Password' }));
      await page.getByRole('status').getByText(EN.resetSent).waitFor();
      // The focus stays on the button that was pressed, not lost to the page.
      expect(await isFocused(page.getByRole('button', { name: 'Reset Password' }))).toBe(true);
      const mail = await stack.sink.waitFor(sentTo(customer.email), { since, timeoutMs: 15_000 });
      expect(mail.text).toContain('/customer/account/createPassword?token=');

      // Force Sign In, then Cancel (Escape): nothing is revoked, and the focus comes back.
      const forceSignIn = page.getByRole('button', { name: 'Force Sign In' });
      await press(forceSignIn);
      const dialog = page.getByRole('dialog', { name: EN.confirm });
      await dialog.waitFor();
      expect(await isFocused(dialog.getByRole('button', { name: 'Cancel' }))).toBe(true);
      await page.keyboard.press('Escape');
      await dialog.waitFor({ state: 'hidden' });
      expect(await isFocused(forceSignIn)).toBe(true);
      expect((await me(token)).status).toBe(200);

      // Force Sign In, then OK: the customer's token is refused from the next request on.
      await page.keyboard.press('Enter');
      await dialog.waitFor();
      await page.keyboard.press('Tab');
      expect(await isFocused(dialog.getByRole('button', { name: 'OK' }))).toBe(true);
      await page.keyboard.press('Enter');
      await page.getByRole('status').getByText(EN.revoked).waitFor();
      expect(await isFocused(forceSignIn)).toBe(true);
      expect((await me(token)).status).toBe(401);

      // Again: nothing is left to revoke, which is information (the info style), not an error.
      await page.keyboard.press('Enter');
      await dialog.waitFor();
      await page.keyboard.press('Tab');
      await page.keyboard.press('Enter');
      const noTokens = page.getByRole('status').getByText('This customer has no tokens.');
      await noTokens.waitFor();
      expect(await noTokens.getAttribute('class')).toBe('message message-info');
      expect(await page.getByRole('alert').textContent()).toBe('');
      expect(await isFocused(forceSignIn)).toBe(true);
      await page
        .getByRole('region', { name: 'Admin actions' })
        .getByRole('row')
        .filter({ hasText: 'Force Sign In' })
        .filter({ hasText: administrator.email })
        .waitFor();
      await page.getByRole('region', { name: 'Admin actions' }).getByRole('row').filter({ hasText: 'Reset Password email sent' }).waitFor();

      // Recent emails (the delivery log): the admin-initiated reset is listed, its link never shown.
      const recentEmails = page.getByRole('region', { name: 'Recent emails' });
      await recentEmails.getByRole('row').filter({ hasText: 'Password reset (admin)' }).waitFor();
      expect(await recentEmails.first().textContent()).not.toContain('token=');
    } finally {
      await context.close();
    }
  });

  it('Password Options: checks the range before sending, saves, and the setting is in force', async () => {
    const { context, page } = await open('desktop', 'en');
    const puts: Request[] = [];
    page.on('request', (r) => r.method() === 'PUT' && puts.push(r));
    try {
      await signIn(page, await createAdmin(stack, 'administrator', 'console'));
      await press(page.getByRole('link', { name: 'Password Options' }));
      await heading(page, 'Password Options').waitFor();
      const minLength = page.getByLabel('Minimum Password Length');
      expect(await minLength.inputValue()).toBe('6');
      expect(await page.getByText('From 6 to 256.').count()).toBe(1);

      await minLength.fill('300');
      await press(page.getByRole('button', { name: 'Save Config' }).first());
      await page.getByText('Enter a whole number from 6 to 256.').waitFor();
      expect(await minLength.getAttribute('aria-invalid')).toBe('true');
      expect(await isFocused(minLength)).toBe(true);
      expect(puts).toHaveLength(0);

      await minLength.fill('12');
      await press(page.getByRole('button', { name: 'Save Config' }).first());
      await page.getByRole('status').getByText(EN.saved).waitFor();
      expect(puts).toHaveLength(1);

      // In force: an 11-character password is now too short for a new account.
      let status = 0;
      for (let i = 0; i < 50 && status !== 400; i++) {
        const res = await stack.api('/api/v1/customers', {
          json: { email: `short-${i}-${Date.now()}@example.com`, password: 'Abcdefgh-1x', firstName: 'A', lastName: 'B' },
        });
        status = res.status;
        if (status === 400) expect(res.body.code).toBe('PASSWORD_POLICY');
        else await sleep(100);
      }
      expect(status).toBe(400);
    } finally {
      await stack.replaceSettings({});
      await context.close();
    }
  });

  it('a support admin sees no Force Sign In, no Delete customer and no Password Options, and the server refuses them too', async () => {
    const { customer } = await customerWithToken('support');
    const { context, page } = await open('phone', 'en');
    try {
      await signIn(page, support);
      const menu = page.getByRole('navigation', { name: 'Admin menu' });
      expect(await menu.getByRole('link', { name: 'All Customers' }).count()).toBe(1);
      expect(await menu.getByRole('link', { name: 'Password Options' }).count()).toBe(0);
      expect(await menu.getByRole('button', { name: /Queue Dashboard/ }).count()).toBe(0);

      await page.goto(`/admin/customers/${customer.id}`);
      await heading(page, `${customer.firstName} ${customer.lastName}`).waitFor();
      expect(await page.getByRole('button', { name: 'Reset Password' }).count()).toBe(1);
      expect(await page.getByRole('button', { name: 'Force Sign In' }).count()).toBe(0);
      // Export data, yes (customers.view); Delete customer, no (administrators only).
      expect(await page.getByRole('button', { name: 'Export data' }).count()).toBe(1);
      expect(await page.getByRole('button', { name: 'Delete customer' }).count()).toBe(0);

      await page.goto('/admin/config/customer-password');
      await heading(page, 'Access denied').waitFor();
      expect(await page.getByLabel('Minimum Password Length').count()).toBe(0);

      const jwt = await adminToken(stack, support);
      expect((await stack.api(`/api/v1/admin/customers/${customer.id}/force-sign-in`, { method: 'POST', bearer: jwt })).status).toBe(403);
      expect((await stack.api(`/api/v1/admin/customers/${customer.id}`, { method: 'DELETE', bearer: jwt })).status).toBe(403);
      expect((await stack.api(`/api/v1/admin/customers/${customer.id}`, { bearer: jwt })).status).toBe(200);
      expect(
        (await stack.api('/api/v1/admin/config/customer-password', { method: 'PUT', bearer: jwt, json: { minPasswordLength: 8 } })).status,
      ).toBe(403);
      expect((await stack.api('/api/v1/admin/queue-dashboard/session', { method: 'POST', bearer: jwt })).status).toBe(403);
    } finally {
      await context.close();
    }
  });

  it('returns to sign-in when the token is refused (expired or revoked)', async () => {
    const { context, page } = await open('desktop', 'en');
    try {
      // Its own administrator: each sign-in needs a TOTP step the other tests' admin has not used.
      await signIn(page, await createAdmin(stack, 'administrator', 'console-expired'));
      await page.evaluate(() => {
        const key = 'customer-access.admin-session';
        const session = JSON.parse(sessionStorage.getItem(key)!);
        sessionStorage.setItem(key, JSON.stringify({ ...session, token: `${session.token}x` }));
      });
      await page.reload();
      await heading(page, 'Sign In').waitFor();
      await page.getByRole('alert').getByText('Your session has expired. Please sign in again.').waitFor();
      expect(await page.evaluate(() => sessionStorage.length)).toBe(0);
    } finally {
      await context.close();
    }
  });

  it('opens the queue dashboard in the browser for an administrator, with a short-lived path-scoped cookie', async () => {
    const { context, page } = await open('desktop', 'en');
    try {
      await signIn(page, await createAdmin(stack, 'administrator', 'console-queues'));
      // It opens in a new tab: the console stays where the admin was.
      const [dashboard] = await Promise.all([context.waitForEvent('page'), press(page.getByRole('button', { name: /^Queue Dashboard/ }))]);
      await dashboard.waitForURL(`${stack.baseUrl}/admin/queues`);
      await dashboard.getByText('customer-access queues').first().waitFor();
      await dashboard.getByText('mail', { exact: true }).first().waitFor();
      // The console stays where the admin was.
      await heading(page, 'All Customers').waitFor();
      const cookie = (await context.cookies()).find((c) => c.name === 'ca_queue_dashboard');
      expect(cookie).toMatchObject({ path: '/admin/queues', httpOnly: true, sameSite: 'Strict' });
      expect(cookie!.expires * 1000 - Date.now()).toBeLessThanOrEqual(600_000);
      // The cookie is sent to the dashboard only: the console's own requests never carry it.
      expect((await context.cookies(`${stack.baseUrl}/api/v1/admin/customers`)).map((c) => c.name)).not.toContain('ca_queue_dashboard');
    } finally {
      await context.close();
    }
  });

  it('refuses the dashboard to anonymous users, support admins and look-alike cookies', async () => {
    const dashboard = (cookie?: string) => stack.api('/admin/queues/api/queues', { headers: cookie ? { cookie } : {} });
    expect((await dashboard()).status).toBe(401);
    const adminJwt = await adminToken(stack, administrator);
    // An admin bearer JWT is not a dashboard session.
    expect((await dashboard(`ca_queue_dashboard=${adminJwt}`)).status).toBe(401);
    expect((await stack.api('/api/v1/admin/queue-dashboard/session', { method: 'POST' })).status).toBe(401);

    const opened = await stack.api('/api/v1/admin/queue-dashboard/session', { method: 'POST', bearer: adminJwt });
    expect(opened.status).toBe(204);
    const setCookie = String(opened.headers['set-cookie']);
    expect(setCookie).toMatch(/^ca_queue_dashboard=[\w-]+\.[\w-]+\.[\w-]+; Max-Age=600; Path=\/admin\/queues; HttpOnly; SameSite=Strict$/);
    const session = setCookie.split(';')[0];
    expect((await dashboard(session)).status).toBe(200);
    // A dashboard session is not an admin bearer token either.
    expect((await stack.api('/api/v1/admin/customers', { bearer: session.split('=')[1] })).status).toBe(401);

    // The role is read on every request: an administrator made support loses the dashboard at once.
    const demoted = await createAdmin(stack, 'administrator', 'console-demoted');
    const demotedSession = String(
      (await stack.api('/api/v1/admin/queue-dashboard/session', { method: 'POST', bearer: await adminToken(stack, demoted) })).headers[
        'set-cookie'
      ],
    ).split(';')[0];
    expect((await dashboard(demotedSession)).status).toBe(200);
    await stack.db.query(`update admin_user set role = 'support' where id = $1`, [demoted.id]);
    expect((await dashboard(demotedSession)).status).toBe(403);
  });

  it('serves the console with strict headers on its screens only, and not at all with HOSTED_PAGES=false', async () => {
    const page = await stack.api('/admin/customers/some-id', { headers: { accept: 'text/html' } });
    expect(page.status).toBe(200);
    expect(page.headers['content-type']).toContain('text/html');
    expect(page.headers['content-security-policy']).toContain("script-src 'self'");
    expect(page.headers['content-security-policy']).toContain("frame-ancestors 'none'");
    expect(page.headers['referrer-policy']).toBe('no-referrer');
    expect(page.headers['cache-control']).toBe('no-store');
    const asset = /\/admin\/assets\/[\w.-]+\.js/.exec(page.text)![0];
    const script = await stack.api(asset);
    expect(script.status).toBe(200);
    expect(script.headers['cache-control']).toContain('immutable');
    expect((await stack.api('/admin/not-a-screen')).status).toBe(404);

    const apiOnly = await startExtraApi(stack, { HOSTED_PAGES: 'false' });
    try {
      expect((await apiOnly.api('/admin/customers')).status).toBe(404);
      expect((await apiOnly.api(asset)).status).toBe(404);
      expect((await apiOnly.api('/api/v1/admin/customers')).status).toBe(401);
    } finally {
      await apiOnly.stop();
    }
  });

  it('Edit customer: Account Information saves name, email and language; a taken email is refused; Back returns to the grid', async () => {
    const customer = await registerCustomer(stack, { label: 'edit-ui', firstName: 'Grace', lastName: 'Hopper edit' });
    const other = await registerCustomer(stack, { label: 'edit-ui-other' });
    const { context, page } = await open('phone', 'en');
    try {
      await signIn(page, await createAdmin(stack, 'administrator', 'console'));
      await page.goto(`/admin/customers/${customer.id}`);
      await heading(page, 'Grace Hopper edit').waitFor();
      const account = page.getByRole('region', { name: 'Account Information' });
      expect(await account.getByLabel('Language').locator('option:checked').textContent()).toBe('English (en)');

      // Another account's address: the field says why, nothing changes.
      await account.getByLabel('Email').fill(other.email.toUpperCase());
      await page.getByRole('button', { name: 'Save Customer' }).click();
      await page.getByRole('alert').getByText('There is already an account with this email address.').waitFor();
      expect(await account.getByLabel('Email').getAttribute('aria-invalid')).toBe('true');

      const newEmail = `edited-ui-${Date.now()}@example.com`;
      const since = stack.sink.mark();
      await account.getByLabel('First Name').fill('伟');
      await account.getByLabel('Last Name').fill('张');
      await account.getByLabel('Email').fill(newEmail);
      await account.getByLabel('Language').selectOption('zh-CN');
      const save = page.getByRole('button', { name: 'Save Customer' });
      await save.click();
      await page.getByRole('status').getByText('You saved the customer.').waitFor();
      expect(await isFocused(save)).toBe(true);
      await heading(page, '伟 张').waitFor();
      const stored = (await stack.db.query('select email, first_name, last_name, locale from customer where id = $1', [customer.id]))
        .rows[0];
      expect(stored).toEqual({ email: newEmail, first_name: '伟', last_name: '张', locale: 'zh-CN' });
      // The old address is told.
      const notice = await stack.sink.waitFor(sentTo(customer.email), { since, timeoutMs: 15_000 });
      expect(notice.to).toEqual([customer.email]);
      await expectNoSideScroll(page, 'edit customer, en 390px');

      await page.getByRole('link', { name: 'Back' }).click();
      await heading(page, 'All Customers').waitFor();
      await page.goto(`/admin/customers?search=${encodeURIComponent(newEmail)}`);
      // The language by its name, not a bare code.
      await page.getByRole('row').filter({ hasText: newEmail }).getByRole('cell', { name: '简体中文 (zh-CN)' }).waitFor();
      await expectNoSideScroll(page, 'all customers after edit, en 390px');
    } finally {
      await context.close();
    }
  });

  it('Unlock: a locked customer gets the button, and it lifts the lockout; support cannot edit or unlock', async () => {
    const customer = await registerCustomer(stack, { label: 'unlock-ui', firstName: 'Grace', lastName: 'Hopper locked' });
    await lockOut(customer);
    const { context, page } = await open('desktop', 'en');
    try {
      await signIn(page, support);
      await page.goto(`/admin/customers/${customer.id}`);
      await heading(page, 'Grace Hopper locked').waitFor();
      expect(await page.getByRole('button', { name: 'Unlock' }).count()).toBe(0);
      expect(await page.getByRole('button', { name: 'Save Customer' }).count()).toBe(0);
      expect(await page.getByLabel('First Name').count()).toBe(0);
      await page.getByText('English (en)').waitFor();

      await page.getByRole('button', { name: 'Sign Out' }).click();
      await signIn(page, await createAdmin(stack, 'administrator', 'console'));
      await page.goto(`/admin/customers/${customer.id}`);
      const unlock = page.getByRole('button', { name: 'Unlock' });
      await unlock.click();
      await page.getByRole('status').getByText('You unlocked the customer.').waitFor();
      await page.getByText('Not locked').waitFor();
      expect(await unlock.count()).toBe(0);
      expect((await passwordGrant(stack, customer.email, customer.password)).status).toBe(200);
      await page.getByRole('region', { name: 'Admin actions' }).getByRole('row').filter({ hasText: 'Customer unlocked' }).waitFor();
    } finally {
      await context.close();
    }
  });

  it('Audit Log: readable before→after with the settings’ labels in the admin’s language, customer links, filters and CSV export', async () => {
    const customer = await registerCustomer(stack, { label: 'audit-ui', firstName: 'Grace', lastName: 'Hopper audit' });
    const jwt = await adminToken(stack, administrator);
    const put = (path: string, json: unknown) => stack.api(path, { method: 'PUT', bearer: jwt, json });
    expect((await put(`/api/v1/admin/customers/${customer.id}`, { lastName: 'Hopper audited', locale: 'zh-CN' })).status).toBe(200);
    expect(
      (await put('/api/v1/admin/config/customer-password', { maxResetRequestsPerHour: 1_000_000, revokeTokensOnReset: false })).status,
    ).toBe(200);
    const supportJwt = await adminToken(stack, support);
    expect((await stack.api(`/api/v1/admin/customers/${customer.id}/password-reset`, { method: 'POST', bearer: supportJwt })).status).toBe(
      202,
    );
    const { context, page } = await open('phone', 'zh-CN');
    try {
      await signIn(page, await createAdmin(stack, 'administrator', 'console-zh'), SIGN_IN_TEXTS['zh-CN']);
      await page.goto('/admin/audit');
      await heading(page, '审计日志').waitFor();
      const log = page.getByRole('region', { name: '审计日志' });
      // Settings, with their own labels and values in words, in the admin's language.
      const settings = log.getByRole('row').filter({ hasText: '已更改密码选项' }).first();
      await settings.getByText('一小时内允许的密码重置请求数：5 → 1,000,000').waitFor();
      await settings.getByText('重置密码时撤销客户的访问令牌：是 → 否').waitFor();
      // A customer edit, with the customer's name linking to the customer.
      const edited = log.getByRole('row').filter({ hasText: '已编辑客户' }).first();
      await edited.getByText('姓：Hopper audit → Hopper audited').waitFor();
      await edited.getByText('语言：English (en) → 简体中文 (zh-CN)').waitFor();
      expect(await edited.getByRole('link', { name: 'Grace Hopper audited' }).getAttribute('href')).toBe(`/admin/customers/${customer.id}`);
      await expectNoSideScroll(page, 'audit log, zh-CN 390px');

      // Filters: by action, then by admin (from a row), then by customer (from a row).
      await page.getByLabel('操作', { exact: true }).selectOption('customer.password_reset_sent');
      await page.getByRole('button', { name: '应用筛选' }).click();
      await page.waitForURL(/action=customer\.password_reset_sent/);
      // Only the header does not name the action, once the filtered page has replaced the full one.
      await log.getByRole('row').filter({ hasNotText: '已发送重置密码电子邮件' }).nth(1).waitFor({ state: 'detached' });
      await log.getByRole('row').nth(1).waitFor();
      await page.getByRole('link', { name: '清除全部' }).click();
      await page.waitForURL(`${stack.baseUrl}/admin/audit`);
      await log.getByRole('row').filter({ hasText: support.email }).first().getByRole('link', { name: '只看此管理员的操作' }).click();
      await page.waitForURL(new RegExp(`adminId=${support.id}`));
      await page.getByRole('list', { name: '当前筛选条件' }).getByText(`管理员：${support.email}`).waitFor();
      await log.getByRole('row').filter({ hasNotText: support.email }).nth(1).waitFor({ state: 'detached' });
      await log.getByRole('row').nth(1).waitFor();
      await log.getByRole('row').nth(1).getByRole('link', { name: '只看该客户的记录' }).click();
      await page.waitForURL(new RegExp(`customerId=${customer.id}`));
      await page.getByRole('list', { name: '当前筛选条件' }).getByText('客户：Grace Hopper audited').waitFor();

      // Export: the filtered log as a CSV file.
      const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: '导出 CSV' }).click()]);
      expect(download.suggestedFilename()).toMatch(/^audit-log-\d{4}-\d{2}-\d{2}\.csv$/);
      const csv = (await readFile((await download.path())!, 'utf8'))
        .replace(/^\ufeff/, '')
        .trim()
        .split('\r\n');
      expect(csv[0]).toBe('id,createdAt,action,adminId,adminEmail,customerId,customerName,clientIp,details');
      expect(csv.slice(1)).toEqual([
        expect.stringContaining(`,customer.password_reset_sent,${support.id},${support.email},${customer.id},Grace Hopper audited,`),
      ]);
    } finally {
      await stack.replaceSettings({});
      await context.close();
    }
  });

  it('Password Options: grouped as Magento groups them, help under every field, fields alike, grouped numbers, Save in reach on a phone', async () => {
    await stack.setSettings({ maxResetRequestsPerHour: 1_000_000 });
    const { context, page } = await open('phone', 'en');
    try {
      await signIn(page, await createAdmin(stack, 'administrator', 'console'));
      await page.goto('/admin/config/customer-password');
      await heading(page, 'Password Options').waitFor();
      // The form appears once the settings have loaded.
      await page.locator('fieldset > legend').first().waitFor();
      expect(await page.locator('fieldset > legend').allTextContents()).toEqual([
        'Password Options',
        'Email Sender and Store',
        'Limits',
        'Abuse Protection',
      ]);
      expect(await page.getByRole('group', { name: 'Email Sender and Store' }).getByLabel('Store Name').count()).toBe(1);
      expect(await page.getByRole('group', { name: 'Limits' }).getByLabel('Lockout Time (minutes)').count()).toBe(1);
      // Both abuse protections, each with its help text (docs/api.md, Abuse protection).
      const abuse = page.getByRole('group', { name: 'Abuse Protection' });
      expect(await abuse.getByLabel('Breached Password Check').count()).toBe(1);
      expect(await abuse.getByLabel('Proof-of-Work Challenge on Forgot Your Password?').inputValue()).toBe('off');
      expect(await abuse.getByLabel('Requests per IP per Hour without a Challenge').inputValue()).toBe('3');
      expect(await abuse.getByLabel('Challenge Difficulty').inputValue()).toBe('50,000');
      await abuse.getByText('A browser tries about half of this number of hashes.', { exact: false }).waitFor();
      // Help under every field.
      const fields = page.locator('form input, form select');
      const count = await fields.count();
      expect(count).toBeGreaterThanOrEqual(12);
      for (let i = 0; i < count; i++) {
        const field = fields.nth(i);
        const hint = (await field.getAttribute('aria-describedby')) ?? '';
        expect({ field: await field.getAttribute('name'), hasHelp: hint.includes('-hint') }).toEqual({
          field: await field.getAttribute('name'),
          hasHelp: true,
        });
      }
      // Store Name looks like every other text field.
      const look = (label: string) =>
        page.getByLabel(label).evaluate((element) => {
          const style = (globalThis as unknown as { getComputedStyle(e: unknown): Record<string, string> }).getComputedStyle(element);
          return [style.borderTopWidth, style.borderTopStyle, style.borderTopColor, style.borderRadius, style.minHeight, style.paddingLeft];
        });
      expect(await look('Store Name')).toEqual(await look('Support Email'));
      // Large numbers with grouping.
      expect(await page.getByLabel('Max Number of Password Reset Requests (per hour)').inputValue()).toBe('1,000,000');
      await page.getByText('From 0 to 1,000,000,000.').waitFor();
      // Save is on screen from the start, and again at the end of the form.
      const saves = page.getByRole('button', { name: 'Save Config' });
      expect(await saves.count()).toBe(2);
      const box = (await saves.first().boundingBox())!;
      expect(box.y + box.height).toBeLessThanOrEqual(VIEWPORTS.phone!.height);
      await page.getByLabel('Max Number of Password Reset Requests (per hour)').fill('2,000,000');
      await page.getByRole('button', { name: 'Save Config' }).first().click();
      await page.getByRole('status').getByText(EN.saved).waitFor();
      const saved = await stack.api('/api/v1/admin/config/customer-password', { bearer: await adminToken(stack, administrator) });
      expect(saved.body.maxResetRequestsPerHour).toBe(2_000_000);
      await expectNoSideScroll(page, 'Password Options, en 390px');
    } finally {
      await stack.replaceSettings({});
      await context.close();
    }
  });

  const DATA_TEXTS = {
    en: {
      exportData: 'Export data',
      exported: "You downloaded the customer's data.",
      deleteCustomer: 'Delete customer',
      confirm: 'Are you sure you want to do this?',
      auditLog: 'Audit Log',
      dataExported: 'Customer data exported',
      deleted: 'Customer deleted',
      deletedCustomer: 'Deleted customer',
    },
    'zh-CN': {
      exportData: '导出数据',
      exported: '您已下载客户数据。',
      deleteCustomer: '删除客户',
      confirm: '您确定要这样做吗？',
      auditLog: '审计日志',
      dataExported: '已导出客户数据',
      deleted: '已删除客户',
      deletedCustomer: '已删除的客户',
    },
  };

  /** The console's own bearer token (this tab's session), for asking the API what the screen did. */
  const consoleToken = (page: Page): Promise<string> =>
    page.evaluate(() => JSON.parse(sessionStorage.getItem('customer-access.admin-session')!).token as string);

  describe.each([
    ['en', 'desktop'],
    ['zh-CN', 'phone'],
  ] as Array<[Locale, Viewport]>)('Export data and Delete customer, in %s at the %s width', (locale, viewport) => {
    it('saves the customer’s data as a JSON file; Delete asks first, Cancel keeps the customer, OK erases them, and the audit shows it', async () => {
      const texts = { ...SIGN_IN_TEXTS[locale], ...DATA_TEXTS[locale] };
      const { customer, token } = await customerWithToken(`data-${locale}`);
      const { context, page } = await open(viewport, locale);
      try {
        const admin = await createAdmin(stack, 'administrator', `data-${locale.toLowerCase()}`);
        await signIn(page, admin, texts);
        await page.goto(`/admin/customers/${customer.id}`);
        await heading(page, `${customer.firstName} ${customer.lastName}`).waitFor();
        const jwt = await consoleToken(page);
        const adminCustomer = () => stack.api(`/api/v1/admin/customers/${customer.id}`, { bearer: jwt });

        // Export data: the browser saves the server's JSON as a file; no password hash or token in it.
        const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: texts.exportData }).click()]);
        expect(download.suggestedFilename()).toBe(`customer-${customer.id}.json`);
        const saved = await readFile((await download.path())!, 'utf8');
        const data = JSON.parse(saved);
        expect(data.customer).toMatchObject({
          id: customer.id,
          email: customer.email,
          firstName: customer.firstName,
          lastName: customer.lastName,
        });
        expect(data.accessTokens).toHaveLength(1);
        expect(Object.keys(data).sort()).toEqual(
          [
            'accessTokens',
            'auditEvents',
            'customer',
            'emails',
            'exportedAt',
            'outboxMessages',
            'passwordResetTokens',
            'webhookDeliveries',
          ].sort(),
        );
        expect(saved).not.toMatch(/\$argon2|password_?hash|"token"/i);
        expect(saved).not.toContain(token);
        await page.getByRole('status').getByText(texts.exported).waitFor();

        // Delete customer, then Cancel: the question is asked, and nothing is erased.
        const deleteButton = page.getByRole('button', { name: texts.deleteCustomer });
        await deleteButton.click();
        const dialog = page.getByRole('dialog', { name: texts.confirm });
        await dialog.waitFor();
        expect(await dialog.getByRole('button').allTextContents()).toEqual([texts.cancel, texts.ok]);
        await dialog.getByRole('button', { name: texts.cancel }).click();
        await dialog.waitFor({ state: 'hidden' });
        expect((await adminCustomer()).status).toBe(200);
        expect((await me(token)).status).toBe(200);
        expect(page.url()).toBe(`${stack.baseUrl}/admin/customers/${customer.id}`);

        // Delete customer, then OK: back to All Customers; the account and its tokens are gone.
        await deleteButton.click();
        await dialog.waitFor();
        await dialog.getByRole('button', { name: texts.ok }).click();
        await heading(page, texts.allCustomers).waitFor();
        expect(page.url()).toBe(`${stack.baseUrl}/admin/customers`);
        const gone = await adminCustomer();
        expect({ status: gone.status, code: gone.body?.code }).toEqual({ status: 404, code: 'NOT_FOUND' });
        expect((await me(token)).status).toBe(401);
        expect((await stack.db.query('select 1 from customer where id = $1', [customer.id])).rowCount).toBe(0);

        // The audit: both actions by this admin, the customer shown as deleted, their email nowhere.
        await page.goto(`/admin/audit?customerId=${customer.id}`);
        await heading(page, texts.auditLog).waitFor();
        const rows = page.getByRole('row').filter({ hasText: admin.email });
        await rows.filter({ hasText: texts.deleted }).filter({ hasText: texts.deletedCustomer }).waitFor();
        await rows.filter({ hasText: texts.dataExported }).filter({ hasText: texts.deletedCustomer }).waitFor();
        expect(await page.locator('table').textContent()).not.toContain(customer.email);
      } finally {
        await context.close();
      }
    });
  });

  it('speaks a store owner’s zh-CN: signed-in apps/sessions with help, and Force Sign In explained beside the button', async () => {
    const { customer } = await customerWithToken('zh-words');
    const { context, page } = await open('phone', 'zh-CN');
    try {
      await signIn(page, await createAdmin(stack, 'administrator', 'console-zh'), SIGN_IN_TEXTS['zh-CN']);
      await page.goto(`/admin/customers?search=${encodeURIComponent(customer.email)}`);
      await page.getByRole('columnheader', { name: '已登录的应用/会话数' }).waitFor();
      expect(await page.getByText('有效令牌').count()).toBe(0);
      await page.goto(`/admin/customers/${customer.id}`);
      await page.getByText('客户仍处于登录状态的应用和设备数').waitFor();
      const force = page.getByRole('button', { name: '强制登录' });
      expect(await force.getAttribute('aria-describedby')).toBeTruthy();
      const note = page.locator(`[id="${await force.getAttribute('aria-describedby')}"]`);
      expect(await note.textContent()).toBe('撤销该客户的所有访问令牌，客户需重新登录。');
      expect(await note.isVisible()).toBe(true);
      expect(await page.getByText('有效令牌').count()).toBe(0);
    } finally {
      await context.close();
    }
  });

  /** Tab (at most 60 times) until `locator` has the focus, as a keyboard user moves through a page. */
  async function tabTo(page: Page, locator: Locator): Promise<void> {
    for (let i = 0; i < 60; i++) {
      if (await isFocused(locator)) return;
      await page.keyboard.press('Tab');
    }
    throw new Error(`never reached ${locator} with Tab`);
  }

  describe.each(['en', 'zh-CN'] as Locale[])('with an enrolled authenticator, in %s', (locale) => {
    it('signs in, opens My Account, makes new recovery codes and signs out, by keyboard alone, with no axe violation', async () => {
      const texts = SIGN_IN_TEXTS[locale];
      // Enrolled through the API beforehand, as an admin who comes back the next day.
      const admin = await createAdmin(stack, 'support', `kb-${locale.toLowerCase()}`);
      expect((await signInWithMfa(stack.api, admin)).status).toBe(200);
      const { context, page } = await open('desktop', locale);
      try {
        await page.goto('/admin');
        await heading(page, texts.submit).waitFor();
        expect(await isFocused(page.getByLabel(texts.email))).toBe(true);
        await page.keyboard.type(admin.email);
        await page.keyboard.press('Tab');
        await page.keyboard.type(admin.password);
        await page.keyboard.press('Enter');

        // Two-Factor Authentication: the code field has the focus, no QR code for an enrolled admin.
        await heading(page, texts.mfaTitle).waitFor();
        const code = page.getByLabel(texts.code);
        await code.waitFor();
        expect(await isFocused(code)).toBe(true);
        expect(await page.locator('code.totp-secret').count()).toBe(0);
        await expectAccessible(page, `Two-Factor Authentication (enrolled), keyboard, ${locale}`);
        await page.keyboard.type(await nextTotpCode(admin));
        await page.keyboard.press('Enter');
        await heading(page, texts.allCustomers).waitFor();

        // The menu's My Account; its heading takes the focus.
        const myAccount = page.getByRole('link', { name: texts.myAccount });
        await tabTo(page, myAccount);
        await page.keyboard.press('Enter');
        await heading(page, texts.myAccount).waitFor();
        await page.getByRole('row').filter({ hasText: texts.typeTotp }).waitFor();
        expect(await isFocused(heading(page, texts.myAccount))).toBe(true);
        await expectAccessible(page, `My Account, keyboard, ${locale}`);

        // New recovery codes: the dialog starts on Cancel; Tab to OK; the codes' heading takes the focus.
        await tabTo(page, page.getByRole('button', { name: texts.regenerate }));
        await page.keyboard.press('Enter');
        const dialog = page.getByRole('dialog');
        await dialog.waitFor();
        expect(await isFocused(dialog.getByRole('button', { name: texts.cancel }))).toBe(true);
        await page.keyboard.press('Tab');
        expect(await isFocused(dialog.getByRole('button', { name: texts.ok }))).toBe(true);
        await page.keyboard.press('Enter');
        const download = page.getByRole('button', { name: texts.download });
        await download.waitFor();
        expect(await isFocused(page.getByRole('heading', { level: 2, name: texts.recoveryCodes }))).toBe(true);
        const codes = await page.locator('.recovery-codes li').allTextContents();
        expect(codes).toHaveLength(10);
        await expectAccessible(page, `My Account, new recovery codes, keyboard, ${locale}`);
        await page.keyboard.press('Tab');
        expect(await isFocused(download)).toBe(true);
        await page.keyboard.press('Tab');
        expect(await isFocused(page.getByRole('button', { name: texts.done }))).toBe(true);
        await page.keyboard.press('Enter');
        // The codes shown are the ones that work now; the harness's old ones do not.
        const old = await adminSignIn(admin);
        const refused = await stack.api('/api/v1/admin/auth/mfa/recovery', {
          json: { mfa_token: old.body.mfa_token, code: admin.recoveryCodes![0] },
        });
        expect(refused.status).toBe(401);
        const fresh = await adminSignIn(admin);
        const accepted = await stack.api('/api/v1/admin/auth/mfa/recovery', { json: { mfa_token: fresh.body.mfa_token, code: codes[0] } });
        expect(accepted.status).toBe(200);

        // Sign Out, from the header.
        await tabTo(page, page.getByRole('button', { name: texts.signOut }));
        await page.keyboard.press('Enter');
        await heading(page, texts.submit).waitFor();
      } finally {
        await context.close();
      }
    });
  });

  describe.each([
    ['en', 'desktop'],
    ['en', 'phone'],
    ['zh-CN', 'desktop'],
    ['zh-CN', 'phone'],
  ] as Array<[Locale, Viewport]>)('every screen in %s at the %s width', (locale, viewport) => {
    // axe's rules read the markup and the labels, which change with the language and hardly with the
    // width: it runs on every screen in English at 1280 px and in Chinese at 390 px. Every pair
    // checks the layout (nothing scrolls sideways) and is photographed. (axe on all four pairs cost
    // CI about two minutes for no rule the two pairs miss.)
    const axe = (locale === 'en') === (viewport === 'desktop');
    it(
      axe
        ? 'has no serious or critical axe violation, nothing scrolls sideways, and is photographed'
        : 'fits the width, and is photographed',
      async () => {
        const zh = locale === 'zh-CN';
        const expectAccessibleHere = (p: Page, screen: string) => (axe ? expectAccessible(p, screen) : Promise.resolve());
        const { customer } = await customerWithToken(`shot${locale}${viewport}`);
        const { context, page } = await open(viewport, zh && viewport === 'phone' ? 'zh-CN' : undefined);
        const tag = `${locale} ${VIEWPORTS[viewport]!.width}px`;
        try {
          await page.goto('/admin');
          if (zh && viewport === 'desktop') {
            // The admin chooses the language in the console itself.
            await page.getByLabel('Language').selectOption('zh-CN');
          }
          await heading(page, zh ? '登录' : 'Sign In').waitFor();
          await expectAccessibleHere(page, `sign in, ${tag}`);
          await expectNoSideScroll(page, `sign-in, ${tag}`);
          await screenshot(page, 'sign-in', locale, viewport);

          // A new administrator each time: the first sign-in enrolls, so the two-factor screens are checked too.
          const admin = await createAdmin(stack, 'administrator', `shot-${locale.toLowerCase()}-${viewport}`);
          await signIn(page, admin, SIGN_IN_TEXTS[locale], async (screen) => {
            await expectAccessibleHere(page, `${screen}, ${tag}`);
            await screenshot(page, screen, locale, viewport);
          });
          await page.goto(`/admin/customers?search=${encodeURIComponent('Hopper')}`);
          await page.getByRole('row').filter({ hasText: customer.email }).waitFor();
          await expectAccessibleHere(page, `all customers, ${tag}`);
          await expectNoSideScroll(page, `customers, ${tag}`);
          await screenshot(page, 'customers', locale, viewport);

          await page
            .getByRole('row')
            .filter({ hasText: customer.email })
            .getByRole('link', { name: zh ? '编辑' : 'Edit' })
            .click();
          await heading(page, `${customer.firstName} ${customer.lastName}`).waitFor();
          await page.getByRole('button', { name: zh ? '重置密码' : 'Reset Password' }).click();
          await page
            .getByRole('status')
            .getByText(zh ? '客户将收到一封电子邮件，其中包含重置密码的链接。' : EN.resetSent)
            .waitFor();
          await expectAccessibleHere(page, `customer, ${tag}`);
          await expectNoSideScroll(page, `customer, ${tag}`);
          await screenshot(page, 'customer', locale, viewport);

          await page.getByRole('button', { name: zh ? '强制登录' : 'Force Sign In' }).click();
          await page.getByRole('dialog').waitFor();
          expect(await page.getByRole('dialog').getByRole('button').allTextContents()).toEqual(zh ? ['取消', '确定'] : ['Cancel', 'OK']);
          await expectAccessibleHere(page, `Force Sign In confirmation, ${tag}`);
          await expectNoSideScroll(page, `force-sign-in, ${tag}`);
          await screenshot(page, 'force-sign-in', locale, viewport);
          await page.keyboard.press('Escape');

          await page.goto('/admin/config/customer-password');
          await heading(page, zh ? '密码选项' : 'Password Options').waitFor();
          await page.getByLabel(zh ? '一小时内允许的密码重置请求数' : 'Max Number of Password Reset Requests (per hour)').waitFor();
          await expectAccessibleHere(page, `Password Options, ${tag}`);
          await expectNoSideScroll(page, `password-options, ${tag}`);
          await screenshot(page, 'password-options', locale, viewport);

          await page.goto('/admin/audit');
          await heading(page, zh ? '审计日志' : 'Audit Log').waitFor();
          await page.getByRole('row').nth(1).waitFor();
          await expectAccessibleHere(page, `audit log, ${tag}`);
          await expectNoSideScroll(page, `audit-log, ${tag}`);
          await screenshot(page, 'audit-log', locale, viewport);

          await page.goto('/admin/account');
          await heading(page, zh ? '我的帐户' : 'My Account').waitFor();
          await page
            .getByRole('row')
            .filter({ hasText: zh ? '身份验证器应用' : 'Authenticator app' })
            .waitFor();
          await expectAccessibleHere(page, `My Account, ${tag}`);
          await expectNoSideScroll(page, `my-account, ${tag}`);
          await screenshot(page, 'my-account', locale, viewport);

          // Signed out and in again: the Two-Factor screen of an enrolled admin asks for the code only.
          // Checked where axe runs, and photographed for every pair when the screenshots are refreshed.
          if (axe || process.env.SCREENSHOT_DIR) {
            await page.getByRole('button', { name: zh ? '退出' : 'Sign Out' }).click();
            await signIn(page, admin, SIGN_IN_TEXTS[locale], async (screen) => {
              await expectAccessibleHere(page, `${screen}, ${tag}`);
              await expectNoSideScroll(page, `${screen}, ${tag}`);
              await screenshot(page, screen, locale, viewport);
            });
          }
        } finally {
          await context.close();
        }
      },
    );
  });
});
