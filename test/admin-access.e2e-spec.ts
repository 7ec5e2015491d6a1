import { JwtService } from '@nestjs/jwt';
import { randomUUID } from 'node:crypto';
import {
  AdminAccount,
  adminPassword,
  adminSignIn,
  adminToken,
  createAdmin,
  DiscoveredRoute,
  discoverRoutes,
  findSecrets,
  nextTotpCode,
  RecordedResponse,
  recordingApi,
  runBuilt,
  runCli,
} from './support/admin';
import { accessTokenFor, RegisteredCustomer, registerCustomer } from './support/helpers';
import { Stack, startStack } from './support/stack';

/**
 * Who may use the admin routes: admin accounts (CLI), sign-in, the JWT guard's refusals, and a
 * guard matrix over every admin route Nest knows about, so that a route added later without its
 * guards or permission fails here.
 */
describe('admin access (e2e)', () => {
  const SUPPORT_PERMISSIONS = ['account.manage', 'customers.view', 'customers.reset_password'];
  const log: RecordedResponse[] = [];
  const secrets: string[] = [];
  let stack: Stack;
  let api: ReturnType<typeof recordingApi>;
  let administrator: AdminAccount;
  let support: AdminAccount;
  let adminJwt: string;
  let supportJwt: string;
  let customer: RegisteredCustomer;
  let customerToken: string;
  let routes: DiscoveredRoute[];

  beforeAll(async () => {
    [stack, routes] = await Promise.all([startStack({ worker: false }), discoverRoutes()]);
    api = recordingApi(stack.api, log);
    [administrator, support] = await Promise.all([createAdmin(stack, 'administrator'), createAdmin(stack, 'support')]);
    [adminJwt, supportJwt] = await Promise.all([adminToken(stack, administrator), adminToken(stack, support)]);
    customer = await registerCustomer(stack, { label: 'admin-access' });
    customerToken = await accessTokenFor(stack, customer.email, customer.password);
    secrets.push(administrator.password, support.password, customer.password, customerToken);
  });

  afterAll(async () => {
    await stack?.stop();
  });

  describe('admin:create', () => {
    it('creates an admin with an argon2id hash in its own table, never among customers', async () => {
      const rows = await stack.db.query('select email, role, password_hash from admin_user where id = $1', [administrator.id]);
      expect(rows.rows[0]).toMatchObject({ email: administrator.email, role: 'administrator' });
      expect(rows.rows[0].password_hash).toMatch(/^\$argon2id\$/);
      const asCustomer = await stack.db.query('select 1 from customer where email = $1', [administrator.email]);
      expect(asCustomer.rowCount).toBe(0);
    });

    it('takes the password from standard input, so it is in neither argv nor the shell history', async () => {
      const email = 'stdin@admins.example.com';
      const password = adminPassword();
      const res = await runCli(stack, ['admin:create', '--email', email, '--role', 'support'], {}, `${password}\n`);
      expect(res.code).toBe(0);
      expect(res.stdout + res.stderr).not.toContain(password);
      const signIn = await adminSignIn((path, init) => stack.api(path, init), email, password);
      expect(signIn.status).toBe(200);
      expect(signIn.body).toMatchObject({ mfa_required: true, enrolled: false, methods: ['totp', 'webauthn'] });
    });

    it('refuses an unknown role with a clear message and exit code 1', async () => {
      const res = await runCli(stack, [
        'admin:create',
        '--email',
        'role@admins.example.com',
        '--password',
        adminPassword(),
        '--role',
        'root',
      ]);
      expect(res.code).toBe(1);
      expect(res.stderr).toContain('Unknown role "root": use one of administrator, support.');
    });

    it('refuses a weak password with the reason and exit code 1, and does not echo it', async () => {
      const res = await runCli(stack, [
        'admin:create',
        '--email',
        'weak@admins.example.com',
        '--password',
        'Summer2024!',
        '--role',
        'support',
      ]);
      expect(res.code).toBe(1);
      expect(res.stderr).toMatch(/Weak password: .*at least 15 characters/);
      expect(res.stdout + res.stderr).not.toContain('Summer2024!');
      const common = await runCli(stack, [
        'admin:create',
        '--email',
        'weak@admins.example.com',
        '--password',
        '123456789987654321',
        '--role',
        'support',
      ]);
      expect(common.code).toBe(1);
      expect(common.stderr).toMatch(/Weak password: .*too common/);
      expect((await stack.db.query('select 1 from admin_user where email = $1', ['weak@admins.example.com'])).rowCount).toBe(0);
    });

    it('refuses a duplicate email (any letter case) and missing options', async () => {
      const dup = await runCli(stack, [
        'admin:create',
        '--email',
        administrator.email.toUpperCase(),
        '--password',
        adminPassword(),
        '--role',
        'support',
      ]);
      expect(dup.code).toBe(1);
      expect(dup.stderr).toContain('already exists');
      const missing = await runCli(stack, ['admin:create', '--email', 'x@admins.example.com']);
      expect(missing.code).toBe(1);
      expect(missing.stderr).toContain('--role is required');
      expect(missing.stderr).toContain('--password is required');
    });
  });

  describe('JWT_SECRET in production', () => {
    it.each([
      ['unset', '', /JWT_SECRET is required when NODE_ENV=production/],
      ['the development default', 'dev-only-insecure-jwt-secret-change-me', /JWT_SECRET is required when NODE_ENV=production/],
      ['shorter than 32 characters', 'short-secret', /JWT_SECRET must be at least 32 characters/],
    ])('refuses to start the API with a secret that is %s', async (_name, secret, message) => {
      const res = await runBuilt(stack, 'dist/apps/api/main.js', [], { NODE_ENV: 'production', JWT_SECRET: secret, PORT: '0' });
      expect(res.code).toBe(1);
      expect(res.stdout + res.stderr).toMatch(message);
    });
  });

  describe('POST /admin/auth/token', () => {
    it('answers a right password with an mfa_token only, then issues a short-lived JWT for the second factor, none cached', async () => {
      const res = await adminSignIn(api, administrator.email, administrator.password);
      expect(res.status).toBe(200);
      // ADMIN_MFA defaults to required: the password alone never yields an access token.
      expect(res.body).toEqual({ mfa_required: true, mfa_token: expect.any(String), enrolled: true, methods: ['totp'] });
      expect(res.headers['cache-control']).toContain('no-store');
      // The mfa_token is not an admin token.
      expect((await api('/api/v1/admin/customers', { bearer: res.body.mfa_token })).status).toBe(401);
      const done = await api('/api/v1/admin/auth/mfa/totp', {
        json: { mfa_token: res.body.mfa_token, code: await nextTotpCode(administrator) },
      });
      expect(done.status).toBe(200);
      expect(done.body).toEqual({
        access_token: expect.any(String),
        token_type: 'Bearer',
        expires_in: 900,
        // For the console to hide what the role may not do; the server still checks every request.
        role: 'administrator',
        permissions: [
          'account.manage',
          'api_keys.manage',
          'config.manage',
          'customers.delete',
          'customers.edit',
          'customers.invalidate_tokens',
          'customers.reset_password',
          'customers.view',
          'queues.view',
          'stores.manage',
          'webhooks.manage',
        ],
      });
      expect(done.headers['cache-control']).toContain('no-store');
      secrets.push(res.body.mfa_token, done.body.access_token);
      const payload = new JwtService({}).decode(done.body.access_token);
      expect(payload).toMatchObject({ sub: administrator.id, typ: 'admin', aud: 'customer-access:admin', amr: ['pwd', 'otp'] });
    });

    it('answers a wrong password and an unknown email with the same 401', async () => {
      const wrong = await adminSignIn(api, administrator.email, `${administrator.password}x`);
      const unknown = await adminSignIn(api, 'nobody@admins.example.com', administrator.password);
      expect(wrong.status).toBe(401);
      expect(wrong.body).toEqual({ statusCode: 401, code: 'UNAUTHORIZED', message: 'The email or password is incorrect.' });
      expect(unknown.status).toBe(401);
      expect(unknown.body).toEqual(wrong.body);
    });

    it('does not sign a customer in as an admin', async () => {
      const res = await adminSignIn(api, customer.email, customer.password);
      expect(res.status).toBe(401);
    });

    it('answers bad input with 400 VALIDATION', async () => {
      for (const body of [
        {},
        { email: 'a@b.example', password: '' },
        { email: ['x'], password: 'y' },
        { email: 'a@b.example', password: 'p', role: 'administrator' },
      ]) {
        const res = await api('/api/v1/admin/auth/token', { json: body });
        expect(res.status).toBe(400);
        expect(res.body.code).toBe('VALIDATION');
      }
    });

    it('stops guessing one admin password after 10 failures, and counts only failures', async () => {
      const target = await createAdmin(stack, 'support', 'guessed');
      for (let i = 0; i < 3; i++) expect((await adminSignIn(api, target.email, target.password)).status).toBe(200);
      for (let i = 0; i < 10; i++) expect((await adminSignIn(api, target.email, `wrong-${i}`)).status).toBe(401);
      const blocked = await adminSignIn(api, target.email, target.password);
      expect(blocked.status).toBe(429);
      expect(Number(blocked.headers['retry-after'])).toBeGreaterThan(0);
      // Another admin is not affected.
      expect((await adminSignIn(api, administrator.email, administrator.password)).status).toBe(200);
    });
  });

  describe('the admin JWT guard', () => {
    const secretOf = () => stack.env.JWT_SECRET;
    const sign = (claims: object, options: Record<string, unknown> = {}) => {
      const merged: Record<string, unknown> = {
        algorithm: 'HS256',
        issuer: 'customer-access',
        audience: 'customer-access:admin',
        expiresIn: 300,
        ...options,
      };
      // jsonwebtoken refuses an explicit undefined: drop it for tokens that carry their own exp.
      if (merged.expiresIn === undefined) delete merged.expiresIn;
      return new JwtService({}).sign(claims, { secret: secretOf(), ...merged });
    };
    const unsigned = (payload: object) =>
      `${Buffer.from(JSON.stringify({ alg: 'none', typ: 'JWT' })).toString('base64url')}.${Buffer.from(JSON.stringify(payload)).toString('base64url')}.`;

    const refused: Array<[string, () => Record<string, string> | string | undefined]> = [
      ['no Authorization header', () => undefined],
      ['an empty bearer', () => ({ authorization: 'Bearer ' })],
      [
        'a Basic header',
        () => ({ authorization: `Basic ${Buffer.from(`${administrator.email}:${administrator.password}`).toString('base64')}` }),
      ],
      ['a malformed token', () => 'not-a-jwt'],
      ['a truncated JWT', () => adminJwt.slice(0, -5)],
      ['a customer access token', () => customerToken],
      ['a JWT signed with another key', () => sign({ sub: administrator.id, typ: 'admin' }, { secret: `other-${secretOf()}` })],
      [
        'an expired JWT',
        () => sign({ sub: administrator.id, typ: 'admin', exp: Math.floor(Date.now() / 1000) - 5 }, { expiresIn: undefined }),
      ],
      ['a JWT without the admin typ claim', () => sign({ sub: administrator.id })],
      ['a JWT for another audience', () => sign({ sub: administrator.id, typ: 'admin' }, { audience: 'storefront' })],
      [
        'an unsigned (alg none) JWT',
        () =>
          unsigned({
            sub: administrator.id,
            typ: 'admin',
            iss: 'customer-access',
            aud: 'customer-access:admin',
            exp: Math.floor(Date.now() / 1000) + 300,
          }),
      ],
      ['a JWT for an admin that does not exist', () => sign({ sub: randomUUID(), typ: 'admin' })],
    ];

    it.each(refused)('answers 401 for %s', async (_name, make) => {
      const made = make();
      const init = typeof made === 'string' ? { bearer: made } : made ? { headers: made } : {};
      const res = await api('/api/v1/admin/customers', init);
      expect(res.status).toBe(401);
      expect(res.body).toMatchObject({ statusCode: 401, code: 'UNAUTHORIZED' });
    });

    it('stops accepting the token of a deleted admin at once', async () => {
      const leaving = await createAdmin(stack, 'administrator', 'leaving');
      const token = await adminToken(stack, leaving);
      expect((await api('/api/v1/admin/customers', { bearer: token })).status).toBe(200);
      await stack.db.query('delete from admin_user where id = $1', [leaving.id]);
      expect((await api('/api/v1/admin/customers', { bearer: token })).status).toBe(401);
    });

    it('applies a role change on the next request (the role is not trusted from the token)', async () => {
      const demoted = await createAdmin(stack, 'administrator', 'demoted');
      const token = await adminToken(stack, demoted);
      expect((await api('/api/v1/admin/config/customer-password', { bearer: token })).status).toBe(200);
      await stack.db.query(`update admin_user set role = 'support' where id = $1`, [demoted.id]);
      expect((await api('/api/v1/admin/config/customer-password', { bearer: token })).status).toBe(403);
    });

    it('is not accepted as a customer token either', async () => {
      expect((await stack.api('/api/v1/customers/me', { bearer: adminJwt })).status).toBe(401);
    });
  });

  describe('every admin route', () => {
    const adminRoutes = () => routes.filter((r) => r.path.startsWith('/api/v1/admin'));
    const guarded = () => adminRoutes().filter((r) => !r.public);
    /** A real value for each path parameter: a customer id, an email template's name, or a store view's code. */
    const concrete = (route: DiscoveredRoute, id = customer.id) =>
      route.path
        .replace(/:name\b/g, 'password-reset')
        .replace(/:code\b/g, 'default')
        .replace(/:[A-Za-z]+/g, id);
    const call = (route: DiscoveredRoute, init: { bearer?: string } = {}) =>
      api(concrete(route), {
        method: route.method,
        // A body the handler would reject: the guards must answer before validation does.
        ...(['POST', 'PUT', 'PATCH'].includes(route.method) ? { json: { unexpected: 'field' } } : {}),
        ...init,
      });

    it('finds the admin routes through Nest metadata, and only sign-in is public', () => {
      const listed = adminRoutes().map((r) => `${r.method} ${r.path}`);
      expect(listed).toEqual(
        expect.arrayContaining([
          'POST /api/v1/admin/auth/token',
          'POST /api/v1/admin/auth/mfa/totp',
          'GET /api/v1/admin/customers',
          'GET /api/v1/admin/customers/:id',
          'POST /api/v1/admin/customers/:id/password-reset',
          'POST /api/v1/admin/customers/:id/force-sign-in',
          'PUT /api/v1/admin/customers/:id',
          'POST /api/v1/admin/customers/:id/unlock',
          'GET /api/v1/admin/config/customer-password',
          'PUT /api/v1/admin/config/customer-password',
          'GET /api/v1/admin/audit-events',
          'GET /api/v1/admin/customers/:id/emails',
          'GET /api/v1/admin/email-templates',
          'GET /api/v1/admin/email-templates/:name/preview',
          'POST /api/v1/admin/email-templates/:name/test',
        ]),
      );
      expect(
        adminRoutes()
          .filter((r) => r.public)
          .map((r) => `${r.method} ${r.path}`)
          .sort(),
      ).toEqual([
        // The password step, and the second factor's steps, which take the mfa_token instead.
        'POST /api/v1/admin/auth/mfa/recovery',
        'POST /api/v1/admin/auth/mfa/totp',
        'POST /api/v1/admin/auth/mfa/totp/setup',
        'POST /api/v1/admin/auth/mfa/webauthn',
        'POST /api/v1/admin/auth/mfa/webauthn/options',
        'POST /api/v1/admin/auth/token',
      ]);
      for (const route of guarded())
        expect({ route: `${route.method} ${route.path}`, permission: route.permission }).toEqual({
          route: `${route.method} ${route.path}`,
          permission: expect.stringMatching(/^(customers|config|queues|api_keys|account|stores|webhooks)\./),
        });
    });

    it('answers 401 to anonymous callers on every guarded admin route', async () => {
      for (const route of guarded()) {
        const res = await call(route);
        expect({ route: `${route.method} ${route.path}`, status: res.status, code: res.body?.code }).toEqual({
          route: `${route.method} ${route.path}`,
          status: 401,
          code: 'UNAUTHORIZED',
        });
        // Fastify answers HEAD for every GET route through the same handler chain: guarded too.
        if (route.method === 'GET') {
          const head = await call({ ...route, method: 'HEAD' });
          expect({ route: `HEAD ${route.path}`, status: head.status }).toEqual({ route: `HEAD ${route.path}`, status: 401 });
        }
      }
    });

    it('answers 401 to customer access tokens on every guarded admin route', async () => {
      for (const route of guarded()) {
        const res = await call(route, { bearer: customerToken });
        expect({ route: `${route.method} ${route.path}`, status: res.status }).toEqual({
          route: `${route.method} ${route.path}`,
          status: 401,
        });
      }
      // The customer's token was not used up or revoked by any of this.
      expect((await stack.api('/api/v1/customers/me', { bearer: customerToken })).status).toBe(200);
    });

    it('answers 403 FORBIDDEN to support on routes outside its permissions, and lets it through elsewhere', async () => {
      const forbidden = guarded().filter((r) => !SUPPORT_PERMISSIONS.includes(r.permission!));
      expect(forbidden.map((r) => r.permission)).toEqual(expect.arrayContaining(['config.manage', 'customers.invalidate_tokens']));
      for (const route of guarded()) {
        const res = await call(route, { bearer: supportJwt });
        const label = `${route.method} ${route.path}`;
        if (forbidden.includes(route)) {
          expect({ label, status: res.status, code: res.body?.code }).toEqual({ label, status: 403, code: 'FORBIDDEN' });
        } else {
          expect({ label, refused: [401, 403].includes(res.status) }).toEqual({ label, refused: false });
        }
      }
    });

    it('lets an administrator through on every route, which shows the discovered routes are the served ones', async () => {
      // Another customer, so that force sign-in does not revoke the token the other tests use.
      const other = await registerCustomer(stack, { label: 'admin-access-other' });
      await accessTokenFor(stack, other.email, other.password);
      // An API key to stand for /api-keys/:id (revoked by the DELETE route).
      const key = await api('/api/v1/admin/api-keys', {
        bearer: adminJwt,
        json: { name: 'route walk', permissions: ['customers.view'], expiresInDays: 1 },
      });
      expect(key.status).toBe(201);
      // A second factor of the administrator's (a key row as a registration leaves it) for
      // /account/factors/:id: the only one could not be removed.
      const factor = await stack.db.query<{ id: string }>(
        `insert into admin_mfa_factor (id, admin_id, kind, name, credential_id, public_key, sign_count, confirmed_at)
         values (gen_random_uuid(), $1, 'webauthn', 'route walk', $2, 'pk', 0, now()) returning id`,
        [administrator.id, `route-walk-${Date.now()}`],
      );
      // A customer of its own for DELETE /customers/:id (erasure), so that the other routes still find theirs.
      const erased = await registerCustomer(stack, { label: 'admin-access-erased' });
      // Webhook endpoints (one for DELETE, one for the rest) and a failed delivery for /webhook-deliveries/:id/retry.
      const endpoint = async (name: string) => {
        const res = await api('/api/v1/admin/webhooks', {
          bearer: adminJwt,
          json: { url: `https://hooks.example.test/${name}`, events: ['customer.created'] },
        });
        expect(res.status).toBe(201);
        return res.body.id as string;
      };
      const [hook, doomedHook] = [await endpoint('route-walk'), await endpoint('route-walk-delete')];
      const delivery = await stack.db.query<{ id: string }>(
        `insert into webhook_delivery (id, event_id, endpoint_id, type, payload, status, attempts)
         values (gen_random_uuid(), gen_random_uuid(), $1, 'webhook.test', '{}'::jsonb, 'failed', 1) returning id`,
        [hook],
      );
      const idFor = (route: DiscoveredRoute) =>
        route.path.includes('/api-keys/')
          ? key.body.id
          : route.path.includes('/account/factors/')
            ? factor.rows[0].id
            : route.path.includes('/webhook-deliveries/')
              ? delivery.rows[0].id
              : route.path.includes('/webhooks/')
                ? route.method === 'DELETE'
                  ? doomedHook
                  : hook
                : route.method === 'DELETE' && route.path === '/api/v1/admin/customers/:id'
                  ? erased.id
                  : other.id;
      for (const route of guarded()) {
        const res = await api(concrete(route, idFor(route)), {
          method: route.method,
          bearer: adminJwt,
          ...(route.method === 'PUT' ? { json: {} } : {}),
        });
        expect({ route: `${route.method} ${route.path}`, ok: ![401, 403, 404, 405].includes(res.status) && res.status < 500 }).toEqual({
          route: `${route.method} ${route.path}`,
          ok: true,
        });
      }
    });

    it('records denied attempts in the audit log: who, what, whom, when, from which IP', async () => {
      const before = new Date(Date.now() - 1000);
      const res = await api(`/api/v1/admin/customers/${customer.id}/force-sign-in`, { method: 'POST', bearer: supportJwt });
      expect(res.status).toBe(403);
      const events = await api(`/api/v1/admin/audit-events?customerId=${customer.id}`, { bearer: adminJwt });
      expect(events.status).toBe(200);
      const denied = events.body.items.find(
        (e: any) => e.action === 'access.denied' && e.details.permission === 'customers.invalidate_tokens',
      );
      expect(denied).toMatchObject({
        adminId: support.id,
        adminEmail: support.email,
        customerId: customer.id,
        clientIp: '127.0.0.1',
        details: { method: 'POST', route: '/api/v1/admin/customers/:id/force-sign-in' },
      });
      expect(new Date(denied.createdAt).getTime()).toBeGreaterThanOrEqual(before.getTime());
      // The customer still has the token: the refused request did nothing.
      expect((await stack.api('/api/v1/customers/me', { bearer: customerToken })).status).toBe(200);
    });
  });

  it('never returned a password, hash or token in any admin answer', () => {
    expect(log.length).toBeGreaterThan(20);
    expect(findSecrets(log, secrets)).toEqual([]);
    // access_token is allowed on sign-in only, where it is the point: check no other route has it.
    expect(log.filter((e) => !e.path.startsWith('/api/v1/admin/auth/') && JSON.stringify(e.body).includes('access_token'))).toEqual([]);
  });
});
