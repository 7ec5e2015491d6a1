import { randomBytes } from 'node:crypto';
import { browserLike, CookieJar, CREATE_PASSWORD_PAGE, FORGOT_PAGE, setCookies, textOf } from './support/hosted-pages';
import {
  allOf,
  extractResetToken,
  forgot,
  isResetMail,
  MESSAGES,
  NO_RESET_THROTTLING,
  passwordGrant,
  registerCustomer,
  requestResetToken,
  sentTo,
  sha256hex,
  strongPassword,
  uniqueEmail,
  validateToken,
} from './support/helpers';
import { ApiResponse } from './support/http-client';
import { ProcessGroup } from './support/processes';
import { logsFlushed, Stack, startStack, STOREFRONT_URL } from './support/stack';

/**
 * The hosted storefront pages over plain HTTP: headers, CSRF, the token cookie, the shared limiters,
 * languages, HOSTED_PAGES=false. The customer's journey in a real browser is in
 * hosted-pages-browser.e2e-spec.ts.
 */
describe('hosted storefront pages (e2e, HTTP)', () => {
  const SUPPORT_EMAIL = 'pages-help@shop.e2e.test';
  const GUESS_LIMIT = 4;
  let stack: Stack;
  let group: ProcessGroup;

  beforeAll(async () => {
    stack = await startStack({
      settings: { ...NO_RESET_THROTTLING, supportEmail: SUPPORT_EMAIL },
      env: { RESET_TOKEN_FAILURES_PER_IP: String(GUESS_LIMIT), RESET_TOKEN_FAILURE_WINDOW_SECONDS: '600' },
    });
    group = new ProcessGroup(stack);
  });

  afterAll(async () => {
    await group?.stopAll();
    await stack?.stop();
  });

  async function clearLimiterKeys(): Promise<void> {
    for (const pattern of ['*customer-access:throttle*', '*customer-access:reset-token-guess*']) {
      const keys = await stack.redis.keys(pattern);
      if (keys.length) await stack.redis.del(...keys);
    }
  }
  afterEach(clearLimiterKeys);

  const browser = (headers: Record<string, string> = {}) => {
    const jar = new CookieJar();
    return { jar, ...browserLike(stack.api, jar, headers) };
  };

  /** The stylesheet's and (on the reset form) the script's addresses, as a page links them. */
  function pageAssetUrls(html: string): { stylesheet: string; script?: string } {
    const stylesheet = /<link rel="stylesheet" href="([^"]+)">/.exec(html)?.[1];
    if (!stylesheet) throw new Error(`No stylesheet in:\n${html.slice(0, 800)}`);
    return { stylesheet, script: /<script src="([^"]+)" defer><\/script>/.exec(html)?.[1] };
  }

  function expectPageSecurityHeaders(res: ApiResponse): void {
    expect(res.headers['content-type']).toBe('text/html; charset=utf-8');
    const csp = String(res.headers['content-security-policy']);
    expect(csp).toContain("default-src 'none'");
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("style-src 'self'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).toContain("form-action 'self'");
    expect(csp).not.toMatch(/unsafe-inline|unsafe-eval|\*/);
    expect(res.headers['referrer-policy']).toBe('no-referrer');
    expect(res.headers['cache-control']).toBe('no-store');
    expect(res.headers['x-frame-options']).toBe('DENY');
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    // No inline script or style that the CSP would have to allow.
    expect(res.text).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>|<style|\sstyle=|\son[a-z]+=/i);
  }

  it('serve every page with a strict CSP, no-referrer, no-store and no framing', async () => {
    const b = browser();
    const form = await b.get(FORGOT_PAGE);
    expect(form.status).toBe(200);
    expect(form.text).toContain('<h1>Forgot Your Password?</h1>');
    expectPageSecurityHeaders(form);
    expectPageSecurityHeaders(await b.post(FORGOT_PAGE, { email: uniqueEmail('headers') }, form));
    expectPageSecurityHeaders(await b.post(FORGOT_PAGE, { email: 'x' }));
    expectPageSecurityHeaders(await b.get(`${CREATE_PASSWORD_PAGE}?token=${randomBytes(32).toString('base64url')}`));
    expectPageSecurityHeaders(await b.get(CREATE_PASSWORD_PAGE));
    // http PUBLIC_URL: no HSTS (it would pin a local start to https).
    expect(form.headers['strict-transport-security']).toBeUndefined();
  });

  it('refuse a form post without the CSRF token of its own cookie, and enqueue nothing', async () => {
    const customer = await registerCustomer(stack, { label: 'pages-csrf' });
    const since = stack.sink.mark();

    // No cookie, no token: a cross-site form post.
    const forged = await browser().post(FORGOT_PAGE, { email: customer.email });
    expect(forged.status).toBe(403);
    expect(textOf(forged.text)).toContain('This form has expired. Please submit it again.');

    // A real token, but from another browser (its secret cookie is not this one's).
    const other = browser();
    const othersForm = await other.get(FORGOT_PAGE);
    const victim = browser();
    await victim.get(FORGOT_PAGE);
    expect((await victim.post(FORGOT_PAGE, { email: customer.email }, othersForm)).status).toBe(403);

    // The secret cookie is HttpOnly, SameSite=Strict, scoped to the pages.
    const csrfCookie = setCookies(othersForm).find((c) => c.name === '_csrf')!;
    expect(csrfCookie.attributes).toMatchObject({ path: '/customer/account', httponly: true, samesite: 'Strict' });
    await stack.sink.expectNone(sentTo(customer.email), 1500, since);

    // The same browser's own form goes through, and the email arrives.
    const ok = await other.post(FORGOT_PAGE, { email: customer.email }, othersForm);
    expect(ok.status).toBe(200);
    await stack.sink.waitFor(allOf(sentTo(customer.email), isResetMail), { since });
  });

  it('answer an unknown address exactly as a known one, and refuse a malformed one on its field', async () => {
    const customer = await registerCustomer(stack, { label: 'pages-same' });
    const unknown = uniqueEmail('pages-nobody');
    const answers: string[] = [];
    for (const email of [customer.email, unknown]) {
      const b = browser();
      const res = await b.post(FORGOT_PAGE, { email }, await b.get(FORGOT_PAGE));
      expect(res.status).toBe(200);
      expect(textOf(res.text)).toContain(MESSAGES.forgotAccepted(email));
      answers.push(res.text.replace(email, 'EMAIL'));
    }
    expect(answers[0]).toBe(answers[1]);

    const b = browser();
    const bad = await b.post(FORGOT_PAGE, { email: 'not-an-address' }, await b.get(FORGOT_PAGE));
    expect(bad.status).toBe(400);
    expect(bad.text).toMatch(/<input id="email"[^>]*aria-invalid="true"[^>]*aria-describedby="email-error"/);
    expect(bad.text).toContain(
      '<p class="field-error" id="email-error" role="alert">Please enter a valid email address (Ex: johndoe@domain.com).</p>',
    );
    expect(bad.text).toContain('value="not-an-address"');
  });

  it('move the token from the URL into an HttpOnly, SameSite=Strict cookie of the reset page, and never log it', async () => {
    const customer = await registerCustomer(stack, { label: 'pages-token' });
    const { token } = await requestResetToken(stack, customer.email);
    const b = browser();

    const hop = await b.get(`${CREATE_PASSWORD_PAGE}?token=${token}`);
    expect(hop.status).toBe(200);
    // Reloads the bare address at once (no token), with or without JavaScript.
    expect(hop.text).toContain(`<meta http-equiv="refresh" content="0; url=${CREATE_PASSWORD_PAGE}">`);
    expect(hop.text).not.toContain(token);
    const cookie = setCookies(hop).find((c) => c.name === 'reset_token')!;
    expect(cookie.value).toBe(token);
    expect(cookie.attributes).toMatchObject({ path: CREATE_PASSWORD_PAGE, httponly: true, samesite: 'Strict', 'max-age': '1800' });
    expect(cookie.attributes.secure).toBeUndefined(); // PUBLIC_URL is http here; see the https test

    const form = await b.get(CREATE_PASSWORD_PAGE);
    expect(form.status).toBe(200);
    expect(form.text).toContain('<h1>Set a New Password</h1>');
    expect(form.text).not.toContain(token);
    // A good link's holder gets the account's email in the hidden username field (for the password manager).
    expect(form.text).toContain(`name="username" autocomplete="username" value="${customer.email}"`);

    // A password breaking a rule: the rule's message, on the field.
    const weak = await b.post(CREATE_PASSWORD_PAGE, { username: customer.email, password: 'Ab1!x', password_confirmation: 'Ab1!x' }, form);
    expect(weak.status).toBe(400);
    // The hidden username field keeps what the form sent (for the password manager).
    expect(weak.text).toContain(`name="username" autocomplete="username" value="${customer.email}"`);
    expect(weak.text).toContain(
      '<p class="field-error" id="password-error" role="alert">The password needs at least 6 characters. Create a new password and try again.</p>',
    );
    expect(weak.text).toMatch(/<title>Error: Set a New Password/);
    const common = await b.post(CREATE_PASSWORD_PAGE, { password: 'password', password_confirmation: 'password' }, weak);
    expect(textOf(common.text)).toContain('This password is too common. Choose a password that is harder to guess.');
    const newPassword = strongPassword('Page');
    const mismatch = await b.post(CREATE_PASSWORD_PAGE, { password: newPassword, password_confirmation: `${newPassword}x` }, common);
    expect(mismatch.status).toBe(400);
    expect(mismatch.text).toContain(`id="confirmation-error" role="alert">${MESSAGES.passwordMismatch.replace("'", '&#x27;')}</p>`);

    const done = await b.post(CREATE_PASSWORD_PAGE, { password: newPassword, password_confirmation: newPassword }, mismatch);
    expect(done.status).toBe(200);
    expect(textOf(done.text)).toContain(MESSAGES.passwordUpdated);
    // The way on: the storefront's sign-in page (STOREFRONT_URL).
    expect(done.text).toContain(`<a class="button" href="${STOREFRONT_URL}/customer/account/login">Sign In</a>`);
    expect(b.jar.get('reset_token')).toBeUndefined(); // cleared
    expect((await passwordGrant(stack, customer.email, newPassword)).status).toBe(200);

    // Used: the link now says so, with the way back.
    const again = await b.get(`${CREATE_PASSWORD_PAGE}?token=${token}`).then(() => b.get(CREATE_PASSWORD_PAGE));
    expect(again.status).toBe(400);
    expect(textOf(again.text)).toContain('This link has already been used or replaced by a newer one.');
    expect(again.text).toContain(`<a href="${FORGOT_PAGE}">Forgot Your Password?</a>`);
    // A link that never was keeps the API's message.
    const unknown = await b
      .get(`${CREATE_PASSWORD_PAGE}?token=${randomBytes(32).toString('base64url')}`)
      .then(() => b.get(CREATE_PASSWORD_PAGE));
    expect(unknown.status).toBe(400);
    expect(textOf(unknown.text)).toContain(MESSAGES.resetTokenInvalid);

    // The access log has each request, with the token scrubbed from the query.
    await logsFlushed(stack);
    expect(stack.allOutput()).toContain(`"url":"${CREATE_PASSWORD_PAGE}?[Redacted]"`);
    expect(stack.allOutput()).not.toContain(token);
    expect(stack.allOutput()).not.toContain(newPassword);
  });

  it('show an expired link its message and the way back to "Forgot Your Password?"', async () => {
    const customer = await registerCustomer(stack, { label: 'pages-expired' });
    const { token } = await requestResetToken(stack, customer.email);
    await stack.db.query(`UPDATE password_reset_token SET expires_at = now() - interval '1 minute' WHERE token_hash = $1`, [
      sha256hex(token),
    ]);
    const b = browser();
    await b.get(`${CREATE_PASSWORD_PAGE}?token=${token}`);
    const page = await b.get(CREATE_PASSWORD_PAGE);
    expect(page.status).toBe(400);
    expect(textOf(page.text)).toContain(MESSAGES.resetTokenExpired);
    expect(page.text).toContain(`<a href="${FORGOT_PAGE}">Forgot Your Password?</a>`);
    expect(page.text).not.toContain('<form');
    expect(b.jar.get('reset_token')).toBeUndefined();
  });

  it('speak zh-CN from Accept-Language, and keep a ?lang= choice in a cookie over Accept-Language', async () => {
    const chinese = browser({ 'accept-language': 'zh-CN,zh;q=0.9,en;q=0.5' });
    const form = await chinese.get(FORGOT_PAGE);
    expect(form.headers['content-language']).toBe('zh-CN');
    expect(form.text).toContain('<html lang="zh-CN">');
    expect(form.text).toContain('<h1>忘记密码？</h1>');
    expect(form.text).toContain('电子邮件地址');
    expect(form.text).toContain('重置我的密码');
    const email = uniqueEmail('pages-zh');
    const sent = await chinese.post(FORGOT_PAGE, { email }, form);
    expect(textOf(sent.text)).toContain(`如果存在与 ${email} 关联的帐户，您将收到一封电子邮件，其中包含重置密码的链接。`);

    // The switch: ?lang=en wins over Accept-Language and is remembered.
    const english = await chinese.get(`${FORGOT_PAGE}?lang=en`);
    expect(english.text).toContain('<h1>Forgot Your Password?</h1>');
    expect(chinese.jar.get('lang')).toBe('en');
    expect((await chinese.get(FORGOT_PAGE)).text).toContain('<h1>Forgot Your Password?</h1>');
    // An unsupported ?lang= changes nothing.
    expect((await browser({ 'accept-language': 'zh-CN' }).get(`${FORGOT_PAGE}?lang=xx`)).text).toContain('<h1>忘记密码？</h1>');
  });

  it("open a good link in the account's language when the reader chose none, before the browser's", async () => {
    const customer = await registerCustomer(stack, { label: 'pages-zh-account', locale: 'zh-CN' });
    const since = stack.sink.mark();
    expect((await forgot(stack, customer.email)).status).toBe(202);
    const token = extractResetToken(await stack.sink.waitFor(sentTo(customer.email), { since }));
    const b = browser({ 'accept-language': 'en-US,en;q=0.9' });
    await b.get(`${CREATE_PASSWORD_PAGE}?token=${token}`);
    const form = await b.get(CREATE_PASSWORD_PAGE);
    expect(form.text).toContain('<h1>设置新密码</h1>');
    // Remembered, so the form's answer speaks it too; the switch still wins.
    const weak = await b.post(CREATE_PASSWORD_PAGE, { password: 'Ab1!x', password_confirmation: 'Ab1!x' }, form);
    expect(textOf(weak.text)).toContain('密码长度必须是6个或更多字符。');
    expect((await b.get(`${CREATE_PASSWORD_PAGE}?lang=en`)).text).toContain('<h1>Set a New Password</h1>');

    // A reader who chose English keeps it.
    const english = browser();
    await english.get(`${FORGOT_PAGE}?lang=en`);
    await english.get(`${CREATE_PASSWORD_PAGE}?token=${token}`);
    expect((await english.get(CREATE_PASSWORD_PAGE)).text).toContain('<h1>Set a New Password</h1>');
  });

  it('count page and REST requests against the same forgot counters', async () => {
    await stack.setSettings({ resetProtectionType: 'ip', maxResetRequestsPerHour: 2, minSecondsBetweenResetRequests: 0 });
    try {
      expect((await forgot(stack, uniqueEmail('shared-1'))).status).toBe(202);
      const b = browser();
      expect((await b.post(FORGOT_PAGE, { email: uniqueEmail('shared-2') }, await b.get(FORGOT_PAGE))).status).toBe(200);
      expect((await forgot(stack, uniqueEmail('shared-3'))).status).toBe(429);
      const limited = await b.post(FORGOT_PAGE, { email: uniqueEmail('shared-4') }, await b.get(FORGOT_PAGE));
      expect(limited.status).toBe(429);
      expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
      expect(textOf(limited.text)).toContain(MESSAGES.resetRateLimited(SUPPORT_EMAIL));
      expect(limited.text).toContain('role="alert"');
    } finally {
      await stack.setSettings(NO_RESET_THROTTLING);
    }
  });

  it('count only a well-formed forgot form: an empty or mistyped address is refused on its field and uses up nothing', async () => {
    await stack.setSettings({ resetProtectionType: 'ip_and_email', maxResetRequestsPerHour: 1, minSecondsBetweenResetRequests: 60 });
    try {
      const email = uniqueEmail('pages-corrected');
      const b = browser();
      for (const typed of ['', email.replace('@', ''), `${email}@`, ' ']) {
        const res = await b.post(FORGOT_PAGE, { email: typed }, await b.get(FORGOT_PAGE));
        expect({ typed, status: res.status }).toEqual({ typed, status: 400 });
        expect(res.text).toContain('id="email-error"');
      }
      // The corrected try goes through: none of the refused ones was counted (cap 1, and a 60 s gap).
      const corrected = await b.post(FORGOT_PAGE, { email }, await b.get(FORGOT_PAGE));
      expect(corrected.status).toBe(200);
      expect(textOf(corrected.text)).toContain(MESSAGES.forgotAccepted(email));
      // The limit is live: the next well-formed request from this IP is over it.
      expect((await b.post(FORGOT_PAGE, { email: uniqueEmail('pages-corrected-2') }, await b.get(FORGOT_PAGE))).status).toBe(429);
    } finally {
      await stack.setSettings(NO_RESET_THROTTLING);
    }
  });

  it('count wrong tokens on the page and on the REST route against one budget per IP', async () => {
    const b = browser();
    const madeUp = () => randomBytes(32).toString('base64url');
    for (let i = 0; i < GUESS_LIMIT / 2; i++) expect((await validateToken(stack, madeUp())).status).toBe(400);
    for (let i = 0; i < GUESS_LIMIT / 2; i++) {
      await b.get(`${CREATE_PASSWORD_PAGE}?token=${madeUp()}`);
      expect((await b.get(CREATE_PASSWORD_PAGE)).status).toBe(400);
    }
    expect((await validateToken(stack, madeUp())).status).toBe(429);
    await b.get(`${CREATE_PASSWORD_PAGE}?token=${madeUp()}`);
    const limited = await b.get(CREATE_PASSWORD_PAGE);
    expect(limited.status).toBe(429);
    expect(textOf(limited.text)).toContain(MESSAGES.resetRateLimited(SUPPORT_EMAIL));
  });

  it('with HOSTED_PAGES=false answer 404 like any unknown route, while the REST routes work', async () => {
    const apiOnly = await group.api('api-without-pages', { HOSTED_PAGES: 'false' });
    const unknown = await apiOnly.api('/customer/account/nothing-here');
    const { stylesheet } = pageAssetUrls((await stack.api(FORGOT_PAGE, { headers: { accept: 'text/html' } })).text);
    for (const path of [FORGOT_PAGE, `${CREATE_PASSWORD_PAGE}?token=abc`, stylesheet, '/favicon.ico', '/robots.txt']) {
      const res = await apiOnly.api(path, { headers: { accept: 'text/html' } });
      expect({ path, status: res.status, code: res.body?.code }).toEqual({ path, status: 404, code: unknown.body.code });
    }
    expect((await apiOnly.api(FORGOT_PAGE, { method: 'POST', form: { email: 'a@b.example' } })).status).toBe(404);
    expect((await apiOnly.api('/api/v1/customers/password/forgot', { json: { email: uniqueEmail('api-only') } })).status).toBe(202);
  });

  it('mark the cookies Secure and send HSTS when PUBLIC_URL is https', async () => {
    const https = await group.api('api-https', { PUBLIC_URL: 'https://account.shop.e2e.test' });
    const jar = new CookieJar();
    const hop = await browserLike(https.api, jar).get(`${CREATE_PASSWORD_PAGE}?token=${randomBytes(32).toString('base64url')}`);
    expect(setCookies(hop).find((c) => c.name === 'reset_token')!.attributes.secure).toBe(true);
    expect(setCookies(await browserLike(https.api, jar).get(FORGOT_PAGE)).find((c) => c.name === '_csrf')!.attributes.secure).toBe(true);
    expect(hop.headers['strict-transport-security']).toMatch(/max-age=\d+/);
    expect(hop.headers['content-security-policy']).toContain('upgrade-insecure-requests');
  });

  it('send HSTS on the console and on every JSON answer when PUBLIC_URL is https, and none over http', async () => {
    const https = await group.api('api-https-hsts', { PUBLIC_URL: 'https://account.shop.e2e.test' });
    const pageHsts = (await https.api(FORGOT_PAGE, { headers: { accept: 'text/html' } })).headers['strict-transport-security'];
    expect(pageHsts).toMatch(/^max-age=31536000/);
    const answers = async (api: typeof https.api) => ({
      console: await api('/admin/', { headers: { accept: 'text/html' } }),
      consoleScreen: await api('/admin/customers', { headers: { accept: 'text/html' } }),
      accepted: await api('/api/v1/customers/password/forgot', { json: { email: uniqueEmail('hsts') } }),
      refused: await api('/api/v1/customers/password/forgot', { json: { email: 'not an email' } }),
      unauthorized: await api('/api/v1/admin/customers'),
      unknownRoute: await api('/api/v1/nothing-here'),
      health: await api('/health/live'),
    });
    const overHttps = await answers(https.api);
    expect(overHttps.console.status).toBe(200);
    expect(overHttps.accepted.status).toBe(202);
    expect(overHttps.refused.status).toBe(400);
    expect(overHttps.unauthorized.status).toBe(401);
    expect(overHttps.unknownRoute.status).toBe(404);
    for (const [name, res] of Object.entries(overHttps)) {
      // The same value as the storefront pages send.
      expect({ name, hsts: res.headers['strict-transport-security'] }).toEqual({ name, hsts: pageHsts });
    }
    for (const [name, res] of Object.entries(await answers(stack.api))) {
      expect({ name, hsts: res.headers['strict-transport-security'] }).toEqual({ name, hsts: undefined });
    }
  });

  it('serve the stylesheet and script at fingerprinted addresses, cached for a year, and nothing at the old ones', async () => {
    const page = await stack.api(FORGOT_PAGE, { headers: { accept: 'text/html' } });
    const { stylesheet } = pageAssetUrls(page.text);
    // The reset form of a good link loads the script.
    const { token } = await requestResetToken(stack, (await registerCustomer(stack, { label: 'pages-assets' })).email);
    const b = browser();
    await b.get(`${CREATE_PASSWORD_PAGE}?token=${token}`);
    const form = await b.get(CREATE_PASSWORD_PAGE);
    const { script } = pageAssetUrls(form.text);
    expect(stylesheet).toMatch(/^\/static\/pages\/pages\.[\w-]{12}\.css$/);
    expect(script).toMatch(/^\/static\/pages\/password-fields\.[\w-]{12}\.js$/);
    for (const [url, type] of [
      [stylesheet, 'text/css; charset=utf-8'],
      [script!, 'text/javascript; charset=utf-8'],
    ] as const) {
      const res = await stack.api(url, { headers: { accept: '*/*' } });
      expect({ url, status: res.status, type: res.headers['content-type'], cache: res.headers['cache-control'] }).toEqual({
        url,
        status: 200,
        type,
        cache: 'public, max-age=31536000, immutable',
      });
      expect(res.headers['x-content-type-options']).toBe('nosniff');
      // The address names the content: another hash is another (unknown) file.
      expect((await stack.api(url.replace(/\.[\w-]{12}\./, '.AAAAAAAAAAAA.'), { headers: { accept: '*/*' } })).status).toBe(404);
    }
    for (const old of ['/static/pages/pages.css', '/static/pages/password-rules.js', '/static/pages/password-fields.js']) {
      expect({ old, status: (await stack.api(old, { headers: { accept: '*/*' } })).status }).toEqual({ old, status: 404 });
    }
  });

  it('serve /favicon.ico and a robots.txt that keeps crawlers out of /admin, and mark every page noindex', async () => {
    const icon = await stack.api('/favicon.ico', { headers: { accept: 'image/*' } });
    expect(icon.status).toBe(200);
    expect(icon.headers['content-type']).toBe('image/x-icon');
    expect(Number(icon.headers['content-length'])).toBeGreaterThan(22);
    expect([...Buffer.from(icon.text, 'latin1').subarray(0, 4)]).toEqual([0, 0, 1, 0]);
    expect(icon.headers['cache-control']).toMatch(/^public, max-age=\d+$/);

    const robots = await stack.api('/robots.txt', { headers: { accept: 'text/plain' } });
    expect(robots.status).toBe(200);
    expect(robots.headers['content-type']).toBe('text/plain; charset=utf-8');
    expect(robots.text.split('\n')).toEqual(expect.arrayContaining(['User-agent: *', 'Disallow: /admin']));
    // The storefront pages stay crawlable, so that their noindex is read.
    expect(robots.text).not.toMatch(/Disallow: \/(customer|\s*$)/m);

    const b = browser();
    const pages = [
      await b.get(FORGOT_PAGE),
      await b.post(FORGOT_PAGE, { email: 'x' }),
      await b.get(`${CREATE_PASSWORD_PAGE}?token=${randomBytes(32).toString('base64url')}`),
      await b.get(CREATE_PASSWORD_PAGE),
    ];
    for (const page of pages) expect(page.text).toContain('<meta name="robots" content="noindex">');
  });

  it('list where things are at GET / in development, and serve nothing there in production', async () => {
    expect((await stack.api('/')).status).toBe(404);
    const dev = await group.api('api-development', { NODE_ENV: 'development', SMTP_URL: '' });
    const index = await dev.api('/', { headers: { accept: 'text/html' } });
    expect(index.status).toBe(200);
    for (const link of [`href="${FORGOT_PAGE}"`, 'href="/admin"', 'href="/docs"']) expect(index.text).toContain(link);
    expect(index.text).toMatch(/var\/mail<\/code>/);
  });
});
