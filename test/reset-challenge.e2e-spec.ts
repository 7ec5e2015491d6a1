// eslint-disable-next-line @typescript-eslint/triple-slash-reference -- altcha-lib's typings (see the file)
/// <reference path="../libs/password-reset/src/storefront/altcha-lib.d.ts" />
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Challenge, solveChallenge } from 'altcha-lib';
import { deriveKey } from 'altcha-lib/algorithms/sha';
import type { Page } from 'playwright-core';
import { challengeKeys, mintChallenge } from '../libs/password-reset/src/storefront/reset-challenge';
import { AxeSummary, axeCheck } from './support/axe';
import { LaunchedBrowser, launchBrowser, screenshotDir, VIEWPORTS } from './support/browser';
import { MESSAGES, NO_RESET_THROTTLING, uniqueEmail } from './support/helpers';
import { FORGOT_PAGE } from './support/hosted-pages';
import { ApiResponse } from './support/http-client';
import { Stack, startStack } from './support/stack';

/**
 * The proof of work on "Forgot Your Password?" (docs/api.md, Abuse protection), against the built
 * API: altcha-lib's own solver solves the challenges the service issues; a solution counts once;
 * tampered, expired and other-client solutions are refused; `adaptive` asks from the 4th request of
 * one IP in the hour; and the hosted forgot page's widget solves in Chromium under the pages' CSP.
 * The API trusts 127.0.0.1 as a proxy, so X-Forwarded-For gives each case its own client IP.
 */
