import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { AdminAccount, adminToken, createAdmin, findSecrets, RecordedResponse, recordingApi } from './support/admin';
import { eventually, TcpProxy } from './support/faults';
import {
  extractResetLink,
  extractResetToken,
  forgot,
  MESSAGES,
  NO_RESET_THROTTLING,
  RegisteredCustomer,
  registerCustomer,
  resetPassword,
  sentTo,
  sha256hex,
  strongPassword,
  validateToken,
} from './support/helpers';
import { ProcessGroup } from './support/processes';
import { ReceivedMail } from './support/smtp-sink';
import { MAIL_FROM_ADDRESS, REPO_ROOT, Stack, startStack, STOREFRONT_URL } from './support/stack';

/**
 * Issue 10: emails a customer can read and support can trace. Real emails at the SMTP sink in the
 * customer's language (en, zh-CN), admin previews and test sends, and the delivery timeline
 * (GET /admin/customers/:id/emails) through an SMTP outage, a permanent refusal and the link's fate.
 *
 * The worker reaches the sink through a TCP proxy the test can hold (a hung server), take down and
 * bring back; MAIL_RETRY_DELAY_MS=200 keeps the retries quick.
 */
const STORE_NAME = 'Lotus Shop';
/** The store's time zone (the `timezone` setting): times in emails are written in it (UTC+8, no daylight saving). */
const TIME_ZONE = 'Asia/Shanghai';
const SUPPORT_EMAIL = 'help@lotus.example';
const CHINESE = /[\u4e00-\u9fff]/;
const TEMPLATES = ['password-reset', 'admin-password-reset', 'password-changed', 'email-changed', 'account-invitation'];
/** The templates that carry a reset link. */
const LINK_TEMPLATES = ['password-reset', 'admin-password-reset'];
const LOCALES = ['en', 'zh-CN'];

