import type { BrowserContext, CDPSession, Locator, Page } from 'playwright-core';
import { AdminAccount, createAdmin, nextTotpCode } from './support/admin';
import { axeCheck } from './support/axe';
import { launchBrowser, LaunchedBrowser, VIEWPORTS } from './support/browser';
import { Stack, startStack } from './support/stack';

/**
 * Security keys and passkeys in the admin console (docs/admin-sign-in.md), in Debian's Chromium
 * with the DevTools Protocol's virtual authenticator (CTAP2, internal transport, user verification
 * on) standing in for the key. WebAuthn needs a secure context and the relying party is the host
 * of PUBLIC_URL: http://localhost is one, so this stack's PUBLIC_URL and the browser use localhost.
 */

declare const document: { activeElement: unknown };

describe('admin console: security keys in a real browser (e2e)', () => {
  let stack: Stack;
  let chromium: LaunchedBrowser;
  let origin: string;

  beforeAll(async () => {
    chromium = await launchBrowser();
    stack = await startStack({
      processEnv: (_which, env) => ({ ...env, PUBLIC_URL: env.PUBLIC_URL.replace('127.0.0.1', 'localhost') }),
    });
    origin = stack.baseUrl.replace('127.0.0.1', 'localhost');
  });

  afterAll(async () => {
    await chromium?.close();
    await stack?.stop();
  });

  async function open(): Promise<{ context: BrowserContext; page: Page; cdp: CDPSession }> {
    const context = await chromium.browser.newContext({ viewport: VIEWPORTS.desktop, baseURL: origin });
    const page = await context.newPage();
    const cdp = await context.newCDPSession(page);
    await cdp.send('WebAuthn.enable');
    return { context, page, cdp };
  }

  async function addAuthenticator(cdp: CDPSession): Promise<string> {
    const { authenticatorId } = await cdp.send('WebAuthn.addVirtualAuthenticator', {
      options: {
        protocol: 'ctap2',
        transport: 'internal',
        hasResidentKey: true,
        hasUserVerification: true,
        isUserVerified: true,
        automaticPresenceSimulation: true,
      },
    });
    return authenticatorId;
  }

  const heading = (page: Page, name: string) => page.getByRole('heading', { level: 1, name });
  const isFocused = (locator: Locator) => locator.evaluate((element) => element === document.activeElement);

  async function expectAccessible(page: Page, screen: string): Promise<void> {
    const { blocking } = await axeCheck(page, screen);
    expect({ screen, violations: blocking.map((v) => `${v.id}: ${v.help}`) }).toEqual({ screen, violations: [] });
  }

  async function password(page: Page, admin: AdminAccount): Promise<void> {
    await page.goto('/admin');
    await page.getByLabel('Email').fill(admin.email);
    await page.getByLabel('Password').fill(admin.password);
    await page.getByRole('button', { name: 'Sign In' }).click();
    await heading(page, 'Two-Factor Authentication').waitFor();
  }

  async function signOut(page: Page): Promise<void> {
    await page.getByRole('button', { name: 'Sign Out' }).click();
    await heading(page, 'Sign In').waitFor();
  }

  const factorsOf = async (admin: AdminAccount) =>
    (
      await stack.db.query<{
        kind: string;
        name: string;
        credential_device_type: string | null;
        backed_up: boolean | null;
        sign_count: string | null;
      }>(
        'select kind, name, credential_device_type, backed_up, sign_count from admin_mfa_factor where admin_id = $1 and confirmed_at is not null order by created_at',
        [admin.id],
      )
    ).rows;

  const auditOf = async (admin: AdminAccount, action: string) =>
    (
      await stack.db.query<{ details: Record<string, unknown> }>(
        'select details from admin_audit_event where admin_id = $1 and action = $2 order by id',
        [admin.id, action],
      )
    ).rows.map((r) => r.details);

  it('enrols a security key at the first sign-in, signs in with it, and is refused once the authenticator is gone', async () => {
    const admin = await createAdmin(stack, 'administrator', 'webauthn');
    const { context, page, cdp } = await open();
    const answers: unknown[] = [];
    page.on('request', (r) => {
      if (r.method() === 'POST' && r.url().endsWith('/api/v1/admin/auth/mfa/webauthn')) answers.push(r.postDataJSON());
    });
    try {
      const authenticator = await addAuthenticator(cdp);

      // First sign-in: "Use a security key", name it, Continue; the browser asks the (virtual) key.
      await password(page, admin);
      await page.getByRole('button', { name: 'Use a security key' }).click();
      const name = page.getByLabel('Key name');
      expect(await isFocused(name)).toBe(true);
      await expectAccessible(page, 'Two-Factor Authentication, security key enrolment');
      await name.fill('Desk key');
      await page.getByRole('button', { name: 'Continue' }).click();
      await heading(page, 'Save your recovery codes').waitFor();
      expect(await page.getByRole('listitem').count()).toBe(10);
      await page.getByRole('button', { name: 'Continue' }).click();
      await heading(page, 'All Customers').waitFor();

      const [key] = await factorsOf(admin);
      expect(key).toMatchObject({
        kind: 'webauthn',
        name: 'Desk key',
        credential_device_type: expect.stringMatching(/^(singleDevice|multiDevice)$/),
      });
      expect(typeof key.backed_up).toBe('boolean');
      expect(await auditOf(admin, 'admin.mfa_enrolled')).toEqual([expect.objectContaining({ method: 'webauthn', name: 'Desk key' })]);
      const { credentials } = await cdp.send('WebAuthn.getCredentials', { authenticatorId: authenticator });
      expect(credentials).toHaveLength(1);
      expect(credentials[0].rpId).toBe('localhost');

      // Signed out, then in again with the key: the screen offers it first for a key-only admin.
      await signOut(page);
      await password(page, admin);
      const cont = page.getByRole('button', { name: 'Continue' });
      expect(await isFocused(cont)).toBe(true);
      expect(await page.getByRole('button', { name: 'Use the authenticator app' }).count()).toBe(0);
      await expectAccessible(page, 'Two-Factor Authentication, security key');
      await cont.click();
      await heading(page, 'All Customers').waitFor();
      const [used] = await factorsOf(admin);
      expect(Number(used.sign_count)).toBeGreaterThan(Number(key.sign_count));

      // The browser's answer of that sign-in, sent again with a new mfa_token: refused (its
      // challenge was used once), and it counts as a wrong code.
      const replayed = answers.at(-1) as { response: unknown };
      const again = await stack.api('/api/v1/admin/auth/token', { json: { email: admin.email, password: admin.password } });
      await stack.api('/api/v1/admin/auth/mfa/webauthn/options', { json: { mfa_token: again.body.mfa_token } });
      const replay = await stack.api('/api/v1/admin/auth/mfa/webauthn', {
        json: { mfa_token: again.body.mfa_token, response: replayed.response },
      });
      expect(replay.status).toBe(401);
      expect(replay.body.code).toBe('MFA_INVALID');
      // Without options first there is no challenge: refused the same way.
      const noChallenge = await stack.api('/api/v1/admin/auth/mfa/webauthn', {
        json: { mfa_token: again.body.mfa_token, response: replayed.response },
      });
      expect(noChallenge.status).toBe(401);
      expect((await auditOf(admin, 'admin.mfa_failed')).filter((d) => d.method === 'webauthn')).toHaveLength(2);

      // The authenticator removed (another one, which never saw this site, in its place): the
      // browser has no key to answer with, and nobody is signed in.
      await signOut(page);
      await cdp.send('WebAuthn.removeVirtualAuthenticator', { authenticatorId: authenticator });
      await addAuthenticator(cdp);
      await password(page, admin);
      await page.getByRole('button', { name: 'Continue' }).click();
      await page
        .getByRole('alert')
        .getByText('The security key request was cancelled or timed out. Try again.')
        .waitFor({ timeout: 90_000 });
      await heading(page, 'Two-Factor Authentication').waitFor();
      expect(await page.getByRole('navigation', { name: 'Admin menu' }).count()).toBe(0);
    } finally {
      await context.close();
    }
  }, 180_000);

  it('My Account: adds a security key beside the authenticator app, signs in with either, removes one but never the last', async () => {
    const admin = await createAdmin(stack, 'support', 'webauthn-account');
    const { context, page, cdp } = await open();
    try {
      // Enrol the authenticator app at the first sign-in (codes from oathtool).
      await password(page, admin);
      const secret = page.locator('code.totp-secret');
      await secret.waitFor();
      admin.totpSecret = (await secret.textContent())!.replace(/\s/g, '');
      await page.getByLabel('Authentication code').fill(await nextTotpCode(admin));
      await page.getByRole('button', { name: 'Verify' }).click();
      await heading(page, 'Save your recovery codes').waitFor();
      await page.getByRole('button', { name: 'Continue' }).click();

      // My Account lists it; adding a key goes through the browser's WebAuthn.
      await page.getByRole('link', { name: 'My Account' }).click();
      await heading(page, 'My Account').waitFor();
      const factors = page.getByRole('region', { name: 'Two-Factor Authentication' });
      await factors.getByRole('row').filter({ hasText: 'Authenticator app' }).waitFor();
      await page.getByText('Unused recovery codes: 10 of 10.').waitFor();
      await expectAccessible(page, 'My Account');
      await addAuthenticator(cdp);
      await page.getByLabel('Key name').fill('Phone passkey');
      await page.getByRole('button', { name: 'Add Security Key' }).click();
      await page.getByRole('status').getByText('You added Phone passkey.').waitFor();
      await factors.getByRole('row').filter({ hasText: 'Phone passkey' }).waitFor();
      expect((await factorsOf(admin)).map((f) => f.kind)).toEqual(['totp', 'webauthn']);

      // New recovery codes, shown once with Download; the old count is back to 10.
      await page.getByRole('button', { name: 'Generate New Codes' }).click();
      await page.getByRole('dialog').getByRole('button', { name: 'OK' }).click();
      await page.getByRole('button', { name: 'Download' }).waitFor();
      expect(await page.locator('.recovery-codes li').count()).toBe(10);
      await expectAccessible(page, 'My Account, new recovery codes');
      await page.getByRole('button', { name: 'Done' }).click();

      // Sign in again with the key, chosen on the Two-Factor screen.
      await signOut(page);
      await password(page, admin);
      await page.getByRole('button', { name: 'Use a security key' }).click();
      await page.getByRole('button', { name: 'Continue' }).click();
      await heading(page, 'All Customers').waitFor();

      // Remove the authenticator app (two factors: allowed); then the key is the last one: its Remove is
      // disabled with the reason beside it, and the server refuses a direct DELETE all the same.
      await page.getByRole('link', { name: 'My Account' }).click();
      await page.getByRole('button', { name: 'Remove Authenticator app' }).click();
      await page.getByRole('dialog').getByRole('button', { name: 'OK' }).click();
      await page.getByRole('status').getByText('You removed Authenticator app.').waitFor();
      // The status can show before the list is read again (its Remove buttons disabled meanwhile):
      // wait for the reason, then check that the last Remove is disabled and described by it.
      const lastFactorReason = page.locator('p.hint', { hasText: 'This is your only second factor: add another before removing it.' });
      await lastFactorReason.waitFor();
      const lastRemove = page.getByRole('button', { name: 'Remove Phone passkey' });
      await expect(lastRemove.isDisabled()).resolves.toBe(true);
      await expect(lastRemove.getAttribute('aria-describedby')).resolves.toBe(await lastFactorReason.getAttribute('id'));
      await expectAccessible(page, 'My Account, the only factor');
      const { token } = JSON.parse((await page.evaluate<string | null>("sessionStorage.getItem('customer-access.admin-session')"))!) as {
        token: string;
      };
      const [onlyId] = (await stack.db.query<{ id: string }>('select id from admin_mfa_factor where admin_id = $1', [admin.id])).rows;
      const direct = await stack.api(`/api/v1/admin/account/factors/${onlyId!.id}`, { method: 'DELETE', bearer: token });
      expect(direct.status).toBe(403);
      expect((await factorsOf(admin)).map((f) => f.name)).toEqual(['Phone passkey']);
      expect(await auditOf(admin, 'admin.mfa_removed')).toEqual([expect.objectContaining({ method: 'totp', name: 'Authenticator app' })]);
      expect(await auditOf(admin, 'admin.recovery_codes_regenerated')).toEqual([{ count: 10 }]);
    } finally {
      await context.close();
    }
  }, 180_000);
});
