import { randomBytes } from 'node:crypto';
import { AdminAccount, adminToken, createAdmin, findSecrets, RecordedResponse, recordingApi } from './support/admin';
import {
  accessTokenFor,
  extractResetLink,
  extractResetToken,
  forgot,
  passwordGrant,
  RegisteredCustomer,
  registerCustomer,
  RESET_LINK_PREFIX,
  resetPassword,
  sentTo,
  sha256hex,
  sleep,
  strongPassword,
} from './support/helpers';
import { Stack, startStack } from './support/stack';

const ADMIN_RESET_ACCEPTED = 'The customer will receive an email with a link to reset password.';
const TOKENS_REVOKED = "You have revoked the customer's tokens.";
const NO_TOKENS = 'This customer has no tokens.';

/** The customer grid and detail, admin-initiated reset, Force Sign-In, and the audit log. */
describe('admin customer support (e2e)', () => {
  const log: RecordedResponse[] = [];
  const secrets: string[] = [];
  let stack: Stack;
  let api: ReturnType<typeof recordingApi>;
  let administrator: AdminAccount;
  let support: AdminAccount;
  let adminJwt: string;
  let supportJwt: string;

  /** A label no other customer has, so that searches see only this test's customers. */
  const marker = () => `m${randomBytes(4).toString('hex')}`;

  async function customerWithTokens(label: string, tokens: number): Promise<{ customer: RegisteredCustomer; tokens: string[] }> {
    const customer = await registerCustomer(stack, { label });
    secrets.push(customer.password);
    const issued: string[] = [];
    for (let i = 0; i < tokens; i++) issued.push(await accessTokenFor(stack, customer.email, customer.password));
    secrets.push(...issued, ...issued.map(sha256hex));
    return { customer, tokens: issued };
  }

  beforeAll(async () => {
    // A storefront cap of one request per email and hour, to show that admin resets bypass it.
    // Three failed sign-ins lock an account, for Unlock.
    stack = await startStack({
      settings: { resetProtectionType: 'email', maxResetRequestsPerHour: 1, minSecondsBetweenResetRequests: 0, lockoutFailures: 3 },
    });
    api = recordingApi(stack.api, log);
    [administrator, support] = await Promise.all([createAdmin(stack, 'administrator'), createAdmin(stack, 'support')]);
    [adminJwt, supportJwt] = await Promise.all([adminToken(stack, administrator), adminToken(stack, support)]);
    secrets.push(administrator.password, support.password);
  });

  afterAll(async () => {
    await stack?.stop();
  });

  describe('GET /admin/customers', () => {
    it('searches by email, first name, last name and full name, case-insensitively', async () => {
      const m = marker();
      const byEmail = await registerCustomer(stack, { label: `grid-${m}` });
      const byFirst = await registerCustomer(stack, { label: 'grid-first', firstName: `Zelda${m}` });
      const byLast = await registerCustomer(stack, { label: 'grid-last', lastName: `Quill${m}` });
      const search = (q: string) => api(`/api/v1/admin/customers?search=${encodeURIComponent(q)}`, { bearer: supportJwt });

      const ids = async (q: string) => {
        const res = await search(q);
        expect(res.status).toBe(200);
        return res.body.items.map((c: { id: string }) => c.id).sort();
      };
      expect(await ids(m)).toEqual([byEmail.id, byFirst.id, byLast.id].sort());
      expect(await ids(m.toUpperCase())).toEqual([byEmail.id, byFirst.id, byLast.id].sort());
      expect(await ids(`grid-${m}`)).toEqual([byEmail.id]);
      expect(await ids(byEmail.email.toUpperCase())).toEqual([byEmail.id]);
      expect(await ids(`zelda${m}`)).toEqual([byFirst.id]);
      expect(await ids(`Ada Quill${m}`)).toEqual([byLast.id]);
      expect(await ids(`  quill${m}  `)).toEqual([byLast.id]);
    });

    it('treats % and _ in the search as plain characters', async () => {
      const m = marker();
      const literal = await registerCustomer(stack, { label: 'grid-like', lastName: `100%_${m}` });
      const lookalike = await registerCustomer(stack, { label: 'grid-like', lastName: `100ab${m}` });
      const res = await api(`/api/v1/admin/customers?search=${encodeURIComponent(`0%_${m}`)}`, { bearer: supportJwt });
      expect(res.body.items.map((c: { id: string }) => c.id)).toEqual([literal.id]);
      const underscore = await api(`/api/v1/admin/customers?search=${encodeURIComponent(`100__${m}`)}`, { bearer: supportJwt });
      expect(underscore.body.total).toBe(0);
      expect(lookalike.id).toBeDefined();
    });

    it('pages with a stable order, newest first, and reports the total', async () => {
      const m = marker();
      const created: string[] = [];
      for (let i = 0; i < 5; i++) created.push((await registerCustomer(stack, { label: `page-${m}-${i}` })).id);
      const page = async (n: number) => {
        const res = await api(`/api/v1/admin/customers?search=page-${m}&page=${n}&pageSize=2`, { bearer: adminJwt });
        expect(res.status).toBe(200);
        expect(res.body).toMatchObject({ total: 5, page: n, pageSize: 2 });
        return res.body.items.map((c: { id: string }) => c.id);
      };
      const pages = [await page(1), await page(2), await page(3), await page(4)];
      expect(pages.map((p) => p.length)).toEqual([2, 2, 1, 0]);
      expect(pages.flat()).toEqual([...created].reverse());
      expect(await page(2)).toEqual(pages[1]);
    });

    it('defaults to page 1 of 20 and refuses out-of-range or malformed paging with 400', async () => {
      const res = await api('/api/v1/admin/customers', { bearer: adminJwt });
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ page: 1, pageSize: 20, total: expect.any(Number), items: expect.any(Array) });
      expect(res.body.items.length).toBeLessThanOrEqual(20);
      for (const query of [
        'pageSize=101',
        'pageSize=0',
        'page=0',
        'page=-1',
        'page=abc',
        'pageSize=1.5',
        'search=a&search=b',
        'sort=email',
        `search=${'x'.repeat(300)}`,
      ]) {
        const bad = await api(`/api/v1/admin/customers?${query}`, { bearer: adminJwt });
        expect({ query, status: bad.status, code: bad.body.code }).toEqual({ query, status: 400, code: 'VALIDATION' });
      }
      expect((await api('/api/v1/admin/customers?pageSize=100', { bearer: adminJwt })).status).toBe(200);
    });

    it('reports activeTokenCount for each customer, counting only live tokens', async () => {
      const m = marker();
      const two = await customerWithTokens(`tokens-${m}-two`, 2);
      const one = await customerWithTokens(`tokens-${m}-one`, 2);
      const none = await customerWithTokens(`tokens-${m}-none`, 0);
      expect((await stack.api('/api/v1/oauth/revoke', { json: { token: one.tokens[0] } })).status).toBe(200);

      const res = await api(`/api/v1/admin/customers?search=tokens-${m}`, { bearer: supportJwt });
      const counts = Object.fromEntries(res.body.items.map((c: { id: string; activeTokenCount: number }) => [c.id, c.activeTokenCount]));
      expect(counts).toEqual({ [two.customer.id]: 2, [one.customer.id]: 1, [none.customer.id]: 0 });
      expect(Object.keys(res.body.items[0]).sort()).toEqual([
        'activeTokenCount',
        'createdAt',
        'email',
        'firstName',
        'id',
        'lastName',
        'locale',
        'storeViewCode',
        'websiteCode',
      ]);
    });
  });

  describe('GET /admin/customers/:id', () => {
    it('shows one customer, without secrets', async () => {
      const { customer } = await customerWithTokens('detail', 1);
      const res = await api(`/api/v1/admin/customers/${customer.id}`, { bearer: supportJwt });
      expect(res.status).toBe(200);
      expect(res.body).toEqual({
        id: customer.id,
        email: customer.email,
        firstName: customer.firstName,
        lastName: customer.lastName,
        locale: 'en',
        createdAt: expect.any(String),
        activeTokenCount: 1,
        lockedUntil: null,
        websiteCode: 'base',
        storeViewCode: 'default',
      });
    });

    it('answers 404 for an unknown or malformed id', async () => {
      for (const id of ['00000000-0000-4000-8000-000000000000', 'not-a-uuid', "1' or '1'='1"]) {
        const res = await api(`/api/v1/admin/customers/${encodeURIComponent(id)}`, { bearer: supportJwt });
        expect({ id, status: res.status, code: res.body.code }).toEqual({ id, status: 404, code: 'NOT_FOUND' });
      }
    });
  });

  describe('POST /admin/customers/:id/password-reset', () => {
    it('sends the admin-worded reset email to the stored address, and its link works', async () => {
      const { customer, tokens } = await customerWithTokens('admin-reset', 1);
      const since = stack.sink.mark();
      const res = await api(`/api/v1/admin/customers/${customer.id}/password-reset`, { method: 'POST', bearer: supportJwt });
      expect(res.status).toBe(202);
      expect(res.body).toEqual({ message: ADMIN_RESET_ACCEPTED });

      const mail = await stack.sink.waitFor(sentTo(customer.email), { since, timeoutMs: 15_000 });
      expect(mail.to).toEqual([customer.email]);
      expect(mail.html).toMatch(/customer service team/i);
      expect(extractResetLink(mail).startsWith(RESET_LINK_PREFIX)).toBe(true);
      const token = extractResetToken(mail);
      secrets.push(token, sha256hex(token));
      const stored = await stack.db.query('select origin from password_reset_token where token_hash = $1', [sha256hex(token)]);
      expect(stored.rows).toEqual([{ origin: 'admin' }]);

      const newPassword = strongPassword('Admin-reset');
      secrets.push(newPassword);
      expect((await stack.api('/api/v1/customers/password/reset/validate', { json: { token } })).status).toBe(200);
      const reset = await resetPassword(stack, token, newPassword);
      expect(reset.status).toBe(200);
      expect((await passwordGrant(stack, customer.email, newPassword)).status).toBe(200);
      expect((await passwordGrant(stack, customer.email, customer.password)).status).toBe(400);
      // The reset revoked the old token (revokeTokensOnReset).
      expect((await stack.api('/api/v1/customers/me', { bearer: tokens[0] })).status).toBe(401);
    });

    it('is not counted against, nor stopped by, the storefront cap', async () => {
      const customer = await registerCustomer(stack, { label: 'admin-reset-cap' });
      const since = stack.sink.mark();
      for (let i = 0; i < 3; i++) {
        expect((await api(`/api/v1/admin/customers/${customer.id}/password-reset`, { method: 'POST', bearer: adminJwt })).status).toBe(202);
      }
      // The storefront still has its one request for this email: admin resets did not use it up.
      expect((await forgot(stack, customer.email)).status).toBe(202);
      expect((await forgot(stack, customer.email)).status).toBe(429);
      // And with the storefront cap reached, an admin can still send a link.
      expect((await api(`/api/v1/admin/customers/${customer.id}/password-reset`, { method: 'POST', bearer: adminJwt })).status).toBe(202);
      // Five links were sent: four from the admin, one from the storefront.
      const deadline = Date.now() + 15_000;
      while (stack.sink.find(sentTo(customer.email), since).length < 5 && Date.now() < deadline)
        await new Promise((r) => setTimeout(r, 100));
      expect(stack.sink.find(sentTo(customer.email), since)).toHaveLength(5);
      for (const mail of stack.sink.find(sentTo(customer.email), since)) secrets.push(extractResetToken(mail));
    });

    it('answers 404 for an unknown customer and sends nothing', async () => {
      const unknownId = '00000000-0000-4000-8000-000000000000';
      const res = await api(`/api/v1/admin/customers/${unknownId}/password-reset`, { method: 'POST', bearer: adminJwt });
      expect(res.status).toBe(404);
      expect(res.body.code).toBe('NOT_FOUND');
      const queued = await stack.db.query(`select 1 from outbox_message where payload->>'customerId' = $1`, [unknownId]);
      expect(queued.rowCount).toBe(0);
    });
  });

  describe('POST /admin/customers/:id/force-sign-in', () => {
    it("revokes every token of the customer at once, and only that customer's", async () => {
      const a = await customerWithTokens('force-a', 2);
      const b = await customerWithTokens('force-b', 1);
      for (const token of [...a.tokens, ...b.tokens]) expect((await stack.api('/api/v1/customers/me', { bearer: token })).status).toBe(200);

      const res = await api(`/api/v1/admin/customers/${a.customer.id}/force-sign-in`, { method: 'POST', bearer: adminJwt });
      expect(res.status).toBe(200);
      expect(res.body).toEqual({ revoked: 2, message: TOKENS_REVOKED });

      for (const token of a.tokens) expect((await stack.api('/api/v1/customers/me', { bearer: token })).status).toBe(401);
      expect((await stack.api('/api/v1/customers/me', { bearer: b.tokens[0] })).status).toBe(200);
      const detail = await api(`/api/v1/admin/customers/${a.customer.id}`, { bearer: adminJwt });
      expect(detail.body.activeTokenCount).toBe(0);
      // The customer can sign in again: Force Sign-In ends sessions, it does not lock the account.
      expect((await passwordGrant(stack, a.customer.email, a.customer.password)).status).toBe(200);
    });

    it('answers 409 CUSTOMER_HAS_NO_TOKENS when there is nothing to revoke', async () => {
      const { customer } = await customerWithTokens('force-none', 0);
      const res = await api(`/api/v1/admin/customers/${customer.id}/force-sign-in`, { method: 'POST', bearer: adminJwt });
      expect(res.status).toBe(409);
      expect(res.body).toEqual({ statusCode: 409, code: 'CUSTOMER_HAS_NO_TOKENS', message: NO_TOKENS });
    });

    it('answers 404 for an unknown customer', async () => {
      const res = await api('/api/v1/admin/customers/00000000-0000-4000-8000-000000000000/force-sign-in', {
        method: 'POST',
        bearer: adminJwt,
      });
      expect(res.status).toBe(404);
    });
  });

  describe('PUT /admin/customers/:id', () => {
    const edit = (id: string, json: unknown, bearer = adminJwt) => api(`/api/v1/admin/customers/${id}`, { method: 'PUT', bearer, json });

    it('changes name, email and language, audits each change with before and after, and the new email signs in', async () => {
      const { customer } = await customerWithTokens('edit', 0);
      const newEmail = `Edited-${marker()}@Example.com`;
      const since = stack.sink.mark();
      const res = await edit(customer.id, { firstName: ' 伟 ', lastName: '张', email: newEmail, locale: 'zh_CN' });
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({
        id: customer.id,
        firstName: '伟',
        lastName: '张',
        email: newEmail.toLowerCase(),
        locale: 'zh-CN',
        lockedUntil: null,
      });
      expect((await api(`/api/v1/admin/customers/${customer.id}`, { bearer: supportJwt })).body).toMatchObject({
        email: newEmail.toLowerCase(),
        locale: 'zh-CN',
      });
      expect((await passwordGrant(stack, newEmail, customer.password)).status).toBe(200);
      expect((await passwordGrant(stack, customer.email, customer.password)).status).toBe(400);

      // The "email changed" notice reaches the old address (in the customer's new language), and only it.
      const notice = await stack.sink.waitFor(sentTo(customer.email), { since, timeoutMs: 15_000 });
      expect(notice.to).toEqual([customer.email]);
      expect(notice.headers['content-language']).toBe('zh-CN');
      expect(notice.text).not.toMatch(/https?:\/\/\S*token/i);
      expect(stack.sink.find(sentTo(newEmail.toLowerCase()), since)).toEqual([]);

      const audit = await api(`/api/v1/admin/audit-events?customerId=${customer.id}&action=customer.updated`, { bearer: adminJwt });
      expect(audit.body.items).toHaveLength(1);
      expect(audit.body.items[0]).toMatchObject({
        action: 'customer.updated',
        adminId: administrator.id,
        customerName: '伟 张',
        details: {
          changes: [
            { field: 'firstName', from: 'Ada', to: '伟' },
            { field: 'lastName', from: 'Lovelace', to: '张' },
            { field: 'email', from: customer.email, to: newEmail.toLowerCase() },
            { field: 'locale', from: 'en', to: 'zh-CN' },
          ],
        },
      });
    });

    it('audits only the fields that change, and an edit that changes nothing records nothing', async () => {
      const { customer } = await customerWithTokens('edit-some', 0);
      const since = stack.sink.mark();
      expect((await edit(customer.id, { firstName: 'Ada', lastName: 'Byron' })).status).toBe(200);
      expect((await edit(customer.id, { lastName: 'Byron', email: customer.email.toUpperCase() })).status).toBe(200);
      expect((await edit(customer.id, {})).status).toBe(200);
      await sleep(500);
      // No email change, no notice.
      expect(stack.sink.find(sentTo(customer.email), since)).toEqual([]);
      const audit = await api(`/api/v1/admin/audit-events?customerId=${customer.id}`, { bearer: adminJwt });
      expect(audit.body.items.map((e: { details: unknown }) => e.details)).toEqual([
        { changes: [{ field: 'lastName', from: 'Lovelace', to: 'Byron' }], websiteCode: 'base', storeViewCode: 'default' },
      ]);
    });

    it("answers 409 EMAIL_TAKEN with another account's address, in any spelling, and changes nothing", async () => {
      const { customer } = await customerWithTokens('edit-taken', 0);
      const other = await registerCustomer(stack, { label: 'edit-taken-other' });
      for (const email of [other.email, other.email.toUpperCase()]) {
        const res = await edit(customer.id, { email, firstName: 'Changed' });
        expect(res.status).toBe(409);
        expect(res.body).toEqual({ statusCode: 409, code: 'EMAIL_TAKEN', message: 'There is already an account with this email address.' });
      }
      expect((await api(`/api/v1/admin/customers/${customer.id}`, { bearer: adminJwt })).body).toMatchObject({
        email: customer.email,
        firstName: 'Ada',
      });
      const audit = await api(`/api/v1/admin/audit-events?customerId=${customer.id}&action=customer.updated`, { bearer: adminJwt });
      expect(audit.body.total).toBe(0);
    });

    it('refuses bad input with 400 VALIDATION, an unknown customer with 404, and support with 403', async () => {
      const { customer } = await customerWithTokens('edit-bad', 0);
      for (const body of [
        { email: 'not-an-email' },
        { email: 'x'.repeat(250) + '@example.com' },
        { firstName: '' },
        { firstName: '   ' },
        { lastName: 'x'.repeat(256) },
        { firstName: 5 },
        { locale: 'not a locale' },
        { password: 'Sneaky-Pass-1' },
        { id: '00000000-0000-4000-8000-000000000000' },
        [],
      ]) {
        const res = await edit(customer.id, body);
        expect({ body, status: res.status, code: res.body.code }).toEqual({ body, status: 400, code: 'VALIDATION' });
      }
      expect((await edit('00000000-0000-4000-8000-000000000000', { firstName: 'X' })).status).toBe(404);
      expect((await edit('not-a-uuid', { firstName: 'X' })).status).toBe(404);
      const denied = await edit(customer.id, { firstName: 'Support' }, supportJwt);
      expect({ status: denied.status, code: denied.body.code }).toEqual({ status: 403, code: 'FORBIDDEN' });
      expect((await api(`/api/v1/admin/customers/${customer.id}`, { bearer: adminJwt })).body.firstName).toBe('Ada');
    });
  });

  describe('POST /admin/customers/:id/unlock', () => {
    it('lifts a sign-in lockout at once, and is audited', async () => {
      const { customer } = await customerWithTokens('unlock', 0);
      for (let i = 0; i < 3; i++) expect((await passwordGrant(stack, customer.email, 'Wrong-Password-1')).status).toBe(400);
      // Locked: even the right password is refused.
      expect((await passwordGrant(stack, customer.email, customer.password)).status).toBe(400);
      const locked = await api(`/api/v1/admin/customers/${customer.id}`, { bearer: adminJwt });
      expect(new Date(locked.body.lockedUntil).getTime()).toBeGreaterThan(Date.now());

      const denied = await api(`/api/v1/admin/customers/${customer.id}/unlock`, { method: 'POST', bearer: supportJwt });
      expect(denied.status).toBe(403);
      const res = await api(`/api/v1/admin/customers/${customer.id}/unlock`, { method: 'POST', bearer: adminJwt });
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ id: customer.id, lockedUntil: null });
      expect((await passwordGrant(stack, customer.email, customer.password)).status).toBe(200);

      const audit = await api(`/api/v1/admin/audit-events?customerId=${customer.id}&action=customer.unlocked`, { bearer: adminJwt });
      expect(audit.body.items).toEqual([
        expect.objectContaining({
          adminId: administrator.id,
          customerId: customer.id,
          details: { wasLocked: true, websiteCode: 'base', storeViewCode: 'default' },
        }),
      ]);
    });

    it('answers 404 for an unknown customer', async () => {
      const res = await api('/api/v1/admin/customers/00000000-0000-4000-8000-000000000000/unlock', { method: 'POST', bearer: adminJwt });
      expect(res.status).toBe(404);
    });
  });

  describe('GET /admin/audit-events', () => {
    it('records each action with who, what, whom, when and from which IP, newest first', async () => {
      const { customer } = await customerWithTokens('audited', 1);
      const start = Date.now() - 1000;
      expect((await api(`/api/v1/admin/customers/${customer.id}/password-reset`, { method: 'POST', bearer: supportJwt })).status).toBe(202);
      // From a peer that is not a trusted proxy, X-Forwarded-For is ignored: the audit keeps the real IP.
      const spoofed = { 'x-forwarded-for': '203.0.113.66' };
      expect(
        (await api(`/api/v1/admin/customers/${customer.id}/force-sign-in`, { method: 'POST', bearer: adminJwt, headers: spoofed })).status,
      ).toBe(200);
      expect((await api(`/api/v1/admin/customers/${customer.id}/force-sign-in`, { method: 'POST', bearer: supportJwt })).status).toBe(403);

      const res = await api(`/api/v1/admin/audit-events?customerId=${customer.id}`, { bearer: supportJwt });
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ total: 3, page: 1, pageSize: 20 });
      expect(res.body.items.map((e: { action: string }) => e.action)).toEqual([
        'access.denied',
        'customer.force_sign_in',
        'customer.password_reset_sent',
      ]);
      const [denied, forced, reset] = res.body.items;
      expect(reset).toMatchObject({ adminId: support.id, adminEmail: support.email, customerId: customer.id, clientIp: '127.0.0.1' });
      expect(forced).toMatchObject({
        adminId: administrator.id,
        adminEmail: administrator.email,
        customerId: customer.id,
        clientIp: '127.0.0.1',
        details: { revoked: 1, websiteCode: 'base', storeViewCode: 'default' },
      });
      expect(denied).toMatchObject({ adminId: support.id, details: { permission: 'customers.invalidate_tokens' } });
      for (const event of res.body.items) {
        expect(new Date(event.createdAt).getTime()).toBeGreaterThanOrEqual(start);
        expect(new Date(event.createdAt).getTime()).toBeLessThanOrEqual(Date.now() + 1000);
      }

      const second = await api(`/api/v1/admin/audit-events?customerId=${customer.id}&page=2&pageSize=1`, { bearer: supportJwt });
      expect(second.body).toMatchObject({ total: 3, page: 2, pageSize: 1 });
      expect(second.body.items).toEqual([forced]);
    });

    it('filters by action, admin and time, together with the customer', async () => {
      const { customer } = await customerWithTokens('audit-filter', 2);
      const before = new Date(Date.now() - 1000).toISOString();
      expect((await api(`/api/v1/admin/customers/${customer.id}/password-reset`, { method: 'POST', bearer: supportJwt })).status).toBe(202);
      expect((await api(`/api/v1/admin/customers/${customer.id}/force-sign-in`, { method: 'POST', bearer: adminJwt })).status).toBe(200);
      const after = new Date(Date.now() + 1000).toISOString();
      const actions = async (query: string) => {
        const res = await api(`/api/v1/admin/audit-events?customerId=${customer.id}&${query}`, { bearer: adminJwt });
        expect(res.status).toBe(200);
        return res.body.items.map((e: { action: string }) => e.action);
      };
      expect(await actions('action=customer.force_sign_in')).toEqual(['customer.force_sign_in']);
      expect(await actions(`adminId=${support.id}`)).toEqual(['customer.password_reset_sent']);
      expect(await actions(`adminId=${administrator.id}&action=customer.password_reset_sent`)).toEqual([]);
      expect(await actions(`from=${encodeURIComponent(before)}&to=${encodeURIComponent(after)}`)).toEqual([
        'customer.force_sign_in',
        'customer.password_reset_sent',
      ]);
      expect(await actions(`from=${encodeURIComponent(after)}`)).toEqual([]);
      expect(await actions(`to=${encodeURIComponent(before)}`)).toEqual([]);
      for (const query of [
        'action=customer.hacked',
        'adminId=nope',
        'from=yesterday',
        'to=2026-13-01',
        `from=${after}&to=${before}`,
        'format=xml',
      ]) {
        const bad = await api(`/api/v1/admin/audit-events?${query}`, { bearer: adminJwt });
        expect({ query, status: bad.status, code: bad.body.code }).toEqual({ query, status: 400, code: 'VALIDATION' });
      }
    });

    it('exports the filtered log as CSV, with cells a spreadsheet cannot run as formulas', async () => {
      const customer = await registerCustomer(stack, {
        label: 'audit-csv',
        firstName: '=HYPERLINK("http://evil.example","x")',
        lastName: '@SUM(1)',
      });
      const other = await registerCustomer(stack, { label: 'audit-csv-other' });
      expect((await api(`/api/v1/admin/customers/${customer.id}/password-reset`, { method: 'POST', bearer: adminJwt })).status).toBe(202);
      expect((await api(`/api/v1/admin/customers/${other.id}/password-reset`, { method: 'POST', bearer: adminJwt })).status).toBe(202);
      const res = await api(`/api/v1/admin/audit-events?format=csv&customerId=${customer.id}`, { bearer: supportJwt });
      expect(res.status).toBe(200);
      expect(res.headers['content-type']).toMatch(/^text\/csv; charset=utf-8/);
      expect(res.headers['content-disposition']).toMatch(/^attachment; filename="audit-log-\d{4}-\d{2}-\d{2}\.csv"$/);
      const lines = res.text.replace(/^\ufeff/, '').split('\r\n');
      expect(lines[0]).toBe('id,createdAt,action,adminId,adminEmail,customerId,customerName,clientIp,details');
      expect(lines.slice(1).filter(Boolean)).toHaveLength(1);
      const row = lines[1];
      expect(row).toContain(`,customer.password_reset_sent,${administrator.id},${administrator.email},${customer.id},`);
      // The name starts with "=": it is exported with an apostrophe in front, and quoted for its quotes and comma.
      expect(row).toContain(`"'=HYPERLINK(""http://evil.example"",""x"") @SUM(1)"`);
      expect(row).not.toMatch(/(^|,)[=+\-@]/);
      const unauthenticated = await api(`/api/v1/admin/audit-events?format=csv`);
      expect(unauthenticated.status).toBe(401);
    });

    it('lists every customer without a filter, and refuses a malformed filter', async () => {
      const all = await api('/api/v1/admin/audit-events?pageSize=100', { bearer: adminJwt });
      expect(all.status).toBe(200);
      expect(all.body.total).toBeGreaterThanOrEqual(3);
      const ids = all.body.items.map((e: { id: string }) => Number(e.id));
      expect(ids).toEqual([...ids].sort((x, y) => y - x));
      for (const query of ['customerId=nope', 'pageSize=1000', 'page=0']) {
        const bad = await api(`/api/v1/admin/audit-events?${query}`, { bearer: adminJwt });
        expect({ query, status: bad.status }).toEqual({ query, status: 400 });
      }
    });
  });

  it('never returned a password, hash or token in any admin answer', async () => {
    const hashes = await stack.db.query<{ h: string }>(
      `select password_hash as h from customer union all select password_hash from admin_user
       union all select token_hash from access_token union all select token_hash from password_reset_token`,
    );
    expect(log.length).toBeGreaterThan(30);
    expect(findSecrets(log, [...secrets, ...hashes.rows.map((r) => r.h)])).toEqual([]);
  });
});
