import { AdminAccount, adminToken, createAdmin } from './support/admin';
import { browserLike, CookieJar, FORGOT_PAGE, textOf } from './support/hosted-pages';
import {
  extractResetLink,
  extractResetToken,
  forgot,
  registerCustomer,
  resetPassword,
  sentTo,
  sleep,
  strongPassword,
  uniqueEmail,
} from './support/helpers';
import { ReceivedMail } from './support/smtp-sink';
import { MAIL_FROM, MAIL_FROM_ADDRESS, Stack, startStack, STOREFRONT_URL } from './support/stack';

/** Websites and store views: the admin routes (docs/api.md, Stores). */
describe('stores (e2e)', () => {
  let stack: Stack;
  let administrator: AdminAccount;
  let support: AdminAccount;
  let adminJwt: string;
  let supportJwt: string;

  beforeAll(async () => {
    stack = await startStack({ settings: { storeName: 'E2E Store', supportEmail: 'help@shop.e2e.test' } });
    [administrator, support] = await Promise.all([createAdmin(stack, 'administrator'), createAdmin(stack, 'support')]);
    [adminJwt, supportJwt] = await Promise.all([adminToken(stack, administrator), adminToken(stack, support)]);
  });

  afterAll(async () => {
    await stack?.stop();
  });

  const admin = (path: string, init: { method?: string; json?: unknown } = {}) =>
    stack.api(`/api/v1/admin${path}`, { ...init, bearer: adminJwt });

  /** Polls (short intervals, no fixed sleep) until `read` gives a value `done` accepts; the last value otherwise. */
  async function until<T>(read: () => Promise<T>, done: (value: T) => boolean, timeoutMs = 10_000): Promise<T> {
    const end = Date.now() + timeoutMs;
    let value = await read();
    while (!done(value) && Date.now() < end) {
      await sleep(100);
      value = await read();
    }
    return value;
  }

  /** The delivery timeline of a customer, once it has `count` emails sent. */
  const timeline = (customerId: string, count = 1) =>
    until(
      async () =>
        (await admin(`/customers/${customerId}/emails`)).body.items as Array<{ template: string; status: string; storeViewCode: string }>,
      (items) => items.filter((e) => e.status === 'sent').length >= count,
    );

  describe('admin routes', () => {
    it('every installation has website base with store view default, inheriting the one-store environment and settings', async () => {
      const websites = await admin('/websites');
      expect(websites.status).toBe(200);
      expect(websites.body.items).toEqual([{ code: 'base', name: 'Main Website', storeViewCodes: ['default'] }]);
      const views = await admin('/store-views');
      expect(views.status).toBe(200);
      expect(views.body.items).toEqual([
        {
          code: 'default',
          websiteCode: 'base',
          name: 'E2E Store',
          locale: 'en',
          timezone: 'UTC',
          baseUrl: STOREFRONT_URL,
          mailFrom: MAIL_FROM,
          supportEmail: 'help@shop.e2e.test',
          isActive: true,
          inherits: ['name', 'locale', 'timezone', 'baseUrl', 'mailFrom', 'supportEmail'],
        },
      ]);
    });

    it('are for administrators only (stores.manage): support gets 403, no token 401', async () => {
      for (const [method, path] of [
        ['GET', '/websites'],
        ['POST', '/websites'],
        ['GET', '/store-views'],
        ['POST', '/store-views'],
        ['PUT', '/store-views/default'],
      ]) {
        const json = method === 'GET' ? undefined : {};
        expect((await stack.api(`/api/v1/admin${path}`, { method, json, bearer: supportJwt })).status).toBe(403);
        expect((await stack.api(`/api/v1/admin${path}`, { method, json })).status).toBe(401);
      }
    });

    it('creates a website and a store view, refusing bad codes, unknown websites and unsafe base URLs with 400', async () => {
      expect((await admin('/websites', { json: { code: 'Bad-Code', name: 'x' } })).body.code).toBe('VALIDATION');
      const created = await admin('/websites', { json: { code: 'adm_site', name: 'Admin Test Website' } });
      expect(created.status).toBe(201);
      expect(created.body).toEqual({ code: 'adm_site', name: 'Admin Test Website', storeViewCodes: [] });
      expect((await admin('/websites', { json: { code: 'adm_site', name: 'again' } })).status).toBe(400);

      const view = { code: 'adm_view', websiteCode: 'adm_site', name: 'Admin View', baseUrl: 'https://adm.shop.e2e.test' };
      for (const baseUrl of [
        'http://adm.shop.e2e.test', // production: https only
        'https://user:pw@adm.shop.e2e.test',
        'https://adm.shop.e2e.test/?next=1',
        'https://adm.shop.e2e.test/#x',
        'javascript:alert(1)',
        '/relative',
      ]) {
        const res = await admin('/store-views', { json: { ...view, baseUrl } });
        expect([res.status, res.body.code, baseUrl]).toEqual([400, 'VALIDATION', baseUrl]);
      }
      expect((await admin('/store-views', { json: { ...view, websiteCode: 'nope' } })).status).toBe(400);
      expect((await admin('/store-views', { json: { ...view, code: '9view' } })).status).toBe(400);
      expect((await admin('/store-views', { json: { ...view, locale: 'xx-nope' } })).status).toBe(400);
      expect((await admin('/store-views', { json: { ...view, timezone: 'Mars/Base' } })).status).toBe(400);
      expect((await admin('/store-views', { json: { ...view, unknownField: 1 } })).status).toBe(400);

      const ok = await admin('/store-views', { json: { ...view, baseUrl: 'https://ADM.shop.e2e.test/', locale: 'zh_CN' } });
      expect(ok.status).toBe(201);
      expect(ok.body).toMatchObject({
        code: 'adm_view',
        websiteCode: 'adm_site',
        name: 'Admin View',
        baseUrl: 'https://adm.shop.e2e.test',
        locale: 'zh-CN',
        mailFrom: MAIL_FROM,
        isActive: true,
        inherits: ['timezone', 'mailFrom', 'supportEmail'],
      });
      expect((await admin('/websites')).body.items).toContainEqual({
        code: 'adm_site',
        name: 'Admin Test Website',
        storeViewCodes: ['adm_view'],
      });
    });

    it('changes a store view, audits a new baseUrl with its old and new value, and null inherits again', async () => {
      const res = await admin('/store-views/adm_view', {
        method: 'PUT',
        json: { baseUrl: 'https://new.shop.e2e.test/cn', mailFrom: 'Shop CN <cn@shop.e2e.test>' },
      });
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ baseUrl: 'https://new.shop.e2e.test/cn', mailFrom: '"Shop CN" <cn@shop.e2e.test>' });
      const audit = await admin('/audit-events?action=store.store_view_updated');
      expect(audit.status).toBe(200);
      expect(audit.body.items[0].details).toEqual({
        storeViewCode: 'adm_view',
        websiteCode: 'adm_site',
        changes: [
          { field: 'baseUrl', from: 'https://adm.shop.e2e.test', to: 'https://new.shop.e2e.test/cn' },
          { field: 'mailFrom', from: null, to: '"Shop CN" <cn@shop.e2e.test>' },
        ],
      });
      const back = await admin('/store-views/adm_view', { method: 'PUT', json: { mailFrom: null } });
      expect(back.body.mailFrom).toBe(MAIL_FROM);
      expect(back.body.inherits).toContain('mailFrom');
      expect((await admin('/store-views/nope', { method: 'PUT', json: {} })).status).toBe(404);
      expect((await admin('/store-views/default', { method: 'PUT', json: { isActive: false } })).status).toBe(400);
      expect((await admin('/store-views/adm_view', { method: 'PUT', json: { baseUrl: 'https://x.test?a' } })).status).toBe(400);
    });

    it('customers carry websiteCode and storeViewCode (existing and new: base/default), and the grid filters by website', async () => {
      const customer = await registerCustomer(stack, { label: 'stores-grid' });
      expect(customer.response.body).toMatchObject({ websiteCode: 'base', storeViewCode: 'default' });
      const detail = await admin(`/customers/${customer.id}`);
      expect(detail.body).toMatchObject({ websiteCode: 'base', storeViewCode: 'default' });
      const inBase = await admin(`/customers?website=base&search=${encodeURIComponent(customer.email)}`);
      expect(inBase.body.items.map((c: { id: string }) => c.id)).toEqual([customer.id]);
      const elsewhere = await admin(`/customers?website=adm_site&search=${encodeURIComponent(customer.email)}`);
      expect(elsewhere.body.items).toEqual([]);
      expect((await admin('/customers?website=Not-A-Code')).status).toBe(400);
    });

    it('refuses accountSharingScope = global with 409 ACCOUNT_SHARING_CONFLICT while an email has accounts in two websites, changing nothing', async () => {
      const customer = await registerCustomer(stack, { label: 'stores-sharing' });
      // The same address in a second website (the storefront route with a Store header does the same).
      await stack.db.query(
        `insert into customer (id, email, password_hash, first_name, last_name, website_code, store_view_code)
         select gen_random_uuid(), email, password_hash, first_name, last_name, 'adm_site', 'adm_view' from customer where id = $1`,
        [customer.id],
      );
      const refused = await admin('/config/customer-password', { method: 'PUT', json: { accountSharingScope: 'global' } });
      expect(refused.status).toBe(409);
      expect(refused.body).toEqual({
        statusCode: 409,
        code: 'ACCOUNT_SHARING_CONFLICT',
        message:
          'Some email addresses have accounts in more than one website. Customer accounts can be shared globally only when each address has one account.',
      });
      expect((await admin('/config/customer-password')).body.accountSharingScope).toBe('website');
      expect((await admin('/audit-events?action=config.customer_password_changed')).body.items).toEqual([]);

      await stack.db.query(`delete from customer where email = $1 and website_code = 'adm_site'`, [customer.email]);
      const switched = await admin('/config/customer-password', { method: 'PUT', json: { accountSharingScope: 'global' } });
      expect(switched.status).toBe(200);
      expect(switched.body.accountSharingScope).toBe('global');

      // Under global scope an admin's email change is held to the same rule as a registration: an
      // address with an account in another website is taken (the unique index covers one website only).
      const other = await registerCustomer(stack, { label: 'stores-sharing-other' });
      await stack.db.query(`update customer set website_code = 'adm_site', store_view_code = 'adm_view' where id = $1`, [other.id]);
      const taken = await admin(`/customers/${customer.id}`, { method: 'PUT', json: { email: other.email } });
      expect([taken.status, taken.body.code]).toEqual([409, 'EMAIL_TAKEN']);
      expect((await admin(`/customers/${customer.id}`)).body.email).toBe(customer.email);
      expect((await admin('/config/customer-password', { method: 'PUT', json: { accountSharingScope: 'website' } })).status).toBe(200);
      // Per website again: the same address may now have one account in each.
      const allowed = await admin(`/customers/${customer.id}`, { method: 'PUT', json: { email: other.email } });
      expect(allowed.status).toBe(200);
      expect(allowed.body.email).toBe(other.email);
    });
  });

  describe('storefront and emails', () => {
    const EU = {
      code: 'eu_view',
      websiteCode: 'eu',
      name: 'EU Shop',
      baseUrl: 'https://eu.shop.e2e.test',
      mailFrom: 'EU Shop <eu@shop.e2e.test>',
      supportEmail: 'help@eu.shop.e2e.test',
      locale: 'zh-CN',
    };
    const show = (label: string, mail: ReceivedMail) =>
      process.stdout.write(
        `--- ${label}\nFrom: ${mail.from}\nTo: ${mail.to.join(', ')}\nSubject: ${mail.subject}\nContent-Language: ${mail.headers['content-language']}\n\n${mail.text}\n`,
      );

    beforeAll(async () => {
      await stack.setSettings({ resetProtectionType: 'email', maxResetRequestsPerHour: 1, minSecondsBetweenResetRequests: 0 });
      expect((await admin('/websites', { json: { code: 'eu', name: 'EU Website' } })).status).toBe(201);
      expect((await admin('/store-views', { json: EU })).status).toBe(201);
    });

    it('the same email has one account in each website; each resets alone, from its own store view', async () => {
      const email = uniqueEmail('two-sites');
      const inBase = await stack.api('/api/v1/customers', {
        json: { email, password: strongPassword(), firstName: 'Ada', lastName: 'Base' },
      });
      const inEu = await stack.api('/api/v1/customers', {
        json: { email, password: strongPassword(), firstName: 'Ada', lastName: 'Eu' },
        headers: { Store: 'eu_view' },
      });
      expect([inBase.status, inEu.status]).toEqual([201, 201]);
      expect(inEu.body).toMatchObject({ websiteCode: 'eu', storeViewCode: 'eu_view', locale: 'zh-CN' });
      const again = await stack.api('/api/v1/customers', {
        json: { email, password: strongPassword(), firstName: 'A', lastName: 'B' },
        headers: { Store: 'eu_view' },
      });
      expect(again.body.code).toBe('EMAIL_TAKEN');

      let since = stack.sink.mark();
      expect((await stack.api('/api/v1/customers/password/forgot', { json: { email }, headers: { Store: 'eu_view' } })).status).toBe(202);
      const mail = await stack.sink.waitFor(sentTo(email), { since, timeoutMs: 10_000 });
      expect(mail.fromAddress).toBe('eu@shop.e2e.test');
      expect(mail.from).toContain('EU Shop');
      expect(mail.headers['content-language']).toBe('zh-CN');
      expect(extractResetLink(mail).startsWith('https://eu.shop.e2e.test/customer/account/createPassword?token=')).toBe(true);
      expect(mail.text).toContain('help@eu.shop.e2e.test');
      show('store view eu_view (Store: eu_view)', mail);
      // The per-email cap (1 an hour) counts per website: the base account can still ask.
      expect((await stack.api('/api/v1/customers/password/forgot', { json: { email }, headers: { Store: 'eu_view' } })).status).toBe(429);
      since = stack.sink.mark();
      expect((await forgot(stack, email)).status).toBe(202);
      const baseMail = await stack.sink.waitFor(sentTo(email), { since, timeoutMs: 10_000 });
      expect(baseMail.fromAddress).toBe(MAIL_FROM_ADDRESS);
      expect(extractResetLink(baseMail).startsWith(`${STOREFRONT_URL}/customer/account/createPassword?token=`)).toBe(true);
      expect(baseMail.headers['content-language']).toBe('en');
      show('store view default (no Store header)', baseMail);

      // The delivery timeline names the store view each email came from.
      expect((await timeline(inEu.body.id)).map((e) => [e.template, e.status, e.storeViewCode])).toEqual([
        ['password-reset', 'sent', 'eu_view'],
      ]);
      expect((await timeline(inBase.body.id)).map((e) => [e.template, e.status, e.storeViewCode])).toEqual([
        ['password-reset', 'sent', 'default'],
      ]);

      // The EU link resets the EU account only: the base account's password is unchanged.
      const newPassword = strongPassword('Eu');
      expect((await resetPassword(stack, extractResetToken(mail), newPassword)).status).toBe(200);
      const grant = (password: string, store?: string) =>
        stack.api('/api/v1/oauth/token', {
          json: { grant_type: 'password', username: email, password },
          headers: store ? { Store: store } : {},
        });
      expect((await grant(newPassword, 'eu_view')).status).toBe(200);
      expect((await grant(newPassword)).status).toBe(400);
    });

    it("an admin reset follows the customer's store view, and an unknown or inactive Store header is 400 STORE_UNKNOWN", async () => {
      const email = uniqueEmail('admin-eu');
      const eu = await stack.api('/api/v1/customers', {
        json: { email, password: strongPassword(), firstName: 'Eva', lastName: 'Eu' },
        headers: { Store: 'eu_view' },
      });
      const since = stack.sink.mark();
      expect((await admin(`/customers/${eu.body.id}/password-reset`, { method: 'POST' })).status).toBe(202);
      const mail = await stack.sink.waitFor(sentTo(email), { since, timeoutMs: 10_000 });
      expect(mail.fromAddress).toBe('eu@shop.e2e.test');
      expect(extractResetLink(mail).startsWith('https://eu.shop.e2e.test/')).toBe(true);
      // The timeline and the audit event name the customer's store view and website.
      expect((await timeline(eu.body.id)).map((e) => [e.template, e.storeViewCode])).toEqual([['admin-password-reset', 'eu_view']]);
      const audit = await admin(`/audit-events?customerId=${eu.body.id}&action=customer.password_reset_sent`);
      expect(audit.body.items.map((e: { details: unknown }) => e.details)).toEqual([{ websiteCode: 'eu', storeViewCode: 'eu_view' }]);

      const unknown = await stack.api('/api/v1/customers/password/forgot', { json: { email }, headers: { Store: 'nope' } });
      expect(unknown.status).toBe(400);
      expect(unknown.body).toEqual({
        statusCode: 400,
        code: 'STORE_UNKNOWN',
        message: 'The store view named in the Store header is unknown or inactive.',
      });
      const zh = await stack.api('/api/v1/customers/password/forgot', {
        json: { email },
        headers: { Store: 'nope', 'Accept-Language': 'zh-CN' },
      });
      expect(zh.body.code).toBe('STORE_UNKNOWN');
      expect((await admin('/store-views/eu_view', { method: 'PUT', json: { isActive: false } })).status).toBe(200);
      expect((await stack.api('/api/v1/customers/password/forgot', { json: { email }, headers: { Store: 'eu_view' } })).body.code).toBe(
        'STORE_UNKNOWN',
      );
      expect((await admin('/store-views/eu_view', { method: 'PUT', json: { isActive: true } })).status).toBe(200);
    });

    it('Force Sign-In on the account in one website leaves the same email signed in in the other', async () => {
      const email = uniqueEmail('force-two-sites');
      const passwords = { base: strongPassword('Base'), eu: strongPassword('Eu') };
      const register = (password: string, store?: string) =>
        stack.api('/api/v1/customers', {
          json: { email, password, firstName: 'Fay', lastName: 'Two' },
          headers: store ? { Store: store } : {},
        });
      const [base, eu] = [await register(passwords.base), await register(passwords.eu, 'eu_view')];
      expect([base.status, eu.status]).toEqual([201, 201]);
      const signIn = async (password: string, store?: string) => {
        const res = await stack.api('/api/v1/oauth/token', {
          json: { grant_type: 'password', username: email, password },
          headers: store ? { Store: store } : {},
        });
        expect(res.status).toBe(200);
        return res.body.access_token as string;
      };
      const baseToken = await signIn(passwords.base);
      const euToken = await signIn(passwords.eu, 'eu_view');
      const me = (token: string) => stack.api('/api/v1/customers/me', { bearer: token });
      expect((await me(baseToken)).body.id).toBe(base.body.id);
      expect((await me(euToken)).body.id).toBe(eu.body.id);

      const forced = await admin(`/customers/${eu.body.id}/force-sign-in`, { method: 'POST' });
      expect(forced.status).toBe(200);
      expect(forced.body.revoked).toBe(1);
      expect((await me(euToken)).status).toBe(401);
      expect((await me(baseToken)).status).toBe(200);
      expect((await admin(`/customers/${base.body.id}`)).body.activeTokenCount).toBe(1);
      const audit = await admin(`/audit-events?customerId=${eu.body.id}&action=customer.force_sign_in`);
      expect(audit.body.items.map((e: { details: unknown }) => e.details)).toEqual([
        { revoked: 1, websiteCode: 'eu', storeViewCode: 'eu_view' },
      ]);
    });

    it("a hosted page takes its store name and fallback language from the store view of the Host, and its link from that view's baseUrl", async () => {
      const onHost = (host?: string) => browserLike(stack.api, new CookieJar(), host ? { host } : {});
      const euPage = await onHost('eu.shop.e2e.test').get(FORGOT_PAGE);
      expect(euPage.status).toBe(200);
      expect(euPage.headers['content-language']).toBe('zh-CN');
      expect(textOf(euPage.text)).toContain('EU Shop');
      // A Host no store view has (and none at all) is the default store view: it only selects.
      for (const host of ['evil.example', undefined]) {
        const page = await onHost(host).get(FORGOT_PAGE);
        expect([page.headers['content-language'], textOf(page.text).includes('E2E Store'), textOf(page.text).includes('EU Shop')]).toEqual([
          'en',
          true,
          false,
        ]);
      }

      // The EU account asks on the EU host: the EU store view's email and link base.
      const email = uniqueEmail('host-eu');
      expect(
        (
          await stack.api('/api/v1/customers', {
            json: { email, password: strongPassword(), firstName: 'H', lastName: 'Eu' },
            headers: { Store: 'eu_view' },
          })
        ).status,
      ).toBe(201);
      let since = stack.sink.mark();
      const eu = onHost('eu.shop.e2e.test');
      expect((await eu.post(FORGOT_PAGE, { email }, await eu.get(FORGOT_PAGE))).status).toBe(200);
      const mail = await stack.sink.waitFor(sentTo(email), { since, timeoutMs: 10_000 });
      expect([mail.fromAddress, mail.headers['content-language']]).toEqual(['eu@shop.e2e.test', 'zh-CN']);
      expect(extractResetLink(mail).startsWith('https://eu.shop.e2e.test/customer/account/createPassword?token=')).toBe(true);

      // A base account asking on an unknown Host gets the default store view's link, never one built from the Host.
      const other = await registerCustomer(stack, { label: 'host-evil' });
      since = stack.sink.mark();
      const evil = onHost('evil.example');
      expect((await evil.post(FORGOT_PAGE, { email: other.email }, await evil.get(FORGOT_PAGE))).status).toBe(200);
      const evilMail = await stack.sink.waitFor(sentTo(other.email), { since, timeoutMs: 10_000 });
      expect(extractResetLink(evilMail).startsWith(`${STOREFRONT_URL}/customer/account/createPassword?token=`)).toBe(true);
      expect(evilMail.text).not.toContain('evil.example');
    });
  });
});
