import {
  allOf,
  forgot,
  isResetMail,
  NO_RESET_THROTTLING,
  registerCustomer,
  RegisteredCustomer,
  requestResetToken,
  sentTo,
  strongPassword,
} from './support/helpers';
import { ApiRequest, ApiResponse } from './support/http-client';
import { Stack, startStack } from './support/stack';

/**
 * Bad input to the public storefront routes: always a 4xx with a JSON `{statusCode, code, message}`,
 * never a 5xx, and never an email.
 */
describe('storefront routes reject bad input (e2e)', () => {
  const FORGOT = '/api/v1/customers/password/forgot';
  const RESET = '/api/v1/customers/password/reset';
  const VALIDATE = '/api/v1/customers/password/reset/validate';
  const REGISTER = '/api/v1/customers';

  let stack: Stack;
  let victim: RegisteredCustomer;
  let validToken: string;
  let since: number;

  beforeAll(async () => {
    stack = await startStack({ settings: NO_RESET_THROTTLING });
    victim = await registerCustomer(stack, { label: 'bad-input-victim' });
    // A real token, so that a reset refused for its shape is not refused for its token.
    ({ token: validToken } = await requestResetToken(stack, victim.email));
    since = stack.sink.mark();
  });

  afterAll(async () => {
    await stack?.stop();
  });

  function expectClientError(res: ApiResponse, allowed: number[]): void {
    const summary = { status: res.status, contentType: String(res.headers['content-type'] ?? '') };
    expect(allowed).toContain(summary.status);
    expect(summary.contentType).toMatch(/application\/json/);
    expect(res.body).toEqual(expect.objectContaining({ statusCode: res.status, code: expect.any(String), message: expect.any(String) }));
    expect(res.body.code.length).toBeGreaterThan(0);
  }

  const json = (body: unknown): ApiRequest => ({ json: body });
  const raw = (body: string | Buffer, contentType: string): ApiRequest => ({ body, headers: { 'content-type': contentType } });

  describe('validation errors: 400 VALIDATION', () => {
    const cases: Array<[string, string, () => ApiRequest]> = [
      ['forgot: email as an array', FORGOT, () => json({ email: [victim.email, 'attacker@example.com'] })],
      ['forgot: email as an object', FORGOT, () => json({ email: { $ne: '' } })],
      ['forgot: email as a number', FORGOT, () => json({ email: 42 })],
      ['forgot: not an email address', FORGOT, () => json({ email: 'not-an-email' })],
      ['forgot: missing email', FORGOT, () => json({})],
      ['forgot: extra field', FORGOT, () => json({ email: victim.email, redirectUrl: 'https://evil.example/' })],
      ['forgot: a JSON array body', FORGOT, () => json([{ email: victim.email }])],
      ['validate: token as an array', VALIDATE, () => json({ token: [validToken] })],
      ['validate: missing token', VALIDATE, () => json({})],
      ['validate: extra field', VALIDATE, () => json({ token: validToken, admin: true })],
      ['reset: token as an array', RESET, () => json({ token: [validToken], password: 'Xy9!abcd', passwordConfirmation: 'Xy9!abcd' })],
      ['reset: password as a number', RESET, () => json({ token: validToken, password: 12345678, passwordConfirmation: 12345678 })],
      ['reset: missing password', RESET, () => json({ token: validToken, passwordConfirmation: 'Xy9!abcd' })],
      ['reset: missing confirmation', RESET, () => json({ token: validToken, password: 'Xy9!abcd' })],
      ['reset: missing token', RESET, () => json({ password: 'Xy9!abcd', passwordConfirmation: 'Xy9!abcd' })],
      [
        'reset: extra field',
        RESET,
        () => json({ token: validToken, password: 'Xy9!abcd', passwordConfirmation: 'Xy9!abcd', email: victim.email }),
      ],
      [
        'register: email as an array',
        REGISTER,
        () => json({ email: ['a@example.com'], password: strongPassword(), firstName: 'A', lastName: 'B' }),
      ],
      [
        'register: missing firstName',
        REGISTER,
        () => json({ email: 'missing-first@example.com', password: strongPassword(), lastName: 'B' }),
      ],
      [
        'register: not an email address',
        REGISTER,
        () => json({ email: 'nope', password: strongPassword(), firstName: 'A', lastName: 'B' }),
      ],
      [
        'register: extra field',
        REGISTER,
        () => json({ email: 'extra@example.com', password: strongPassword(), firstName: 'A', lastName: 'B', failedLoginCount: 0 }),
      ],
    ];

    it.each(cases)('%s', async (_label, path, build) => {
      const res = await stack.api(path, build());
      expectClientError(res, [400]);
      expect(res.body.code).toBe('VALIDATION');
    });
  });

  describe('unreadable bodies: 4xx with a JSON code', () => {
    const paths = [FORGOT, VALIDATE, RESET, REGISTER];

    it.each(paths)('%s: malformed JSON → 400', async (path) => {
      const res = await stack.api(path, raw('{"email": "a@example.com",', 'application/json'));
      expectClientError(res, [400]);
    });

    it.each(paths)('%s: wrong content type (text/plain) → 400 or 415', async (path) => {
      const res = await stack.api(path, raw(`{"email":"${victim.email}"}`, 'text/plain'));
      expectClientError(res, [400, 415]);
    });

    it.each(paths)('%s: wrong content type (application/xml) → 400 or 415', async (path) => {
      const res = await stack.api(path, raw(`<email>${victim.email}</email>`, 'application/xml'));
      expectClientError(res, [400, 415]);
    });

    it.each(paths)('%s: a 1.5 MB body → 413 (or 400)', async (path) => {
      const big = JSON.stringify({ email: victim.email, padding: 'x'.repeat(1_500_000) });
      const res = await stack.api(path, raw(big, 'application/json'));
      expectClientError(res, [400, 413]);
    });

    it.each(paths)('%s: an empty body with a JSON content type → 400', async (path) => {
      const res = await stack.api(path, raw('', 'application/json'));
      expectClientError(res, [400]);
    });
  });

  it('sent no email for any of it, and the token survived every refused reset', async () => {
    // Control: a good request right now, whose mail proves the worker is draining its queue.
    const control = await registerCustomer(stack, { label: 'bad-input-control' });
    const controlSince = stack.sink.mark();
    expect((await forgot(stack, control.email)).status).toBe(202);
    await stack.sink.waitFor(allOf(sentTo(control.email), isResetMail), { since: controlSince });

    await stack.sink.expectNone(sentTo(victim.email), 1000, since);
    expect(stack.sink.find((m) => m.to.includes('attacker@example.com'))).toEqual([]);

    const check = await stack.api(VALIDATE, json({ token: validToken }));
    expect(check.status).toBe(200);
    expect(check.body).toEqual({ valid: true });

    // No account was created by any refused registration.
    const rows = await stack.db.query(
      `SELECT email FROM customer WHERE email IN ('missing-first@example.com', 'nope', 'extra@example.com', 'a@example.com')`,
    );
    expect(rows.rows).toEqual([]);
  });
});
