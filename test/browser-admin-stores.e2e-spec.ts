import { join } from 'node:path';
import type { BrowserContext, Locator, Page, Request } from 'playwright-core';
import { AdminAccount, adminToken, createAdmin, signInWithMfa } from './support/admin';
import { axeCheck } from './support/axe';
import { launchBrowser, LaunchedBrowser, screenshotDir, VIEWPORTS } from './support/browser';
import { registerCustomer } from './support/helpers';
import { Stack, startStack } from './support/stack';

/**
 * Stores > All Stores and the customers' website in the admin console, in Debian's Chromium: an
 * administrator edits a store view by keyboard and sees the change (and the server has it), the
 * rules are checked beside each field before and after sending, a website and a store view are
 * created, All Customers shows and filters by website, a customer shows theirs; a support admin
 * sees none of Stores and is refused. axe-core on every state in en and zh-CN at 1280 and 390 px,
 * and the screenshots admin-stores-* and admin-customers-* (SCREENSHOT_DIR=docs/screenshots).
 */

declare const document: {
  activeElement: unknown;
  documentElement: { scrollWidth: number };
  createRange(): { selectNodeContents(node: unknown): void; getClientRects(): ArrayLike<{ top: number }> };
};
declare const window: { innerWidth: number };
declare const sessionStorage: { setItem(key: string, value: string): void };
declare const localStorage: { setItem(key: string, value: string): void };

type Locale = 'en' | 'zh-CN';
type Viewport = keyof typeof VIEWPORTS;

const TEXTS = {
  en: {
    menu: 'Admin menu',
    allStores: 'All Stores',
    edit: 'Edit',
    editTitle: (name: string) => `Edit Store View: ${name}`,
    name: 'Store View Name',
    baseUrl: 'Base URL',
    language: 'Language',
    save: 'Save Store View',
    saved: 'You saved the store view.',
    baseUrlError: 'Enter an http or https address with no user name, query or fragment.',
    createWebsite: 'Create Website',
    createStoreView: 'Create Store View',
    websiteName: 'Website Name',
    code: 'Code',
    saveWebsite: 'Save Website',
    savedWebsite: 'You saved the website.',
    website: 'Website',
    customersTitle: 'All Customers',
    search: 'Search',
    storeView: 'Store View',
  },
  'zh-CN': {
    menu: '管理菜单',
    allStores: '所有商店',
    edit: '编辑',
    editTitle: (name: string) => `编辑商店视图：${name}`,
    name: '商店视图名称',
    baseUrl: '基础 URL',
    language: '语言',
    save: '保存商店视图',
    saved: '您已保存该商店视图。',
    baseUrlError: '请输入 http 或 https 地址，不能包含用户名、查询参数或片段。',
    createWebsite: '创建网站',
    createStoreView: '创建商店视图',
    websiteName: '网站名称',
    code: '代码',
    saveWebsite: '保存网站',
    savedWebsite: '您已保存该网站。',
    website: '网站',
    customersTitle: '所有客户',
    search: '搜索',
    storeView: '商店视图',
  },
};

const SESSION_KEY = 'customer-access.admin-session';
const LOCALE_KEY = 'customer-access.admin-locale';

