import type { Browser } from 'playwright-core';
import { launchBrowser, LaunchedBrowser } from './support/browser';
import { FORGOT_PAGE } from './support/hosted-pages';
import { extractResetLink, NO_RESET_THROTTLING, sentTo, sleep, strongPassword, uniqueEmail } from './support/helpers';
import { Stack, startStack } from './support/stack';

/**
 * A two-website shop in a real browser (Chromium), one host per store view: 127.0.0.1 (store view
 * host_a, website base, English) and localhost (store view host_b, website two, Chinese), both this
 * one API on loopback (`--host-resolver-rules` keeps localhost on 127.0.0.1). On each host the forgot
 * page is that store view's (name, language), its email comes from that store view, and the link in
 * it opens that same host's page in that language and name. The same address has an account in each
 * website, and each host's form reaches its own.
 */
describe('hosted pages of two store views on two hosts, in a browser (e2e)', () => {
  let stack: Stack;
  let launched: LaunchedBrowser;
  let browser: Browser;
  let port: string;
  const email = uniqueEmail('two-hosts');
  const HOSTS = {
    a: { host: '127.0.0.1', code: 'host_a', website: 'base', name: 'Harbour Tea A', locale: 'en', title: 'Forgot Your Password?' },
    b: { host: 'localhost', code: 'host_b', website: 'two', name: '港湾茶铺乙', locale: 'zh-CN', title: '忘记密码？' },
  };

  beforeAll(async () => {
    stack = await startStack({ settings: { ...NO_RESET_THROTTLING, storeName: 'Default Store' } });
    port = new URL(stack.baseUrl).port;
    // Written as rows: the admin route takes only https: base URLs in production, and these two are
    // plain-http loopback hosts. The settings channel makes the processes reload at once.
    await stack.db.query(`insert into website (code, name) values ('two', 'Second Website')`);
    for (const v of Object.values(HOSTS)) {
      await stack.db.query(
        `insert into store_view (code, website_code, name, locale, base_url, mail_from, support_email) values ($1, $2, $3, $4, $5, $6, $7)`,
        [v.code, v.website, v.name, v.locale, `http://${v.host}:${port}`, `${v.code}@shop.e2e.test`, `help-${v.code}@shop.e2e.test`],
      );
    }
    await stack.redis.publish('customer-access:settings-changed', '1');
    for (let i = 0; ; i++) {
      const probe = await stack.api('/api/v1/customers/password/forgot', {
        json: { email: 'probe@two-hosts.test' },
        headers: { Store: 'host_b' },
      });
      if (probe.status === 202) break;
      if (i > 100) throw new Error(`store views not in force: ${probe.status}`);
      await sleep(100);
    }
    for (const v of Object.values(HOSTS)) {
      const res = await stack.api('/api/v1/customers', {
        json: { email, password: strongPassword(), firstName: 'Mei', lastName: v.code },
        headers: { Store: v.code },
      });
      expect(res.body).toMatchObject({ websiteCode: v.website, storeViewCode: v.code, locale: v.locale });
    }
    launched = await launchBrowser(['--host-resolver-rules=MAP localhost 127.0.0.1']);
    browser = launched.browser;
  });

  afterAll(async () => {
    await launched?.close();
    await stack?.stop();
  });

  it.each(Object.values(HOSTS))('on $host: the page, the email and its link are those of store view $code', async (view) => {
    // A browser language with no catalogue: the page falls back to the store view's.
    const context = await browser.newContext({ locale: 'fr-FR' });
    const page = await context.newPage();
    try {
      const origin = `http://${view.host}:${port}`;
      await page.goto(`${origin}${FORGOT_PAGE}`);
      expect(await page.getAttribute('html', 'lang')).toBe(view.locale);
      expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe(view.title);
      expect(await page.locator('body').textContent()).toContain(view.name);

      const since = stack.sink.mark();
      await page.locator('#email').fill(email);
      await page.locator('#email').press('Enter');
      await page.getByRole('status').waitFor();
      const mail = await stack.sink.waitFor(sentTo(email), { since, timeoutMs: 15_000 });
      expect([mail.fromAddress, mail.headers['content-language']]).toEqual([`${view.code}@shop.e2e.test`, view.locale]);
      const link = extractResetLink(mail);
      expect(link.startsWith(`${origin}/customer/account/createPassword?token=`)).toBe(true);

      // The link opens this host's page, in this store view's language and name.
      await page.goto(link);
      await page.locator('#password').waitFor();
      expect(new URL(page.url()).host).toBe(`${view.host}:${port}`);
      expect(await page.getAttribute('html', 'lang')).toBe(view.locale);
      expect(await page.locator('body').textContent()).toContain(view.name);
    } finally {
      await context.close();
    }
  });
});
