import { createServer, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import { join } from 'node:path';
import type { BrowserContext, Locator, Page } from 'playwright-core';
import { Webhook } from 'standardwebhooks';
import { AdminAccount, createAdmin, signInWithMfa } from './support/admin';
import { axeCheck } from './support/axe';
import { launchBrowser, LaunchedBrowser, screenshotDir, VIEWPORTS } from './support/browser';
import { eventually } from './support/faults';
import { accessTokenFor, registerCustomer } from './support/helpers';
import { Stack, startStack } from './support/stack';

/**
 * The console's Webhooks screen in Debian's Chromium (docs/webhooks.md; issue 22 "Done when"): an
 * administrator adds an endpoint pointing at a receiver on 127.0.0.1 that verifies every request
 * with `standardwebhooks` (the spec's reference library), copies the secret shown once, forces a
 * customer's sign-in on the customer page, and sees the delivery as delivered in the list; then
 * Send Test, Rotate Secret (the new secret verifies), a refused delivery with its reason and
 * Retry, Disable/Enable and Delete through the confirmation. A support admin is refused the screen.
 * axe-core on each state; the screenshots admin-webhooks-en-1280 and admin-webhooks-zh-CN-390.
 *
 * NODE_ENV=test (http: receivers) and WEBHOOK_ALLOWED_HOSTS=127.0.0.1 (the receiver is on the
 * loopback), as in test/webhooks.e2e-spec.ts. Nothing secret is printed: the secrets are compared,
 * never logged or put in an assertion's message.
 */

declare const document: { documentElement: { scrollWidth: number } };
declare const window: { innerWidth: number };
declare const navigator: { clipboard: { readText(): Promise<string> } };
declare const sessionStorage: { setItem(key: string, value: string): void };
declare const localStorage: { setItem(key: string, value: string): void };

type Locale = 'en' | 'zh-CN';
type Viewport = keyof typeof VIEWPORTS;

const SESSION_KEY = 'customer-access.admin-session';
const LOCALE_KEY = 'customer-access.admin-locale';

interface Received {
  id: string;
  type: string;
  /** Whether one of the receiver's secrets verified the request with standardwebhooks. */
  verified: boolean;
}

/** A receiver on 127.0.0.1 that verifies with `standardwebhooks` and answers 204. */
class Receiver {
  readonly received: Received[] = [];
  secrets: string[] = [];
  private server!: Server;
  url = '';

  async listen(): Promise<void> {
    this.server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => {
        const body = Buffer.concat(chunks).toString('utf8');
        const headers = {
          'webhook-id': String(req.headers['webhook-id']),
          'webhook-timestamp': String(req.headers['webhook-timestamp']),
          'webhook-signature': String(req.headers['webhook-signature']),
        };
        const verified = this.secrets.some((secret) => {
          try {
            new Webhook(secret).verify(body, headers);
            return true;
          } catch {
            return false;
          }
        });
        this.received.push({ id: headers['webhook-id'], type: (JSON.parse(body) as { type: string }).type, verified });
        res.writeHead(204).end();
      });
    });
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/hooks/customer-access`;
  }

  close(): Promise<void> {
    return new Promise((resolve) => this.server?.close(() => resolve()));
  }
}

describe('admin console: Webhooks (e2e, browser)', () => {
  let stack: Stack;
  let chromium: LaunchedBrowser;
  const receiver = new Receiver();

  beforeAll(async () => {
    await receiver.listen();
    [chromium, stack] = await Promise.all([
      launchBrowser(),
      startStack({ nodeEnv: 'test', env: { WEBHOOK_ALLOWED_HOSTS: '127.0.0.1', WEBHOOK_RETRY_DELAY_MS: '100' } }),
    ]);
  });

  afterAll(async () => {
    await chromium?.close();
    await stack?.stop();
    await receiver.close();
  });

  /** A console tab signed in as `admin` (a real sign-in through the second factor), and its token. */
  async function open(
    admin: AdminAccount,
    locale: Locale,
    viewport: Viewport,
  ): Promise<{ context: BrowserContext; page: Page; token: string }> {
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
    await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: stack.baseUrl });
    await context.addInitScript(
      ([sessionKey, value, localeKey, lang]) => {
        sessionStorage.setItem(sessionKey, value);
        localStorage.setItem(localeKey, lang);
      },
      [SESSION_KEY, JSON.stringify(session), LOCALE_KEY, locale],
    );
    return { context, page: await context.newPage(), token: session.token };
  }

  async function press(locator: Locator, key = 'Enter'): Promise<void> {
    await locator.focus();
    await locator.press(key);
  }

  async function expectAccessible(page: Page, screen: string): Promise<void> {
    const { blocking } = await axeCheck(page, screen);
    expect({
      screen,
      violations: blocking.map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).join('; ')})`),
    }).toEqual({ screen, violations: [] });
    const widths = await page.evaluate(() => ({ scrollWidth: document.documentElement.scrollWidth, innerWidth: window.innerWidth }));
    expect({ screen, fits: widths.scrollWidth <= widths.innerWidth }).toEqual({ screen, fits: true });
  }

  const screenshot = (page: Page, locale: Locale, viewport: Viewport) =>
    page.screenshot({ path: join(screenshotDir(), `admin-webhooks-${locale}-${VIEWPORTS[viewport]!.width}.png`), fullPage: true });

  /** The secret panel's `whsec_` secret, read from the clipboard after Copy Secret; checked against the page, never printed. */
  async function copySecret(page: Page): Promise<string> {
    const panel = page.getByRole('region', { name: 'Signing secret' });
    await panel.waitFor();
    await press(panel.getByRole('button', { name: 'Copy Secret' }));
    await panel.getByRole('status').getByText('The secret is on the clipboard.').waitFor();
    const copied = await page.evaluate(() => navigator.clipboard.readText());
    const shown = (await panel.locator('code').textContent()) ?? '';
    expect([copied.startsWith('whsec_'), copied.length > 30, copied === shown]).toEqual([true, true, true]);
    return copied;
  }

  /** The card of the endpoint at `url`. */
  const card = (page: Page, url: string) => page.getByRole('region', { name: url, exact: true });
  const deliveryRow = (page: Page, url: string, type: string) =>
    page
      .getByRole('region', { name: `Recent deliveries to ${url}` })
      .getByRole('row')
      .filter({ hasText: type });

  it('an administrator adds an endpoint, forces a sign-in, and sees the verified delivery as delivered; test, rotate, retry, disable, delete', async () => {
    const admin = await createAdmin(stack, 'administrator', 'webhooks-ui');
    const customer = await registerCustomer(stack, { label: 'webhooks-ui', firstName: 'Grace', lastName: 'Hopper' });
    await accessTokenFor(stack, customer.email, customer.password);
    const { context, page, token } = await open(admin, 'en', 'desktop');
    const api = (path: string, init: { method?: string; json?: unknown } = {}) =>
      stack.api(`/api/v1/admin${path}`, { bearer: token, ...init });
    try {
      // From the menu (administrators see Webhooks), by keyboard.
      await page.goto('/admin/customers');
      await press(page.getByRole('navigation', { name: 'Admin menu' }).getByRole('link', { name: 'Webhooks' }));
      await page.getByRole('heading', { level: 1, name: 'Webhooks' }).waitFor();
      await page.getByText('There are no webhooks yet.').waitFor();

      // Add Webhook: the rules beside their fields before anything is sent, then saved.
      await press(page.getByRole('button', { name: 'Add Webhook' }));
      const form = page.getByRole('form', { name: 'New Webhook' });
      await press(form.getByRole('button', { name: 'Save Webhook' }));
      await form.getByText('This is a required field.').waitFor();
      await form.getByText('Choose at least one event type.').waitFor();
      expect(await form.getByLabel('Endpoint URL').getAttribute('aria-invalid')).toBe('true');
      await expectAccessible(page, 'new webhook with errors, en 1280px');
      await form.getByLabel('Endpoint URL').fill(receiver.url);
      await form.getByLabel('Description (optional)').fill('CRM');
      await press(form.getByLabel(/^Tokens revoked/), 'Space');
      await press(form.getByRole('button', { name: 'Save Webhook' }));
      await page.getByRole('status').getByText('You added the webhook. Copy its signing secret now.').waitFor();

      // The secret, once: copied, then gone from the page for good.
      receiver.secrets = [await copySecret(page)];
      await card(page, receiver.url).waitFor();
      await expectAccessible(page, 'secret shown once, en 1280px');
      await press(page.getByRole('button', { name: 'I Have Stored It' }));
      expect(await page.getByRole('region', { name: 'Signing secret' }).count()).toBe(0);
      expect(await page.locator('body').textContent()).not.toContain('whsec_');
      const [endpoint] = (await api('/webhooks')).body.items;
      expect(endpoint).toMatchObject({ url: receiver.url, events: ['customer.tokens.revoked'], description: 'CRM', enabled: true });

      // Force Sign In on the customer's page.
      await page.goto(`/admin/customers/${customer.id}`);
      await page.getByRole('heading', { level: 1, name: 'Grace Hopper' }).waitFor();
      await press(page.getByRole('button', { name: 'Force Sign In' }));
      const dialog = page.getByRole('dialog');
      await dialog.waitFor();
      await press(dialog.getByRole('button', { name: 'OK' }));
      await page.getByRole('status').getByText("You have revoked the customer's tokens.").waitFor();

      // Back on Webhooks: the delivery, delivered (the list is read again while it is pending).
      await press(page.getByRole('navigation', { name: 'Admin menu' }).getByRole('link', { name: 'Webhooks' }));
      const deliveries = card(page, receiver.url).getByRole('button', { name: 'Recent Deliveries' });
      await press(deliveries);
      expect(await deliveries.getAttribute('aria-expanded')).toBe('true');
      const revoked = deliveryRow(page, receiver.url, 'customer.tokens.revoked');
      await revoked.getByRole('cell', { name: 'Delivered', exact: true }).waitFor({ timeout: 15_000 });
      await revoked.getByRole('cell', { name: '204', exact: true }).waitFor();
      const [delivery] = (await api(`/webhooks/${endpoint.id}/deliveries`)).body.items;
      expect(receiver.received.filter((r) => r.id === delivery.eventId)).toEqual([
        { id: delivery.eventId, type: 'customer.tokens.revoked', verified: true },
      ]);
      await expectAccessible(page, 'webhooks with a delivery, en 1280px');
      await screenshot(page, 'en', 'desktop');

      // Send Test: a webhook.test delivery, delivered and verified.
      await press(card(page, receiver.url).getByRole('button', { name: 'Send Test' }));
      await card(page, receiver.url)
        .getByRole('status')
        .getByText(/A test event is on its way/)
        .waitFor();
      await deliveryRow(page, receiver.url, 'webhook.test')
        .getByRole('cell', { name: 'Delivered', exact: true })
        .waitFor({ timeout: 15_000 });
      expect(receiver.received.find((r) => r.type === 'webhook.test')?.verified).toBe(true);

      // Rotate Secret (confirmed): a new secret, shown once; a test signed now verifies with it alone.
      await press(card(page, receiver.url).getByRole('button', { name: 'Rotate Secret' }));
      await dialog.getByText(/^Rotate the signing secret of/).waitFor();
      await press(dialog.getByRole('button', { name: 'OK' }));
      await page
        .getByRole('status')
        .getByText(/^You rotated the secret\./)
        .waitFor();
      const rotated = await copySecret(page);
      expect(rotated === receiver.secrets[0]).toBe(false);
      receiver.secrets = [rotated];
      await press(page.getByRole('button', { name: 'I Have Stored It' }));
      const before = receiver.received.length;
      await press(card(page, receiver.url).getByRole('button', { name: 'Send Test' }));
      await eventually('the test after the rotation arrives', () => receiver.received.length > before, 15_000, 100);
      expect(receiver.received.slice(before).map((r) => [r.type, r.verified])).toEqual([['webhook.test', true]]);
      await card(page, receiver.url).getByText('Previous secret valid until').waitFor();

      // A destination the rules refuse (127.0.0.2 is not allowed): refused, with the reason, and Retry.
      const refusedUrl = 'http://127.0.0.2:9/hooks';
      expect((await api('/webhooks', { json: { url: refusedUrl, events: ['customer.created'] } })).status).toBe(201);
      await page.reload();
      await press(card(page, refusedUrl).getByRole('button', { name: 'Send Test' }));
      const refusedRow = deliveryRow(page, refusedUrl, 'webhook.test');
      await refusedRow.getByRole('cell', { name: 'Refused', exact: true }).waitFor({ timeout: 15_000 });
      await refusedRow.getByText(/127\.0\.0\.2 is a loopback address/).waitFor();
      await press(refusedRow.getByRole('button', { name: /^Retry/ }));
      await card(page, refusedUrl).getByRole('status').getByText('The delivery is being sent again.').waitFor();
      await expectAccessible(page, 'a refused delivery, en 1280px');

      // Disable (confirmed), then Enable.
      await press(card(page, refusedUrl).getByRole('button', { name: 'Disable' }));
      await dialog.getByText(`Disable ${refusedUrl}? Nothing is sent to it until it is enabled again.`).waitFor();
      await press(dialog.getByRole('button', { name: 'OK' }));
      await card(page, refusedUrl)
        .getByRole('definition')
        .filter({ hasText: /^Disabled$/ })
        .waitFor();
      await press(card(page, refusedUrl).getByRole('button', { name: 'Enable' }));
      await card(page, refusedUrl).getByRole('status').getByText('You enabled the webhook.').waitFor();

      // Delete: Cancel keeps it; OK deletes it with its deliveries.
      await press(card(page, refusedUrl).getByRole('button', { name: 'Delete' }));
      await press(dialog.getByRole('button', { name: 'Cancel' }));
      await dialog.waitFor({ state: 'hidden' });
      await press(card(page, refusedUrl).getByRole('button', { name: 'Delete' }));
      await press(dialog.getByRole('button', { name: 'OK' }));
      await page.getByRole('status').getByText('You deleted the webhook.').waitFor();
      await card(page, refusedUrl).waitFor({ state: 'detached' });
      expect((await api('/webhooks')).body.items.map((e: { url: string }) => e.url)).toEqual([receiver.url]);
    } finally {
      await context.close();
    }
  });

  it('in zh-CN at 390 px: the list with its deliveries (axe, photographed); a support admin is refused the screen', async () => {
    const { context, page } = await open(await createAdmin(stack, 'administrator', 'webhooks-zh'), 'zh-CN', 'phone');
    try {
      await page.goto('/admin/webhooks');
      await page.getByRole('heading', { level: 1, name: 'Webhook' }).waitFor();
      await press(card(page, receiver.url).getByRole('button', { name: '最近的投递' }));
      await page
        .getByRole('region', { name: `最近向 ${receiver.url} 的投递` })
        .getByRole('row')
        .filter({ hasText: 'customer.tokens.revoked' })
        .getByRole('cell', { name: '已投递', exact: true })
        .waitFor();
      await expectAccessible(page, 'webhooks, zh-CN 390px');
      await screenshot(page, 'zh-CN', 'phone');
    } finally {
      await context.close();
    }

    const support = await open(await createAdmin(stack, 'support', 'webhooks-support'), 'en', 'phone');
    try {
      await support.page.goto('/admin/customers');
      const menu = support.page.getByRole('navigation', { name: 'Admin menu' });
      await menu.getByRole('link', { name: 'All Customers' }).waitFor();
      expect(await menu.getByRole('link', { name: 'Webhooks' }).count()).toBe(0);
      await support.page.goto('/admin/webhooks');
      await support.page.getByRole('heading', { level: 1, name: 'Access denied' }).waitFor();
      expect((await stack.api('/api/v1/admin/webhooks', { bearer: support.token })).status).toBe(403);
    } finally {
      await support.context.close();
    }
  });
});