describe('admin console: Stores > All Stores and the customers’ website (e2e, browser)', () => {
  let stack: Stack;
  let chromium: LaunchedBrowser;
  let administrator: AdminAccount;
  let support: AdminAccount;
  let jwt: string;
  const api = (path: string, init: { method?: string; json?: unknown; bearer?: string } = {}) =>
    stack.api(`/api/v1/admin${path}`, { bearer: jwt, ...init });

  beforeAll(async () => {
    chromium = await launchBrowser();
    stack = await startStack();
    [administrator, support] = await Promise.all([
      createAdmin(stack, 'administrator', 'stores-admin'),
      createAdmin(stack, 'support', 'stores-support'),
    ]);
    jwt = await adminToken(stack, administrator);
  });

  afterAll(async () => {
    await chromium?.close();
    await stack?.stop();
  });

  /**
   * A console tab already signed in as `admin` (the sign-in screens have their own browser test):
   * the session the console keeps after sign-in, from a real sign-in through the second factor.
   */
  async function open(
    admin: AdminAccount,
    locale: Locale,
    viewport: Viewport = 'desktop',
  ): Promise<{ context: BrowserContext; page: Page }> {
    const signedIn = await signInWithMfa(stack.api, admin);
    expect(signedIn.status).toBe(200);
    const session = {
      token: signedIn.body.access_token,
      email: admin.email,
      role: signedIn.body.role,
      permissions: signedIn.body.permissions,
      expiresAt: Date.now() + signedIn.body.expires_in * 1000,
    };
    const context = await chromium.browser.newContext({ viewport: VIEWPORTS[viewport], baseURL: stack.baseUrl });
    await context.addInitScript(
      ([sessionKey, value, localeKey, lang]) => {
        sessionStorage.setItem(sessionKey, value);
        localStorage.setItem(localeKey, lang);
      },
      [SESSION_KEY, JSON.stringify(session), LOCALE_KEY, locale],
    );
    return { context, page: await context.newPage() };
  }

  const heading = (page: Page, name: string) => page.getByRole('heading', { level: 1, name });
  const isFocused = (locator: Locator) => locator.evaluate((element) => element === document.activeElement);
  /** Closing an editor hands focus back to its opener a task later (setTimeout 0, after React removed it): wait up to 5 s. */
  const becomesFocused = async (locator: Locator): Promise<boolean> => {
    const element = await locator.elementHandle();
    return locator
      .page()
      .waitForFunction((target) => target === document.activeElement, element, { timeout: 5000 })
      .then(
        () => true,
        () => false,
      );
  };
  async function press(locator: Locator, key = 'Enter'): Promise<void> {
    await locator.focus();
    await locator.press(key);
  }

  async function expectAccessible(page: Page, screen: string): Promise<void> {
    const { blocking } = await axeCheck(page, screen);
    expect({
      screen,
      violations: blocking.map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).join('; ')})`),
    }).toEqual({
      screen,
      violations: [],
    });
    const widths = await page.evaluate(() => ({ scrollWidth: document.documentElement.scrollWidth, innerWidth: window.innerWidth }));
    expect({ screen, fits: widths.scrollWidth <= widths.innerWidth }).toEqual({ screen, fits: true });
  }

  const screenshot = (page: Page, name: string, locale: Locale, viewport: Viewport) =>
    page.screenshot({ path: join(screenshotDir(), `admin-${name}-${locale}-${VIEWPORTS[viewport]!.width}.png`) });

  /** A store view as the server has it now. */
  async function storeView(code: string): Promise<Record<string, unknown>> {
    const res = await api('/store-views');
    expect(res.status).toBe(200);
    return (res.body.items as Array<Record<string, unknown>>).find((v) => v.code === code)!;
  }

  describe('the screens, as documented (docs/screenshots)', () => {
    // A second website with a Chinese store view, and a customer in each website.
    beforeAll(async () => {
      expect((await api('/websites', { method: 'POST', json: { code: 'cn', name: 'China Website' } })).status).toBe(201);
      const created = await api('/store-views', {
        method: 'POST',
        json: {
          code: 'cn_zh',
          websiteCode: 'cn',
          name: '港湾茶铺',
          locale: 'zh-CN',
          timezone: 'Asia/Shanghai',
          baseUrl: 'https://cn.harbourtea.example',
          mailFrom: '港湾茶铺 <no-reply@cn.harbourtea.example>',
          supportEmail: 'help@cn.harbourtea.example',
          isActive: true,
        },
      });
      expect(created.status).toBe(201);
      await registerCustomer(stack, { label: 'grace', firstName: 'Grace', lastName: 'Hopper' });
      const lin = await registerCustomer(stack, { label: 'lin', firstName: '琳', lastName: '陈', locale: 'zh-CN' });
      await stack.db.query(`update customer set website_code = 'cn', store_view_code = 'cn_zh' where id = $1`, [lin.id]);
    });

    describe.each([
      ['en', 'desktop'],
      ['en', 'phone'],
      ['zh-CN', 'desktop'],
      ['zh-CN', 'phone'],
    ] as Array<[Locale, Viewport]>)('in %s at the %s width', (locale, viewport) => {
      it('All Stores, a store view in the editor, and All Customers with the Website column: axe, and photographed', async () => {
        const words = TEXTS[locale];
        const tag = `${locale} ${VIEWPORTS[viewport]!.width}px`;
        const { context, page } = await open(await createAdmin(stack, 'administrator', 'stores-ui'), locale, viewport);
        try {
          await page.goto('/admin/stores');
          await heading(page, words.allStores).waitFor();
          await page.getByRole('row').filter({ hasText: 'cn_zh' }).waitFor();
          await expectAccessible(page, `all stores, ${tag}`);
          await screenshot(page, 'stores', locale, viewport);
          // Each Edit button's label stays on one line (编辑 must not stack its two characters).
          const editLines = await page.locator('table.grid td.cell-action button').evaluateAll((buttons) =>
            buttons.map((button) => {
              const range = document.createRange();
              range.selectNodeContents((button as unknown as { firstChild: unknown }).firstChild);
              return new Set(Array.from(range.getClientRects(), (rect) => Math.round(rect.top))).size;
            }),
          );
          expect(editLines.length).toBeGreaterThan(0);
          expect(editLines).toEqual(editLines.map(() => 1));

          await page
            .getByRole('row')
            .filter({ hasText: 'default' })
            .getByRole('button', { name: new RegExp(`^${words.edit}`) })
            .click();
          await page.getByRole('heading', { level: 2, name: new RegExp(words.editTitle('')) }).waitFor();
          await expectAccessible(page, `store view editor, ${tag}`);
          await screenshot(page, 'store-view-edit', locale, viewport);

          await page.goto('/admin/customers');
          await page.getByRole('row').filter({ hasText: 'China Website' }).waitFor();
          await page.getByRole('columnheader', { name: words.website, exact: true }).waitFor();
          await expectAccessible(page, `all customers with the website, ${tag}`);
          await screenshot(page, 'customers', locale, viewport);
        } finally {
          await context.close();
        }
      });
    });
  });

  it.each([
    ['en', 'desktop'],
    ['zh-CN', 'phone'],
  ] as Array<[Locale, Viewport]>)(
    'an administrator edits a store view by keyboard (%s, %s): a rule broken is shown beside its field before sending, then saved and shown',
    async (locale, viewport) => {
      const words = TEXTS[locale];
      const code = `kb_${locale === 'en' ? 'en' : 'zh'}_${Date.now().toString(36)}`;
      const created = await api('/store-views', {
        method: 'POST',
        json: {
          code,
          websiteCode: 'base',
          name: `Keyboard ${locale}`,
          locale: 'en',
          timezone: 'UTC',
          baseUrl: `https://${code.replace(/_/g, '-')}.example.com`,
          mailFrom: 'no-reply@example.com',
          supportEmail: 'help@example.com',
          isActive: true,
        },
      });
      expect(created.status).toBe(201);
      const { context, page } = await open(await createAdmin(stack, 'administrator', 'stores-ui'), locale, viewport);
      const puts: Request[] = [];
      page.on('request', (r) => r.method() === 'PUT' && puts.push(r));
      try {
        await page.goto('/admin/customers');
        await press(page.getByRole('navigation', { name: words.menu }).getByRole('link', { name: words.allStores }));
        await heading(page, words.allStores).waitFor();
        const row = page.getByRole('row').filter({ hasText: code });
        await row.waitFor();
        await expectAccessible(page, `all stores, ${locale} ${viewport}`);

        // Edit: the editor's heading takes the focus.
        const edit = row.getByRole('button', { name: `${words.edit} Keyboard ${locale}` });
        await press(edit);
        const editorHeading = page.getByRole('heading', { level: 2, name: words.editTitle(`Keyboard ${locale}`) });
        await editorHeading.waitFor();
        expect(await isFocused(editorHeading)).toBe(true);

        // A base URL with a query is refused beside the field before anything is sent.
        const editor = page.getByRole('form', { name: words.editTitle(`Keyboard ${locale}`) });
        const baseUrl = editor.getByLabel(words.baseUrl);
        await baseUrl.fill('https://shop.example.com/?next=evil');
        await press(page.getByRole('button', { name: words.save }));
        await page.getByText(words.baseUrlError).waitFor();
        expect(await baseUrl.getAttribute('aria-invalid')).toBe('true');
        expect(await isFocused(baseUrl)).toBe(true);
        expect(puts).toHaveLength(0);
        await expectAccessible(page, `store view with an error, ${locale} ${viewport}`);

        // Saved: the message, the grid shows the change, the server has it, the focus is back on Edit.
        const newName = locale === 'en' ? `Harbour Tea ${code}` : `港湾茶铺 ${code}`;
        await editor.getByLabel(words.name).fill(newName);
        await baseUrl.fill(`https://${code.replace(/_/g, '-')}.shop.example.com`);
        await editor.getByLabel(words.language).selectOption('zh-CN');
        await press(page.getByRole('button', { name: words.save }));
        await page.getByRole('status').getByText(words.saved).first().waitFor();
        expect(puts).toHaveLength(1);
        expect(puts[0].postDataJSON()).toEqual({
          name: newName,
          baseUrl: `https://${code.replace(/_/g, '-')}.shop.example.com`,
          locale: 'zh-CN',
        });
        await page.getByRole('row').filter({ hasText: newName }).getByRole('cell', { name: '简体中文 (zh-CN)' }).waitFor();
        expect(await becomesFocused(page.getByRole('button', { name: `${words.edit} ${newName}` }))).toBe(true);
        expect(await storeView(code)).toMatchObject({
          name: newName,
          locale: 'zh-CN',
          baseUrl: `https://${code.replace(/_/g, '-')}.shop.example.com`,
        });
      } finally {
        await context.close();
      }
    },
  );

  it('creates a website and a store view in it; All Customers shows and filters by website; a customer shows theirs', async () => {
    const code = `web_${Date.now().toString(36)}`;
    const { context, page } = await open(await createAdmin(stack, 'administrator', 'stores-ui'), 'en');
    try {
      await page.goto('/admin/stores');
      await heading(page, 'All Stores').waitFor();
      await press(page.getByRole('button', { name: 'Create Website' }));
      await page.getByRole('heading', { level: 2, name: 'New Website' }).waitFor();
      // A bad code is refused beside the field, in the console's words.
      await page.getByLabel('Code').fill('Not A Code');
      await page.getByLabel('Website Name').fill(`Website ${code}`);
      await press(page.getByRole('button', { name: 'Save Website' }));
      await page.getByText('Use lowercase letters, digits and underscores, starting with a letter (at most 32).').waitFor();
      await page.getByLabel('Code').fill(code);
      await press(page.getByRole('button', { name: 'Save Website' }));
      await page.getByRole('status').getByText('You saved the website.').waitFor();
      await page.getByRole('heading', { level: 2, name: `Website: Website ${code}` }).waitFor();

      // A taken code: the server's refusal, beside the field.
      await press(page.getByRole('button', { name: 'Create Website' }));
      const websiteForm = page.getByRole('form', { name: 'New Website' });
      await websiteForm.getByLabel('Code').fill(code);
      await websiteForm.getByLabel('Website Name').fill('Twice');
      await press(websiteForm.getByRole('button', { name: 'Save Website' }));
      const taken = websiteForm.getByText(`A website with the code ${code} already exists.`);
      await taken.waitFor();
      expect(await websiteForm.getByLabel('Code').getAttribute('aria-describedby')).toContain(await taken.getAttribute('id'));
      expect(await isFocused(websiteForm.getByLabel('Code'))).toBe(true);
      await press(websiteForm.getByRole('button', { name: 'Cancel' }));
      await websiteForm.waitFor({ state: 'detached' });
      expect(await becomesFocused(page.getByRole('button', { name: 'Create Website' }))).toBe(true);

      await press(page.getByRole('button', { name: 'Create Store View' }));
      const viewForm = page.getByRole('form', { name: 'New Store View' });
      await viewForm.waitFor();
      const host = code.replace(/_/g, '-');
      await viewForm.getByLabel('Code').fill(`${code}_view`);
      await viewForm.getByLabel('Website', { exact: true }).selectOption(code);
      await viewForm.getByLabel('Store View Name').fill(`View ${code}`);
      await viewForm.getByLabel('Language').selectOption('zh-CN');
      await viewForm.getByLabel('Time Zone').fill('Asia/Shanghai');
      await viewForm.getByLabel('Base URL').fill(`https://${host}.example.com`);
      await viewForm.getByLabel('Sender').fill(`View <no-reply@${host}.example.com>`);
      await viewForm.getByLabel('Support Email').fill(`help@${host}.example.com`);
      await expectAccessible(page, 'new store view, en desktop');
      await press(viewForm.getByRole('button', { name: 'Save Store View' }));
      await page.getByRole('status').getByText('You saved the store view.').first().waitFor();
      await page
        .getByRole('region', { name: `Store views of Website ${code}` })
        .getByRole('row')
        .filter({ hasText: `View ${code}` })
        .getByRole('cell', { name: '简体中文 (zh-CN)' })
        .waitFor();
      expect(await storeView(`${code}_view`)).toMatchObject({
        websiteCode: code,
        name: `View ${code}`,
        locale: 'zh-CN',
        timezone: 'Asia/Shanghai',
        baseUrl: `https://${host}.example.com`,
        supportEmail: `help@${host}.example.com`,
        isActive: true,
      });

      // A customer of the new website (registered there), and one of base.
      const there = await registerCustomer(stack, { label: 'stores-ui-there', firstName: 'Grace', lastName: `Hopper ${code}` });
      await stack.db.query('update customer set website_code = $1, store_view_code = $2 where id = $3', [code, `${code}_view`, there.id]);
      const here = await registerCustomer(stack, { label: 'stores-ui-here', firstName: 'Grace', lastName: `Hopper ${code}` });

      // All Customers: the Website column, and the Website filter keeps only that website's customers.
      await page.goto(`/admin/customers?search=${encodeURIComponent(code)}`);
      await page.getByRole('columnheader', { name: 'Website', exact: true }).waitFor();
      await page
        .getByRole('row')
        .filter({ hasText: there.email })
        .getByRole('cell', { name: `Website ${code}`, exact: true })
        .waitFor();
      await page.getByRole('row').filter({ hasText: here.email }).getByRole('cell', { name: 'Main Website', exact: true }).waitFor();
      await page.getByLabel('Website', { exact: true }).selectOption(code);
      await press(page.getByRole('button', { name: 'Search' }));
      await page.waitForURL(new RegExp(`website=${code}`));
      await page.getByRole('row').filter({ hasText: here.email }).waitFor({ state: 'detached' });
      await page.getByRole('row').filter({ hasText: there.email }).waitFor();
      expect(await page.getByLabel('Website', { exact: true }).inputValue()).toBe(code);
      await expectAccessible(page, 'all customers filtered by website, en desktop');

      // The customer's page: their website and store view.
      await press(page.getByRole('row').filter({ hasText: there.email }).getByRole('link', { name: /^Edit/ }));
      const view = page.getByRole('region', { name: 'Customer View' });
      await view.getByText(`Website ${code} (${code})`).waitFor();
      await view.getByText(`View ${code} (${code}_view)`).waitFor();
    } finally {
      await context.close();
    }
  });

  it('a support admin sees no Stores, is refused the screen, and the server refuses the routes', async () => {
    const { context, page } = await open(support, 'en', 'phone');
    try {
      await page.goto('/admin/customers');
      const menu = page.getByRole('navigation', { name: 'Admin menu' });
      await menu.getByRole('link', { name: 'All Customers' }).waitFor();
      expect(await menu.getByRole('link', { name: 'All Stores' }).count()).toBe(0);
      expect(await menu.getByText('Stores', { exact: true }).count()).toBe(0);
      await page.goto('/admin/stores');
      await heading(page, 'Access denied').waitFor();
      expect(await page.getByRole('button', { name: 'Create Store View' }).count()).toBe(0);
      const supportJwt = await adminToken(stack, support);
      for (const [method, path, json] of [
        ['GET', '/store-views', undefined],
        ['GET', '/websites', undefined],
        ['PUT', '/store-views/default', { name: 'Taken over' }],
        ['POST', '/websites', { code: 'support_site', name: 'No' }],
      ] as const) {
        expect({ method, path, status: (await api(path, { method, json, bearer: supportJwt })).status }).toEqual({
          method,
          path,
          status: 403,
        });
      }
      expect((await storeView('default')).name).not.toBe('Taken over');
    } finally {
      await context.close();
    }
  });
});
