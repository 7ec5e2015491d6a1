import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fc from 'fast-check';
import { adminToken as adminJwtFor } from './support/admin';
import { NO_RESET_THROTTLING, registerCustomer, requestResetToken } from './support/helpers';
import { ApiRequest, ApiResponse } from './support/http-client';
import { entry, REPO_ROOT, Stack, startStack } from './support/stack';
import { BULLMQ_PREFIX } from '../libs/redis/src/key-layout';

/**
 * Bad input, generated (fast-check): random JSON, wrong types, huge and Unicode strings, nulls,
 * deep nesting and bad content types, at every route. The answer is never a 5xx and never a hang
 * (every request must be answered within REQUEST_TIMEOUT_MS), errors keep the documented JSON
 * shape, and no mail job is enqueued except for forgot requests that were accepted (202).
 *
 * Runs are seeded (FC_SEED to replay a failure; the seed is printed on failure by fast-check).
 */
describe('security: generated bad input at every route (e2e)', () => {
  const REQUEST_TIMEOUT_MS = 10_000;
  const RUNS = Number(process.env.FC_RUNS ?? 40);
  const SEED = process.env.FC_SEED ? Number(process.env.FC_SEED) : undefined;
  const BODY_LIMIT = 16 * 1024;
  const NO_SUCH_CUSTOMER = '00000000-0000-4000-8000-000000000000';

  let stack: Stack;
  let adminToken: string;
  let customerToken: string;
  let resetToken: string;
  /** forgot requests answered 202 (each one enqueues exactly one job). */
  let acceptedForgots = 0;
  let jobCounterBefore: number;
  let outboxBefore: number;

  const jobCounter = async () => Number((await stack.redis.get(`${BULLMQ_PREFIX}:mail:id`)) ?? 0);
  const outboxRows = async () => Number((await stack.db.query('SELECT count(*)::int AS n FROM outbox_message')).rows[0].n);

  beforeAll(async () => {
    stack = await startStack({
      settings: NO_RESET_THROTTLING,
      // Every generated token must reach the lookup, not stop at the guessing limiter.
      env: { RESET_TOKEN_FAILURES_PER_IP: '1000000' },
    });
    const adminEmail = `fuzz-admin-${randomBytes(3).toString('hex')}@example.com`;
    const adminPassword = `Adm1n-${randomBytes(9).toString('base64url')}`;
    const created = spawnSync(
      process.execPath,
      [entry('cli'), 'admin:create', '--email', adminEmail, '--password', adminPassword, '--role', 'administrator'],
      {
        cwd: REPO_ROOT,
        env: stack.env,
        encoding: 'utf8',
        timeout: 60_000,
      },
    );
    if (created.status !== 0) throw new Error(`admin:create failed: ${created.stdout}${created.stderr}`);
    // Password, then an authenticator enrolled through the API (the harness's oathtool codes).
    adminToken = await adminJwtFor(stack, { id: '', email: adminEmail, password: adminPassword, role: 'administrator' });

    const customer = await registerCustomer(stack, { label: 'fuzz-target' });
    ({ token: resetToken } = await requestResetToken(stack, customer.email));
    const grant = await stack.api('/api/v1/oauth/token', {
      json: { grant_type: 'password', username: customer.email, password: customer.password },
    });
    customerToken = grant.body.access_token;

    await new Promise((r) => setTimeout(r, 500));
    jobCounterBefore = await jobCounter();
    outboxBefore = await outboxRows();
  });

  afterAll(async () => {
    await stack?.stop();
  });

  // ---------------------------------------------------------------- arbitraries

  /** Any string: full Unicode (lone surrogates included), control characters, sometimes long. */
  const anyString = fc.oneof(
    { weight: 4, arbitrary: fc.string({ unit: 'binary', maxLength: 64 }) },
    { weight: 2, arbitrary: fc.string({ unit: 'grapheme', maxLength: 64 }) },
    { weight: 1, arbitrary: fc.string({ unit: 'binary', minLength: 1000, maxLength: 4000 }) },
    {
      weight: 1,
      arbitrary: fc.constantFrom(
        '',
        ' ',
        '\u0000',
        '\r\n',
        'null',
        'undefined',
        '__proto__',
        'constructor',
        '{"$ne":null}',
        '%00',
        '\uFEFF',
        '\uD800',
      ),
    },
  );
  const emailish = fc.oneof(
    fc.emailAddress(),
    fc.tuple(anyString, fc.constantFrom('@example.com', '@', '@@example.com', '@exa mple.com', '')).map(([a, b]) => a + b),
  );
  /** A value of any JSON type: what a field should never be trusted to be. */
  const anyValue: fc.Arbitrary<unknown> = fc.oneof(
    anyString,
    emailish,
    fc.integer(),
    fc.double(),
    fc.boolean(),
    fc.constant(null),
    fc.array(anyString, { maxLength: 4 }),
    fc.object({ maxDepth: 2, maxKeys: 4 }),
    fc.jsonValue({ maxDepth: 3 }),
  );
  /** A body with some of the route's real fields (wrong or odd values) and maybe extra ones. */
  const bodyFor = (fields: string[]) =>
    fc.oneof(
      { weight: 3, arbitrary: fc.record(Object.fromEntries(fields.map((f) => [f, anyValue])), { requiredKeys: [] }) },
      {
        weight: 1,
        arbitrary: fc
          .tuple(
            fc.record(Object.fromEntries(fields.map((f) => [f, anyValue])), { requiredKeys: [] }),
            fc.dictionary(anyString, anyValue, { maxKeys: 3 }),
          )
          .map(([a, b]) => ({ ...b, ...a })),
      },
      { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 4 }) },
      { weight: 1, arbitrary: fc.anything({ maxDepth: 3, withNullPrototype: true }) },
    );
  /** Deeply nested JSON text, within the body limit. */
  const deepJson = fc.tuple(fc.integer({ min: 50, max: 7000 }), fc.constantFrom('array', 'object', 'mixed')).map(([depth, kind]) => {
    if (kind === 'array') return '['.repeat(depth) + ']'.repeat(depth);
    const d = Math.min(depth, 2500);
    if (kind === 'object') return '{"email":'.repeat(1) + '{"a":'.repeat(d) + 'null' + '}'.repeat(d) + '}';
    return '{"token":' + '[{"x":'.repeat(Math.min(d, 1200)) + '1' + '}]'.repeat(Math.min(d, 1200)) + '}';
  });
  const contentType = fc.constantFrom(
    'application/json',
    'application/json; charset=utf-8',
    'application/json; charset=utf-16',
    'application/json; charset=latin1',
    'text/plain',
    'text/html',
    'application/x-www-form-urlencoded',
    'multipart/form-data; boundary=----x',
    'application/xml',
    'application/vnd.api+json',
    'application/octet-stream',
    '*/*',
    'application/json, text/plain',
    '',
  );
  /** A raw body that fast-check reports as a short preview, not as thousands of byte values. */
  interface Raw {
    bytes: Buffer;
  }
  const asRaw = (bytes: Buffer): Raw => ({ bytes, [fc.toStringMethod]: () => `Raw(${preview(bytes)})` }) as Raw;
  /** Raw bodies: valid JSON of any shape, broken JSON, random bytes, deep nesting. */
  const rawBodyBytes = fc.oneof(
    fc.jsonValue({ maxDepth: 4 }).map((v) => Buffer.from(JSON.stringify(v) ?? 'null')),
    fc.string({ unit: 'binary', maxLength: 300 }).map((s) => Buffer.from(s)),
    fc.uint8Array({ maxLength: 300 }).map((b) => Buffer.from(b)),
    deepJson.map((s) => Buffer.from(s)),
    fc
      .constantFrom(
        '{',
        '{"email":',
        '{"email":"a@b.co"',
        '[',
        '"',
        'nul',
        '{"__proto__":{"isAdmin":true}}',
        '{"constructor":{"prototype":{"x":1}}}',
        '\u0000',
      )
      .map((s) => Buffer.from(s)),
  );
  const rawBody = rawBodyBytes.map(asRaw);

  // ---------------------------------------------------------------- routes

  interface Route {
    method: 'GET' | 'POST' | 'PUT';
    path: () => string;
    fields: string[];
    /** Bearer token to send (so that guarded routes reach their validation). */
    auth?: () => string;
    oauth?: boolean;
  }

  const ROUTES: Record<string, Route> = {
    register: { method: 'POST', path: () => '/api/v1/customers', fields: ['email', 'password', 'firstName', 'lastName', 'locale'] },
    forgot: { method: 'POST', path: () => '/api/v1/customers/password/forgot', fields: ['email'] },
    validate: { method: 'POST', path: () => '/api/v1/customers/password/reset/validate', fields: ['token'] },
    reset: { method: 'POST', path: () => '/api/v1/customers/password/reset', fields: ['token', 'password', 'passwordConfirmation'] },
    oauthToken: {
      method: 'POST',
      path: () => '/api/v1/oauth/token',
      fields: ['grant_type', 'username', 'password', 'scope', 'client_id'],
      oauth: true,
    },
    oauthRevoke: { method: 'POST', path: () => '/api/v1/oauth/revoke', fields: ['token', 'token_type_hint'], oauth: true },
    adminSignIn: { method: 'POST', path: () => '/api/v1/admin/auth/token', fields: ['email', 'password'] },
    adminConfig: {
      method: 'PUT',
      path: () => '/api/v1/admin/config/customer-password',
      fields: [
        'resetLinkExpirationHours',
        'resetProtectionType',
        'maxResetRequestsPerHour',
        'minSecondsBetweenResetRequests',
        'minPasswordLength',
        'requiredCharacterClasses',
        'revokeTokensOnReset',
        'lockoutFailures',
        'lockoutMinutes',
        'supportEmail',
      ],
      auth: () => adminToken,
    },
    // A customer id that does not exist: a generated body must not make it enqueue anything either.
    adminReset: {
      method: 'POST',
      path: () => `/api/v1/admin/customers/${NO_SUCH_CUSTOMER}/password-reset`,
      fields: ['customerId', 'email'],
      auth: () => adminToken,
    },
  };

  /** Settings a generated admin update must not leave behind (they would change other checks). */
  async function restoreSettings(): Promise<void> {
    await stack.api('/api/v1/admin/config/customer-password', {
      method: 'PUT',
      bearer: adminToken,
      json: {
        ...NO_RESET_THROTTLING,
        minPasswordLength: 6,
        requiredCharacterClasses: 1,
        revokeTokensOnReset: true,
        lockoutFailures: 10,
        lockoutMinutes: 10,
        resetLinkExpirationHours: 24,
      },
    });
  }

  function expectWellFormed(label: string, route: Route, res: ApiResponse, sent: unknown): void {
    const where = { label, status: res.status, sent: preview(sent), answer: res.text.slice(0, 300) };
    if (res.status >= 500 || res.status < 200) throw new Error(`5xx/odd status: ${JSON.stringify(where)}`);
    if (res.status >= 400) {
      expect({ ...where, contentType: String(res.headers['content-type'] ?? '') }).toEqual({
        ...where,
        contentType: expect.stringMatching(/application\/json/),
      });
      if (route.oauth && typeof res.body?.error === 'string') {
        // RFC 6749 shape; unreadable bodies (malformed JSON, 413, 415) get the service's shape below.
        expect(typeof res.body.error_description === 'string' || res.body.error_description === undefined).toBe(true);
      } else {
        expect({ ...where, shape: [res.body?.statusCode, typeof res.body?.code, typeof res.body?.message] }).toEqual({
          ...where,
          shape: [res.status, 'string', 'string'],
        });
      }
    }
  }

  const preview = (v: unknown) => {
    const text = Buffer.isBuffer(v) ? v.toString('utf8') : (JSON.stringify(v) ?? String(v));
    return text.length > 200 ? `${text.slice(0, 200)}…(${text.length})` : text;
  };

  async function send(name: string, init: ApiRequest, overridePath?: string): Promise<ApiResponse> {
    const route = ROUTES[name];
    const res = await stack.api(overridePath ?? route.path(), {
      method: route.method,
      bearer: route.auth?.(),
      timeoutMs: REQUEST_TIMEOUT_MS,
      ...init,
    });
    if (name === 'forgot' && res.status === 202) acceptedForgots++;
    return res;
  }

  const params = (runs = RUNS) => ({ numRuns: runs, seed: SEED, endOnFailure: true });

  describe.each(Object.keys(ROUTES))('%s', (name) => {
    const route = () => ROUTES[name];

    afterAll(async () => {
      if (name === 'adminConfig') await restoreSettings();
    });

    it('answers generated JSON bodies with a 2xx/4xx and the documented error shape', async () => {
      await fc.assert(
        fc.asyncProperty(bodyFor(route().fields), async (body) => {
          const res = await send(name, { json: body ?? null });
          expectWellFormed(name, route(), res, body);
        }),
        // forgot always gets one valid body too, so the job count below can never be vacuously 0.
        { ...params(), examples: name === 'forgot' ? [[{ email: 'fuzz-example-valid@example.com' }]] : [] },
      );
    });

    it('answers generated raw bodies under any content type with a 2xx/4xx', async () => {
      await fc.assert(
        fc.asyncProperty(rawBody, contentType, async ({ bytes }, type) => {
          const headers: Record<string, string> = type ? { 'content-type': type } : {};
          const res = await send(name, { body: bytes, headers });
          expectWellFormed(`${name} (${type || 'no content type'})`, route(), res, bytes);
        }),
        params(Math.ceil(RUNS * 0.75)),
      );
    });

    it(`refuses a body over ${BODY_LIMIT} bytes with 413, and parses one just under it`, async () => {
      const field = route().fields[0];
      const over = Buffer.from(JSON.stringify({ [field]: 'x'.repeat(BODY_LIMIT) }));
      const res = await send(name, { body: over, headers: { 'content-type': 'application/json' } });
      expect({ status: res.status, code: res.body?.code ?? res.body?.error }).toEqual({ status: 413, code: 'PAYLOAD_TOO_LARGE' });
      const under = Buffer.from(JSON.stringify({ [field]: 'x'.repeat(BODY_LIMIT - 200) }));
      const ok = await send(name, { body: under, headers: { 'content-type': 'application/json' } });
      expect(ok.status).not.toBe(413);
      expectWellFormed(`${name} under the limit`, route(), ok, under);
    });
  });

  it('answers generated path parameters, query strings and Authorization headers on the GET routes with a 2xx/4xx', async () => {
    const wellFormed = (s: string) => !/\p{Cs}/u.test(s);
    const segment = fc.oneof(
      fc.uuid().map((u) => encodeURIComponent(u)),
      anyString.filter((s) => s.length > 0 && s.length < 300 && wellFormed(s)).map((s) => encodeURIComponent(s)),
      // Sent as is: traversal, NUL, malformed percent-encoding, an encoded lone surrogate.
      fc.constantFrom('..', '%2e%2e', '%00', 'null', '-1', '0', '1e308', '%', '%E0%A4%A', '%ED%A0%80', '%FF', '%2F..%2F'),
    );
    const query = fc.dictionary(fc.constantFrom('search', 'page', 'pageSize', 'customerId', 'page[]', '__proto__', 'x'), anyString, {
      maxKeys: 4,
    });
    const authorization = fc.oneof(
      fc.constant(undefined),
      fc.constant(`Bearer ${adminToken}`),
      fc.constant(`Bearer ${customerToken}`),
      anyString.map((s) => `Bearer ${s.replace(/[^\u0020-\u007e]/g, '')}`),
      fc.constantFrom('Bearer', 'Basic YTpi', 'bearer  x', `Bearer ${'a'.repeat(8000)}`),
    );
    const target = fc.constantFrom(
      (s: string) => `/api/v1/admin/customers/${s}`,
      (s: string) => `/api/v1/admin/customers/${s}/force-sign-in`,
      (s: string) => `/api/v1/admin/customers/${s}/password-reset`,
      () => '/api/v1/admin/customers',
      () => '/api/v1/admin/audit-events',
      () => '/api/v1/admin/config/customer-password',
      () => '/api/v1/customers/me',
    );
    await fc.assert(
      fc.asyncProperty(target, segment, query, authorization, async (build, seg, q, auth) => {
        const path = `${build(seg)}?${new URLSearchParams(Object.entries(q).filter(([k, v]) => wellFormed(k) && wellFormed(v))).toString()}`;
        const headers: Record<string, string> = auth ? { authorization: auth } : {};
        // Generated ids never name the real customer, so even the POST routes have nothing to do.
        const method = /force-sign-in|password-reset/.test(path) ? 'POST' : 'GET';
        const res = await stack.api(path, { method, headers, timeoutMs: REQUEST_TIMEOUT_MS });
        expectWellFormed(`${method} ${path.slice(0, 120)}`, { method, path: () => path, fields: [] }, res, q);
      }),
      params(RUNS * 2),
    );
  });

  it('enqueued no mail job for any of it: only accepted forgot requests reached the queue', async () => {
    const jobs = (await jobCounter()) - jobCounterBefore;
    expect({ jobs, outbox: (await outboxRows()) - outboxBefore }).toEqual({ jobs: acceptedForgots, outbox: 0 });
    // The prepared reset token was never consumed by any generated reset.
    expect((await stack.api('/api/v1/customers/password/reset/validate', { json: { token: resetToken } })).body).toEqual({ valid: true });
    // At least the valid example body was accepted (and enqueued), so the count above is not vacuous.
    expect(acceptedForgots).toBeGreaterThan(0);
    // A generated email never produced mail to an address no account has.
    const strangers = stack.sink
      .all()
      .flatMap((m) => m.envelopeTo)
      .filter((to) => !to.startsWith('fuzz-target-'));
    expect(strangers).toEqual([]);
  });
});