describe('proof of work on forgot (e2e)', () => {
  const CHALLENGE_ROUTE = '/api/v1/customers/password/challenge';
  const FORGOT_ROUTE = '/api/v1/customers/password/forgot';
  const CHALLENGE_REQUIRED = 'Complete the verification that protects this form, then try again.';
  let stack: Stack;

  beforeAll(async () => {
    stack = await startStack({
      settings: { ...NO_RESET_THROTTLING, resetChallenge: 'always', resetChallengeMaxNumber: 5000 },
      env: { TRUSTED_PROXIES: '127.0.0.1' },
      worker: false,
    });
  });

  afterAll(async () => {
    await stack?.stop();
  });

  const from = (ip: string) => ({ 'x-forwarded-for': ip });
  const fetchChallenge = async (ip: string): Promise<Challenge> => {
    const res = await stack.api(CHALLENGE_ROUTE, { headers: from(ip) });
    expect(res.status).toBe(200);
    expect(res.headers['cache-control']).toBe('no-store');
    return res.body as Challenge;
  };
  /** The widget's payload: base64 of {challenge, solution}, solved by altcha-lib's own solver. */
  const solve = async (challenge: Challenge): Promise<string> => {
    const solution = await solveChallenge({ challenge, deriveKey, timeout: 30_000 });
    expect(solution).not.toBeNull();
    return Buffer.from(
      JSON.stringify({ challenge: { parameters: challenge.parameters, signature: challenge.signature }, solution }),
    ).toString('base64');
  };
  const forgotFrom = (ip: string, email: string, altcha?: string): Promise<ApiResponse> =>
    stack.api(FORGOT_ROUTE, { headers: from(ip), json: altcha === undefined ? { email } : { email, altcha } });
  const expectChallengeRequired = (res: ApiResponse, what: string): void => {
    expect({ what, status: res.status, code: res.body.code, message: res.body.message }).toEqual({
      what,
      status: 400,
      code: 'CHALLENGE_REQUIRED',
      message: CHALLENGE_REQUIRED,
    });
    // A fresh challenge to solve comes with every refusal.
    expect(res.body.challenge).toMatchObject({ parameters: { algorithm: 'SHA-256' }, signature: expect.stringMatching(/^[0-9a-f]{64}$/) });
  };

  it("always: altcha-lib's solver solves the service's challenges, forgot then succeeds, and a solution counts once", async () => {
    const ip = '203.0.113.10';
    const email = uniqueEmail('pow-always');
    const missing = await forgotFrom(ip, email);
    expectChallengeRequired(missing, 'no altcha');
    // The challenge that came with the refusal works as well as one fetched from the route.
    const fromRefusal = await solve(missing.body.challenge as Challenge);
    const accepted = await forgotFrom(ip, email, fromRefusal);
    expect({ status: accepted.status, body: accepted.body }).toEqual({ status: 202, body: { message: MESSAGES.forgotAccepted(email) } });

    const payload = await solve(await fetchChallenge(ip));
    expect((await forgotFrom(ip, uniqueEmail('pow-once'), payload)).status).toBe(202);
    expectChallengeRequired(await forgotFrom(ip, uniqueEmail('pow-replay'), payload), 'the same solution again');
    // In Chinese, with the same code.
    const zh = await stack.api(FORGOT_ROUTE, { headers: { ...from(ip), 'accept-language': 'zh-CN' }, json: { email } });
    expect({ code: zh.body.code, message: zh.body.message }).toEqual({
      code: 'CHALLENGE_REQUIRED',
      message: '请先完成保护此表单的人机验证，然后重试。',
    });
  });

  it('refuses a tampered, an expired and another IP’s solution; junk is a 400 too, never a 5xx', async () => {
    const ip = '203.0.113.11';
    const challenge = await fetchChallenge(ip);
    const payload = await solve(challenge);
    const decoded = JSON.parse(Buffer.from(payload, 'base64').toString('utf8'));
    const reencode = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64');

    const cheaper = reencode({
      ...decoded,
      challenge: { ...decoded.challenge, parameters: { ...decoded.challenge.parameters, keyPrefix: '00' } },
    });
    expectChallengeRequired(await forgotFrom(ip, uniqueEmail('pow-tampered'), cheaper), 'tampered parameters');
    const longer = reencode({
      ...decoded,
      challenge: {
        ...decoded.challenge,
        parameters: { ...decoded.challenge.parameters, expiresAt: decoded.challenge.parameters.expiresAt + 86_400 },
      },
    });
    expectChallengeRequired(await forgotFrom(ip, uniqueEmail('pow-extended'), longer), 'a later expiry written in');
    const wrongKey = reencode({ ...decoded, solution: { ...decoded.solution, derivedKey: 'ab'.repeat(32) } });
    expectChallengeRequired(await forgotFrom(ip, uniqueEmail('pow-wrong-key'), wrongKey), 'a wrong solution');

    // Issued to this IP, sent from another: refused, and not spent by the refusal.
    expectChallengeRequired(await forgotFrom('198.51.100.11', uniqueEmail('pow-other-ip'), payload), 'another IP');
    expect((await forgotFrom(ip, uniqueEmail('pow-own-ip'), payload)).status).toBe(202);

    // Expired: a challenge signed with the service's own keys (derived from its JWT_SECRET, as it
    // does), issued 6 minutes ago, so its 5 minutes are over; correctly solved all the same.
    const keys = challengeKeys(stack.env.JWT_SECRET);
    const old = await mintChallenge(keys, ip, 2000, { nowMs: Date.now() - 6 * 60_000 });
    expectChallengeRequired(await forgotFrom(ip, uniqueEmail('pow-expired'), await solve(old)), 'expired');
    // The same minting, current: accepted, so the refusal above was the expiry's.
    const current = await mintChallenge(keys, ip, 2000);
    expect((await forgotFrom(ip, uniqueEmail('pow-current'), await solve(current))).status).toBe(202);

    for (const junk of ['', 'not-base64!', 'x'.repeat(4096), Buffer.from('{"challenge":null}').toString('base64')]) {
      const res = await forgotFrom(ip, uniqueEmail('pow-junk'), junk);
      expect({ junk: junk.slice(0, 12), status: res.status, code: res.body.code }).toEqual({
        junk: junk.slice(0, 12),
        status: 400,
        code: 'CHALLENGE_REQUIRED',
      });
    }
    const tooLong = await forgotFrom(ip, uniqueEmail('pow-too-long'), 'x'.repeat(4097));
    expect({ status: tooLong.status, code: tooLong.body.code }).toEqual({ status: 400, code: 'VALIDATION' });
  });

  it('adaptive: the 4th request from one IP within the hour needs a challenge, another IP’s first does not', async () => {
    await stack.setSettings({ resetChallenge: 'adaptive', resetChallengeThreshold: 3 });
    const busy = '203.0.113.12';
    for (let i = 1; i <= 3; i++) {
      const res = await forgotFrom(busy, uniqueEmail(`pow-adaptive-${i}`));
      expect({ i, status: res.status }).toEqual({ i, status: 202 });
    }
    const fourth = await forgotFrom(busy, uniqueEmail('pow-adaptive-4'));
    expectChallengeRequired(fourth, 'the 4th request of one IP');
    expect((await forgotFrom('203.0.113.13', uniqueEmail('pow-adaptive-other'))).status).toBe(202);
    // The busy IP goes on with a solved challenge.
    expect((await forgotFrom(busy, uniqueEmail('pow-adaptive-5'), await solve(fourth.body.challenge as Challenge))).status).toBe(202);
    // The count is in Redis (shared by every API instance), per client network, for an hour.
    const ttl = await stack.redis.pttl('customer-access:reset-challenge:count:203.0.113.12');
    expect(ttl).toBeGreaterThan(3_500_000);
    expect(Number(await stack.redis.get('customer-access:reset-challenge:count:203.0.113.12'))).toBe(5);
  });

  describe('the hosted forgot page in Chromium', () => {
    let launched: LaunchedBrowser;
    const axeResults: AxeSummary[] = [];
    const solveTimes: Array<Record<string, unknown>> = [];

    beforeAll(async () => {
      await stack.setSettings({ resetChallenge: 'always', resetChallengeMaxNumber: 50_000 });
      launched = await launchBrowser();
    });

    afterAll(async () => {
      const dir = screenshotDir();
      if (axeResults.length) writeFileSync(join(dir, 'storefront-challenge-axe-results.json'), `${JSON.stringify(axeResults, null, 2)}\n`);
      if (solveTimes.length) writeFileSync(join(dir, 'storefront-challenge-solve-times.json'), `${JSON.stringify(solveTimes, null, 2)}\n`);
      await launched?.close();
    });

    async function expectAccessible(page: Page, label: string): Promise<void> {
      const { summary, blocking } = await axeCheck(page, label);
      axeResults.push(summary);
      expect({ label, blocking: blocking.map((v) => `${v.id}: ${v.help}`) }).toEqual({ label, blocking: [] });
    }

    it.each([
      ['en', 'en-US', 'Email Address', 'Reset My Password', "I'm not a robot"],
      ['zh-CN', 'zh-CN', '电子邮件地址', '重置我的密码', '我不是机器人'],
    ])(
      '%s: the widget solves under the strict CSP, the form is sent, axe finds nothing serious',
      async (lang, locale, emailLabel, submit, robot) => {
        const context = await launched.browser.newContext({ locale, viewport: VIEWPORTS.desktop });
        const page = await context.newPage();
        const problems: string[] = [];
        page.on('console', (message) => {
          if (message.type() === 'error' && !/status of 400/.test(message.text())) problems.push(message.text());
        });
        page.on('pageerror', (error) => problems.push(`pageerror: ${error.message}`));
        page.on('requestfailed', (request) => {
          // The widget starts several workers and terminates the rest once one has the solution: a
          // worker still loading its script then has that load aborted (CI saw it once). Not a fault.
          if (request.failure()?.errorText === 'net::ERR_ABORTED' && /\/altcha-sha-worker\.[^/]*\.js$/.test(request.url())) return;
          problems.push(`failed: ${request.url()} (${request.failure()?.errorText})`);
        });
        try {
          // Every CSP violation the page meets is reported to it, from the first byte on: none may happen.
          await context.addInitScript(`window.cspViolations = [];
          document.addEventListener('securitypolicyviolation', (e) => window.cspViolations.push(e.violatedDirective + ' ' + e.blockedURI))`);
          await page.goto(`${stack.baseUrl}${FORGOT_PAGE}?lang=${lang}`);
          const widget = page.locator('altcha-widget');
          await widget.waitFor();
          const checkbox = page.getByRole('checkbox', { name: robot });
          await checkbox.waitFor();
          await expectAccessible(page, `forgot with the challenge (${lang})`);

          // Focusing the form starts the work; the widget reports verified with its payload.
          const email = uniqueEmail(`pow-browser-${lang}`);
          const started = Date.now();
          await page.getByLabel(emailLabel).fill(email);
          // Polled with page.evaluate (CDP, outside the page's CSP): waitForFunction's string predicate would need eval.
          const deadline = Date.now() + 60_000;
          while ((await page.evaluate(`document.querySelector('altcha-widget').getState()`)) !== 'verified') {
            if (Date.now() > deadline) throw new Error('the widget did not verify within 60 s');
            await new Promise((r) => setTimeout(r, 25));
          }
          const wallMs = Date.now() - started;
          const payload = await page.locator('input[name="altcha"]').inputValue();
          const decoded = JSON.parse(Buffer.from(payload, 'base64').toString('utf8'));
          solveTimes.push({ lang, maxNumber: 50_000, counter: decoded.solution.counter, solveMs: decoded.solution.time, wallMs });
          await page.screenshot({ path: join(screenshotDir(), `storefront-forgot-challenge-${lang}-1280.png`), fullPage: true });
          await expectAccessible(page, `forgot, challenge solved (${lang})`);

          await page.getByRole('button', { name: submit }).click();
          await page.getByRole('status').waitFor();
          expect(await page.getByRole('status').textContent()).toContain(email);
          expect(await page.evaluate('window.cspViolations || []')).toEqual([]);
          expect(problems).toEqual([]);
        } finally {
          await context.close();
        }
      },
    );

    it('without JavaScript: the page says in plain words that the form needs it, and sending it does nothing', async () => {
      const context = await launched.browser.newContext({ locale: 'en-US', javaScriptEnabled: false, viewport: VIEWPORTS.phone });
      const page = await context.newPage();
      try {
        await page.goto(`${stack.baseUrl}${FORGOT_PAGE}?lang=en`);
        const notice = page.locator('#challenge-noscript');
        expect(await notice.textContent()).toContain('This form needs JavaScript right now');
        expect(await page.locator('altcha-widget').count()).toBe(0);
        const queued = await stack.redis.llen('{customer-access}:mail:wait');
        await page.getByLabel('Email Address').fill(uniqueEmail('pow-no-js'));
        await page.getByRole('button', { name: 'Reset My Password' }).click();
        await page.getByRole('alert').first().waitFor();
        expect(await page.getByRole('alert').first().textContent()).toContain(CHALLENGE_REQUIRED);
        expect(await page.getByRole('status').count()).toBe(0);
        expect(await stack.redis.llen('{customer-access}:mail:wait')).toBe(queued);
        await page.screenshot({ path: join(screenshotDir(), 'storefront-forgot-challenge-nojs-en-390.png'), fullPage: true });
      } finally {
        await context.close();
      }
    });
  });
});
