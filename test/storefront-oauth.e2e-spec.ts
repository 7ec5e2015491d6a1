import {
  accessTokenFor,
  NO_RESET_THROTTLING,
  passwordGrant,
  registerCustomer,
  requestResetToken,
  resetPassword,
  strongPassword,
  uniqueEmail,
} from './support/helpers';
import { Stack, startStack } from './support/stack';

/** POST /oauth/token (password grant), lockout, and how a reset unlocks an account. */
describe('customer OAuth tokens and lockout (e2e)', () => {
  const LOCKOUT_FAILURES = 3;
  let stack: Stack;

  beforeAll(async () => {
    stack = await startStack({ settings: { ...NO_RESET_THROTTLING, lockoutFailures: LOCKOUT_FAILURES } });
  });

  afterAll(async () => {
    await stack?.stop();
  });

  it.each(['json', 'form'] as const)('issues a working Bearer token for a %s-encoded password grant', async (as) => {
    const customer = await registerCustomer(stack, { label: `oauth-${as}` });
    const res = await passwordGrant(stack, customer.email, customer.password, as);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ access_token: expect.any(String), token_type: 'Bearer', expires_in: expect.any(Number) });
    expect(res.body.expires_in).toBeGreaterThan(0);
    expect(res.body.access_token.length).toBeGreaterThanOrEqual(32);

    const me = await stack.api('/api/v1/customers/me', { bearer: res.body.access_token });
    expect(me.status).toBe(200);
    expect(me.body).toMatchObject({ email: customer.email, firstName: customer.firstName, lastName: customer.lastName });
  });

  it('answers a wrong password and an unknown user with 400 invalid_grant alike', async () => {
    const customer = await registerCustomer(stack, { label: 'oauth-wrong' });
    const wrong = await passwordGrant(stack, customer.email, `${customer.password}-nope`);
    expect(wrong.status).toBe(400);
    expect(wrong.body).toMatchObject({ error: 'invalid_grant' });

    const unknown = await passwordGrant(stack, uniqueEmail('oauth-nobody'), customer.password);
    expect(unknown.status).toBe(400);
    expect(unknown.body).toMatchObject({ error: 'invalid_grant' });

    const wrongForm = await passwordGrant(stack, customer.email, 'Wrong-Password-1', 'form');
    expect(wrongForm.status).toBe(400);
    expect(wrongForm.body).toMatchObject({ error: 'invalid_grant' });
  });

  it('signs in with any letter case of the address (emails are normalized)', async () => {
    const customer = await registerCustomer(stack, { label: 'oauth-case' });
    expect((await passwordGrant(stack, customer.email.toUpperCase(), customer.password)).status).toBe(200);
  });

  it('refuses an unsupported grant type with a 4xx, not a 5xx', async () => {
    const customer = await registerCustomer(stack, { label: 'oauth-grant-type' });
    const res = await stack.api('/api/v1/oauth/token', {
      json: { grant_type: 'client_credentials', username: customer.email, password: customer.password },
    });
    expect(res.status).toBe(400);
    expect(typeof res.body?.error).toBe('string');
  });

  it('revokes a token through /oauth/revoke', async () => {
    const customer = await registerCustomer(stack, { label: 'oauth-revoke' });
    const token = await accessTokenFor(stack, customer.email, customer.password);
    expect((await stack.api('/api/v1/customers/me', { bearer: token })).status).toBe(200);

    const revoke = await stack.api('/api/v1/oauth/revoke', { json: { token } });
    expect(revoke.status).toBe(200);
    expect((await stack.api('/api/v1/customers/me', { bearer: token })).status).toBe(401);

    // RFC 7009: revoking an unknown or already revoked token still answers 200.
    expect((await stack.api('/api/v1/oauth/revoke', { json: { token } })).status).toBe(200);
    expect((await stack.api('/api/v1/oauth/revoke', { json: { token: 'not-a-token' } })).status).toBe(200);
  });

  it('rejects a made-up bearer token at /customers/me with 401', async () => {
    expect((await stack.api('/api/v1/customers/me', { bearer: 'x'.repeat(43) })).status).toBe(401);
    expect((await stack.api('/api/v1/customers/me', { headers: { authorization: 'Basic Zm9vOmJhcg==' } })).status).toBe(401);
  });

  it(`locks the account after ${LOCKOUT_FAILURES} failures (correct password refused), and a reset unlocks it`, async () => {
    const customer = await registerCustomer(stack, { label: 'lockout' });

    for (let i = 1; i <= LOCKOUT_FAILURES; i++) {
      const res = await passwordGrant(stack, customer.email, `Wrong-${i}-password`);
      expect({ attempt: i, status: res.status, error: res.body?.error }).toEqual({ attempt: i, status: 400, error: 'invalid_grant' });
    }

    const locked = await passwordGrant(stack, customer.email, customer.password);
    expect(locked.status).toBe(400);
    expect(locked.body).toMatchObject({ error: 'invalid_grant' });

    const state = await stack.db.query('SELECT locked_until > now() AS locked FROM customer WHERE email = $1', [customer.email]);
    expect(state.rows[0].locked).toBe(true);

    const { token } = await requestResetToken(stack, customer.email);
    const newPassword = strongPassword('Unlocked');
    const reset = await resetPassword(stack, token, newPassword);
    expect(reset.status).toBe(200);

    const after = await passwordGrant(stack, customer.email, newPassword);
    expect(after.status).toBe(200);
    expect(after.body).toMatchObject({ token_type: 'Bearer' });

    const cleared = await stack.db.query(
      'SELECT failed_login_count, (locked_until IS NULL OR locked_until <= now()) AS unlocked FROM customer WHERE email = $1',
      [customer.email],
    );
    expect(cleared.rows[0]).toEqual({ failed_login_count: 0, unlocked: true });
  });

  it('does not lock an account below the threshold, and a success resets the count', async () => {
    const customer = await registerCustomer(stack, { label: 'below-threshold' });
    for (let round = 0; round < 2; round++) {
      for (let i = 1; i < LOCKOUT_FAILURES; i++) {
        expect((await passwordGrant(stack, customer.email, `Wrong-${round}-${i}`)).status).toBe(400);
      }
      const ok = await passwordGrant(stack, customer.email, customer.password);
      expect({ round, status: ok.status }).toEqual({ round, status: 200 });
    }
  });
});