describe('emails (e2e)', () => {
  let stack: Stack;
  let group: ProcessGroup;
  let smtp: TcpProxy;
  let administrator: AdminAccount;
  let adminJwt: string;
  let supportJwt: string;
  const log: RecordedResponse[] = [];
  let api: ReturnType<typeof recordingApi>;
  /** Every raw token and link that reached a mailbox: none may appear in an admin answer. */
  const secrets: string[] = [];

  beforeAll(async () => {
    stack = await startStack({
      settings: { ...NO_RESET_THROTTLING, storeName: STORE_NAME, supportEmail: SUPPORT_EMAIL, timezone: TIME_ZONE },
      worker: false,
      env: { MAIL_RETRY_DELAY_MS: '200' },
    });
    api = recordingApi(stack.api, log);
    smtp = await TcpProxy.forUrl(stack.sink.url, 25);
    group = new ProcessGroup(stack);
    // MAIL_FROM without a display name: the emails are signed with the store's name.
    await group.worker('worker', { SMTP_URL: smtp.rewrite(stack.sink.url), MAIL_FROM: MAIL_FROM_ADDRESS });
    const support = await createAdmin(stack, 'support');
    administrator = await createAdmin(stack, 'administrator');
    [adminJwt, supportJwt] = await Promise.all([adminToken(stack, administrator), adminToken(stack, support)]);
  });

  afterAll(async () => {
    await group?.stopAll();
    await stack?.stop();
    await smtp?.close();
  });

  afterEach(async () => {
    stack.sink.failWith(null);
    smtp.release();
    await smtp.up();
  });

  /** The next email to `address` after `since`. */
  const nextMailTo = (address: string, since: number, timeoutMs = 15_000): Promise<ReceivedMail> =>
    stack.sink.waitFor(sentTo(address), { since, timeoutMs });

  const timeline = async (customerId: string, jwt = adminJwt): Promise<any[]> => {
    const res = await api(`/api/v1/admin/customers/${customerId}/emails`, { bearer: jwt });
    if (res.status !== 200) throw new Error(`emails of ${customerId}: ${res.status} ${res.text}`);
    return res.body.items;
  };

  /**
   * Every URL in an email part, XML namespace names (xmlns="http://www.w3.org/1999/xhtml", never
   * fetched or followed) left out.
   */
  const urlsIn = (part: string): string[] =>
    part.replace(/\sxmlns(?::\w+)?="[^"]*"/g, '').match(/(?:\b[a-z][a-z0-9+.-]*:)?\/\/[^\s"'<>()]+/gi) ?? [];

  /**
   * What every customer email must be: multipart, in `locale`, branded and signed with the store's
   * name, no template syntax left, no URL but the store's own links, times in the store's time zone.
   */
  function expectWellFormed(mail: ReceivedMail, locale: string, withLink: boolean): void {
    expect(mail.headers['content-language']).toBe(locale);
    expect(mail.from).toMatch(new RegExp(`^"?${STORE_NAME}"? <${MAIL_FROM_ADDRESS}>$`));
    expect(mail.fromAddress).toBe(MAIL_FROM_ADDRESS);
    expect([mail.html, mail.text].flatMap(urlsIn).filter((url) => !url.startsWith(`${STOREFRONT_URL}/`))).toEqual([]);
    expect(mail.html).not.toMatch(/<link\b|@import|@font-face|url\(/i);
    expect(mail.text).not.toMatch(/\bUTC\b/);
    expect(mail.subject + mail.text + mail.html).not.toContain('账户');
    expect(mail.raw).toMatch(/Content-Type: multipart\/alternative/i);
    expect(mail.raw).toMatch(/Content-Type: text\/plain; charset=utf-8/i);
    expect(mail.raw).toMatch(/Content-Type: text\/html; charset=utf-8/i);
    expect(mail.html).toMatch(new RegExp(`<html[^>]* lang="${locale}"`));
    expect(mail.subject).toContain(STORE_NAME);
    expect(mail.html).toContain(STORE_NAME);
    expect(mail.text).toContain(SUPPORT_EMAIL);
    expect(mail.html).toContain(`mailto:${SUPPORT_EMAIL}`);
    for (const part of [mail.subject, mail.text, mail.html]) {
      expect(part).not.toMatch(/\{\{|\}\}|\bemail\.[a-zA-Z]+\.[a-zA-Z]+/);
    }
    if (locale === 'zh-CN') {
      expect(mail.subject).toMatch(CHINESE);
      expect(mail.text).toMatch(CHINESE);
    } else {
      expect(mail.subject + mail.text).not.toMatch(CHINESE);
    }
    if (withLink) {
      const link = extractResetLink(mail);
      // The link in both parts: the text part has it on a line of its own.
      expect(mail.text.split('\n').map((l) => l.trim())).toContain(link);
      secrets.push(link, extractResetToken(mail));
    }
  }

  describe.each([
    ['en', 'en_US'],
    ['zh-CN', 'zh_CN'],
  ])('a customer who registered with locale %s (sent as %s)', (locale, registeredAs) => {
    let customer: RegisteredCustomer;

    beforeAll(async () => {
      customer = await registerCustomer(stack, {
        label: `lang-${locale}`,
        locale: registeredAs,
        firstName: locale === 'en' ? 'Jane' : '小雨',
        lastName: locale === 'en' ? 'Doe' : '王',
      });
    });

    it('is stored with the BCP 47 tag', async () => {
      expect(customer.response.body.locale).toBe(locale);
      const row = await stack.db.query('select locale from customer where id = $1', [customer.id]);
      expect(row.rows[0].locale).toBe(locale);
    });

    it('gets the storefront reset, the admin reset and the password-changed email in that language, each with a working link', async () => {
      let since = stack.sink.mark();
      expect((await forgot(stack, customer.email)).status).toBe(202);
      const reset = await nextMailTo(customer.email, since);
      expectWellFormed(reset, locale, true);
      expect(reset.text).toContain(locale === 'en' ? 'valid for 24 hours' : '24 小时内有效');
      // Greeted by the first name in English, by the full name, family name first, in Chinese.
      expect(reset.text).toContain(locale === 'en' ? 'Hello Jane,' : '王小雨，您好：');
      // The expiry in the store's time zone: 24 hours from now, as a clock in Shanghai shows it.
      const expiry = new Date(Date.now() + 24 * 3600_000);
      const shanghai = new Intl.DateTimeFormat(locale, { timeZone: TIME_ZONE, month: 'long', day: 'numeric' }).format(expiry);
      // Lines wrap at spaces in English and between characters in Chinese.
      expect(reset.text.replace(/\n/g, locale === 'en' ? ' ' : '')).toContain(shanghai);
      expect(reset.text).toContain('GMT+8');
      expect((await validateToken(stack, extractResetToken(reset))).status).toBe(200);

      since = stack.sink.mark();
      const adminReset = await api(`/api/v1/admin/customers/${customer.id}/password-reset`, { method: 'POST', bearer: adminJwt });
      expect(adminReset.status).toBe(202);
      const fromAdmin = await nextMailTo(customer.email, since);
      expectWellFormed(fromAdmin, locale, true);
      expect(fromAdmin.text).toMatch(locale === 'en' ? /customer service/ : /客服/);
      // The admin's own language plays no part: the same admin gets both customers' emails out in theirs.

      since = stack.sink.mark();
      const token = extractResetToken(fromAdmin);
      expect((await resetPassword(stack, token, strongPassword())).status).toBe(200);
      const changed = await nextMailTo(customer.email, since);
      expectWellFormed(changed, locale, false);
      expect(changed.subject).toMatch(locale === 'en' ? /password has been changed/ : /密码已更改/);
      expect(changed.text).toContain('GMT+8');
    });

    it('sends the "email changed" notice to the previous address when an admin changes the email, in that language, without a link', async () => {
      const previous = customer.email;
      const renamed = `renamed-${previous}`;
      const since = stack.sink.mark();
      const res = await api(`/api/v1/admin/customers/${customer.id}`, { method: 'PUT', bearer: adminJwt, json: { email: renamed } });
      expect(res.status).toBe(200);
      const notice = await nextMailTo(previous, since);
      expectWellFormed(notice, locale, false);
      expect(notice.envelopeTo).toEqual([previous]);
      expect(notice.subject).toMatch(locale === 'en' ? /email address .* has been changed/ : /电子邮件地址已更改/);
      expect(notice.text).toContain(locale === 'en' ? 'Hello Jane,' : '王小雨，您好：');
      expect(notice.text).toContain('GMT+8');
      expect(notice.text).not.toContain(renamed);
      expect(notice.raw).not.toMatch(/createPassword|token=/);
      await eventually(
        'the notice is logged',
        async () => (await timeline(customer.id)).some((e) => e.template === 'email-changed'),
        10_000,
        100,
      );
      expect(stack.sink.find(sentTo(renamed), since)).toEqual([]);
      customer.email = renamed;
    });
  });

  describe('storefront messages follow Accept-Language', () => {
    const zh = JSON.parse(readFileSync(join(REPO_ROOT, 'libs/i18n/locales/zh-CN.json'), 'utf8'));
    const ZH = { 'accept-language': 'zh-CN,zh;q=0.9,en;q=0.5' };
    let customer: RegisteredCustomer;

    beforeAll(async () => {
      customer = await registerCustomer(stack, { label: 'accept-language' });
    });

    /** The same request without and with Accept-Language: the same status and code, English then Chinese. */
    async function both(
      path: string,
      init: { json?: unknown; method?: string; bearer?: string },
      code: string,
      english: string,
      chinese: string,
    ) {
      const plain = await stack.api(path, init);
      const translated = await stack.api(path, { ...init, headers: ZH });
      expect({ status: translated.status, code: translated.body.code }).toEqual({ status: plain.status, code });
      expect(plain.body.message).toBe(english);
      expect(translated.body.message).toBe(chinese);
      expect(translated.body.message).toMatch(CHINESE);
    }

    it('VALIDATION, PASSWORD_POLICY, EMAIL_TAKEN', async () => {
      const bad = await stack.api('/api/v1/customers/password/forgot', { json: { email: 'not-an-email' } });
      await both(
        '/api/v1/customers/password/forgot',
        { json: { email: 'not-an-email' } },
        'VALIDATION',
        bad.body.message,
        `请求无效：${bad.body.message}`,
      );
      const register = (password: string, email = `al-${Date.now()}-${Math.random().toString(36).slice(2)}@example.com`) => ({
        json: { email, password, firstName: 'A', lastName: 'B' },
      });
      await both(
        '/api/v1/customers',
        register('short'),
        'PASSWORD_POLICY',
        'The password needs at least 6 characters. Create a new password and try again.',
        zh.policy.tooShort.replace('{{min}}', '6'),
      );
      await both(
        '/api/v1/customers',
        register(strongPassword(), customer.email),
        'EMAIL_TAKEN',
        'There is already an account with this email address.',
        zh.api.emailTaken,
      );
    });

    it('RESET_TOKEN_INVALID, RESET_TOKEN_EXPIRED, PASSWORD_MISMATCH, and the success messages', async () => {
      const reset = '/api/v1/customers/password/reset';
      const validate = '/api/v1/customers/password/reset/validate';
      await both(
        validate,
        { json: { token: 'x'.repeat(43) } },
        'RESET_TOKEN_INVALID',
        MESSAGES.resetTokenInvalid,
        zh.api.resetTokenInvalid,
      );

      const since = stack.sink.mark();
      const accepted = await stack.api('/api/v1/customers/password/forgot', { json: { email: customer.email }, headers: ZH });
      expect(accepted.status).toBe(202);
      expect(accepted.body.message).toBe(zh.api.forgotAccepted.replace('{{email}}', customer.email));
      expect((await forgot(stack, customer.email)).body.message).toBe(MESSAGES.forgotAccepted(customer.email));
      await eventually('both reset emails arrived', () => stack.sink.find(sentTo(customer.email), since).length === 2, 15_000, 100);
      const token = extractResetToken(stack.sink.find(sentTo(customer.email), since)[1]);
      secrets.push(token);

      const mismatched = { json: { token, password: 'N3w-Secret-1', passwordConfirmation: 'N3w-Secret-2' } };
      await both(reset, mismatched, 'PASSWORD_MISMATCH', MESSAGES.passwordMismatch, zh.api.passwordMismatch);

      const setExpiry = (interval: string) =>
        stack.db.query(`update password_reset_token set expires_at = now() + interval '${interval}' where token_hash = $1`, [
          sha256hex(token),
        ]);
      await setExpiry('-1 second');
      await both(validate, { json: { token } }, 'RESET_TOKEN_EXPIRED', MESSAGES.resetTokenExpired, zh.api.resetTokenExpired);
      await setExpiry('1 hour');

      const done = await stack.api(reset, { json: { token, password: 'N3w-Secret-1', passwordConfirmation: 'N3w-Secret-1' }, headers: ZH });
      expect({ status: done.status, message: done.body.message }).toEqual({ status: 200, message: zh.api.passwordUpdated });
    });

    it('UNAUTHORIZED and RESET_RATE_LIMITED', async () => {
      await both(
        '/api/v1/customers/me',
        { method: 'GET' },
        'UNAUTHORIZED',
        'A valid customer access token is required.',
        zh.api.unauthorized,
      );
      await stack.setSettings({ resetProtectionType: 'email', minSecondsBetweenResetRequests: 600 });
      try {
        const other = await registerCustomer(stack, { label: 'limited' });
        expect((await forgot(stack, other.email)).status).toBe(202);
        await both(
          '/api/v1/customers/password/forgot',
          { json: { email: other.email } },
          'RESET_RATE_LIMITED',
          MESSAGES.resetRateLimited(SUPPORT_EMAIL),
          zh.api.resetRateLimited.replace('{{supportEmail}}', SUPPORT_EMAIL),
        );
      } finally {
        await stack.setSettings(NO_RESET_THROTTLING);
      }
    });
  });

  describe('templates for admins', () => {
    const tokenRows = async (): Promise<number> =>
      Number((await stack.db.query('select count(*) as n from password_reset_token')).rows[0].n);

    it('lists every template with its languages', async () => {
      const res = await api('/api/v1/admin/email-templates', { bearer: adminJwt });
      expect(res.status).toBe(200);
      expect(res.body).toEqual({ items: TEMPLATES.map((name) => ({ name, locales: LOCALES })) });
    });

    it.each(TEMPLATES.flatMap((name) => LOCALES.map((locale) => [name, locale])))(
      'previews %s in %s with sample data and a sample link, creating no token',
      async (name, locale) => {
        const before = await tokenRows();
        const res = await api(`/api/v1/admin/email-templates/${name}/preview?locale=${locale}`, { bearer: adminJwt });
        expect(res.status).toBe(200);
        expect(res.body).toMatchObject({ name, locale });
        expect(res.body.subject).toContain(STORE_NAME);
        expect(res.body.html).toMatch(new RegExp(`<html[^>]* lang="${locale}"`));
        for (const part of [res.body.subject, res.body.html, res.body.text]) expect(part).not.toMatch(/\{\{|\}\}/);
        expect(res.body.text).toMatch(locale === 'zh-CN' ? /王小雨，您好：/ : /Hello Jane,/);
        expect(res.body.text).toContain('GMT+8');
        expect([res.body.html, res.body.text].flatMap(urlsIn).filter((url: string) => !url.startsWith(`${STOREFRONT_URL}/`))).toEqual([]);
        if (LINK_TEMPLATES.includes(name)) {
          const link = /https?:\/\/\S+createPassword\?token=(\S+)/.exec(res.body.text);
          expect(link).not.toBeNull();
          // The sample token is not even well-formed: it opens nothing.
          expect((await validateToken(stack, decodeURIComponent(link![1]))).body.code).toBe('RESET_TOKEN_INVALID');
        }
        expect(await tokenRows()).toBe(before);
      },
    );

    it('answers 404 for an unknown template and 400 for an unsupported locale; zh_CN is read as zh-CN', async () => {
      expect((await api('/api/v1/admin/email-templates/welcome/preview', { bearer: adminJwt })).status).toBe(404);
      const fr = await api('/api/v1/admin/email-templates/password-reset/preview?locale=fr', { bearer: adminJwt });
      expect({ status: fr.status, code: fr.body.code }).toEqual({ status: 400, code: 'VALIDATION' });
      const zh = await api('/api/v1/admin/email-templates/password-reset/preview?locale=zh_CN', { bearer: adminJwt });
      expect(zh.body.locale).toBe('zh-CN');
      expect((await api('/api/v1/admin/email-templates/password-reset/preview', { bearer: supportJwt })).status).toBe(403);
    });

    it.each(TEMPLATES.flatMap((name) => LOCALES.map((locale) => [name, locale])))(
      "test-sends %s in %s to the signed-in admin's own address, audited",
      async (name, locale) => {
        const before = await tokenRows();
        const since = stack.sink.mark();
        // A `to` in the body is not a field the route knows: the address always comes from the account.
        const res = await api(`/api/v1/admin/email-templates/${name}/test`, { bearer: adminJwt, json: { locale } });
        expect(res.status).toBe(202);
        const mail = await nextMailTo(administrator.email, since);
        expect(mail.envelopeTo).toEqual([administrator.email]);
        expect(mail.headers['content-language']).toBe(locale);
        expect(mail.raw).toMatch(/Content-Type: multipart\/alternative/i);
        expect(await tokenRows()).toBe(before);
        const audit = await api('/api/v1/admin/audit-events', { bearer: adminJwt });
        expect(audit.body.items[0]).toMatchObject({
          action: 'email.test_sent',
          adminId: administrator.id,
          details: { template: name, locale },
        });
      },
    );

    it('refuses a test send to another address, and caps test sends per admin', async () => {
      const other = await api('/api/v1/admin/email-templates/password-reset/test', {
        bearer: adminJwt,
        json: { locale: 'en', to: 'victim@example.com' },
      });
      expect({ status: other.status, code: other.body.code }).toEqual({ status: 400, code: 'VALIDATION' });
      // One send per template and language above, 10 allowed per hour.
      const left = 10 - TEMPLATES.length * LOCALES.length;
      const statuses: number[] = [];
      for (let i = 0; i < left + 1; i++) {
        statuses.push((await api('/api/v1/admin/email-templates/password-changed/test', { bearer: adminJwt, json: {} })).status);
      }
      expect(statuses).toEqual([...Array(left).fill(202), 429]);
    });
  });

  describe('delivery timeline', () => {
    it('follows an admin reset through an SMTP outage: queued → retrying → sent, keeping the last error', async () => {
      const customer = await registerCustomer(stack, { label: 'outage', locale: 'zh-CN' });
      smtp.hold(); // the worker connects and waits for a greeting that does not come
      const since = stack.sink.mark();
      expect((await api(`/api/v1/admin/customers/${customer.id}/password-reset`, { method: 'POST', bearer: adminJwt })).status).toBe(202);

      const seen: string[] = [];
      const observe = async (): Promise<any> => {
        const [entry] = await timeline(customer.id);
        if (entry && seen[seen.length - 1] !== entry.status) seen.push(entry.status);
        return entry;
      };
      const queued = await observe();
      expect(queued).toMatchObject({ template: 'admin-password-reset', origin: 'admin', locale: 'zh-CN', status: 'queued', attempts: 0 });
      expect(queued.link).toBeNull();

      await smtp.down(); // the held connection is reset, and new ones are refused
      await eventually('a failed attempt is logged', async () => (await observe())?.status === 'retrying', 15_000, 100);
      const retrying = (await timeline(customer.id))[0];
      expect(retrying.attempts).toBeGreaterThanOrEqual(1);
      expect(retrying.lastError).toBeTruthy();
      expect(retrying.sentAt).toBeNull();

      smtp.release();
      await smtp.up();
      const mail = await nextMailTo(customer.email, since, 30_000);
      secrets.push(extractResetLink(mail), extractResetToken(mail));
      await eventually('the delivery is logged', async () => (await observe())?.status === 'sent', 10_000, 100);
      expect(seen).toEqual(['queued', 'retrying', 'sent']);
      const [sent] = await timeline(customer.id);
      expect(sent).toMatchObject({ status: 'sent', link: 'unused', locale: 'zh-CN' });
      expect(sent.attempts).toBeGreaterThanOrEqual(retrying.attempts + 1);
      // The error of the outage stays on the row: it tells why the email took several attempts.
      expect(sent.lastError).toEqual(expect.any(String));
      expect(new Date(sent.sentAt).getTime()).toBeGreaterThanOrEqual(new Date(sent.requestedAt).getTime());
      expect(mail.headers['message-id']).toContain(sent.messageId.replace(/[<>]/g, ''));
    });

    it('marks a storefront reset that the server refuses with 550 as failed after one attempt', async () => {
      const customer = await registerCustomer(stack, { label: 'refused' });
      stack.sink.failWith({ stage: 'rcpt', code: 550 });
      expect((await forgot(stack, customer.email)).status).toBe(202);
      await eventually('the failure is logged', async () => (await timeline(customer.id))[0]?.status === 'failed', 15_000, 100);
      const [failed] = await timeline(customer.id);
      expect(failed).toMatchObject({
        template: 'password-reset',
        origin: 'storefront',
        locale: 'en',
        attempts: 1,
        sentAt: null,
        messageId: null,
      });
      expect(failed.lastError).toMatch(/550/);
    });

    it('shows what became of each link: superseded by a newer request, used, expired; never the link itself', async () => {
      const customer = await registerCustomer(stack, { label: 'link-fate' });
      const requestReset = async (): Promise<string> => {
        const since = stack.sink.mark();
        expect((await forgot(stack, customer.email)).status).toBe(202);
        const mail = await nextMailTo(customer.email, since);
        const token = extractResetToken(mail);
        secrets.push(token, extractResetLink(mail));
        return token;
      };
      await requestReset();
      const sentLogged = async (n: number) => (await timeline(customer.id)).filter((e) => e.status === 'sent').length === n;
      await eventually('the first email is logged', () => sentLogged(1), 10_000, 100);
      expect((await timeline(customer.id)).map((e) => e.link)).toEqual(['unused']);

      const second = await requestReset();
      await eventually('the second email is logged', () => sentLogged(2), 10_000, 100);
      expect((await timeline(customer.id)).map((e) => e.link)).toEqual(['unused', 'superseded']);

      const since = stack.sink.mark();
      expect((await resetPassword(stack, second, strongPassword())).status).toBe(200);
      await nextMailTo(customer.email, since);
      await eventually('the confirmation is logged', () => sentLogged(3), 10_000, 100);
      const afterUse = await timeline(customer.id);
      expect(afterUse.map((e) => [e.template, e.origin, e.link])).toEqual([
        ['password-changed', 'system', null],
        ['password-reset', 'storefront', 'used'],
        ['password-reset', 'storefront', 'superseded'],
      ]);

      await requestReset();
      await eventually('the third reset email is logged', () => sentLogged(4), 10_000, 100);
      const [latest] = await timeline(customer.id);
      await stack.db.query(
        `update password_reset_token set expires_at = now() - interval '1 second'
         where id = (select reset_token_id from email_log where id = $1)`,
        [latest.id],
      );
      expect((await timeline(customer.id))[0]).toMatchObject({ id: latest.id, link: 'expired' });
    });

    it('is for customers.view (support too); 404 for an unknown customer', async () => {
      const customer = await registerCustomer(stack, { label: 'support-view' });
      expect(await timeline(customer.id, supportJwt)).toEqual([]);
      const unknown = await api('/api/v1/admin/customers/00000000-0000-4000-8000-000000000000/emails', { bearer: adminJwt });
      expect(unknown.status).toBe(404);
    });
  });

  it('never returned a token, a link or another secret in any admin answer', () => {
    expect(secrets.length).toBeGreaterThan(6);
    const timelineAnswers = log.filter((e) => /\/emails$/.test(e.path));
    expect(timelineAnswers.length).toBeGreaterThan(5);
    expect(findSecrets(timelineAnswers, secrets)).toEqual([]);
    expect(timelineAnswers.filter((e) => /createPassword|token=/.test(JSON.stringify(e.body)))).toEqual([]);
    // Previews carry a sample link only: no live token anywhere in any admin answer.
    expect(findSecrets(log, secrets)).toEqual([]);
  });
});
