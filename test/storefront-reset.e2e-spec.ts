import {
  accessTokenFor,
  allOf,
  extractResetLink,
  forgot,
  isPasswordChangedMail,
  isResetMail,
  MESSAGES,
  NO_RESET_THROTTLING,
  passwordGrant,
  registerCustomer,
  requestResetToken,
  RESET_LINK_PREFIX,
  resetPassword,
  sentTo,
  sha256hex,
  strongPassword,
  uniqueEmail,
  validateToken,
} from './support/helpers';
import { logsFlushed, MAIL_FROM_ADDRESS, Stack, startStack } from './support/stack';

/** Storefront "Forgot Your Password?" against the real API, worker, PostgreSQL, Redis and SMTP. */
describe('storefront password reset (e2e)', () => {
  const SUPPORT_EMAIL = 'help-desk@shop.e2e.test';
  let stack: Stack;

  beforeAll(async () => {
    stack = await startStack({ settings: { ...NO_RESET_THROTTLING, supportEmail: SUPPORT_EMAIL } });
  });

  afterAll(async () => {
    await stack?.stop();
  });

  it('runs the whole flow: forgot, real email, validate, reset, sign in, confirmation email', async () => {
    const customer = await registerCustomer(stack, { label: 'full-flow' });
    expect(customer.response.body).toMatchObject({ email: customer.email, firstName: 'Ada', lastName: 'Lovelace' });
    expect(customer.response.text).not.toContain(customer.password);
    expect(customer.response.text).not.toMatch(/password_?hash|passwordHash/i);

    const since = stack.sink.mark();
    const res = await forgot(stack, customer.email);
    expect(res.status).toBe(202);
    expect(res.body).toEqual({ message: MESSAGES.forgotAccepted(customer.email) });

    const mail = await stack.sink.waitFor(allOf(sentTo(customer.email), isResetMail), { since });
    expect(mail.subject).toMatch(/reset/i);
    expect(mail.envelopeTo).toEqual([customer.email]);
    expect(mail.fromAddress).toBe(MAIL_FROM_ADDRESS);
    const link = extractResetLink(mail);
    expect(link.startsWith(RESET_LINK_PREFIX)).toBe(true);
    const token = new URL(link).searchParams.get('token')!;
    expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);

    // Only the hash is stored, for this customer, from the storefront, expiring in 24 h (default).
    const rows = await stack.db.query(
      `SELECT t.origin, t.used_at, extract(epoch from (t.expires_at - now())) AS ttl
         FROM password_reset_token t JOIN customer c ON c.id = t.customer_id
        WHERE t.token_hash = $1 AND c.email = $2`,
      [sha256hex(token), customer.email],
    );
    expect(rows.rowCount).toBe(1);
    expect(rows.rows[0].origin).toBe('storefront');
    expect(rows.rows[0].used_at).toBeNull();
    expect(Number(rows.rows[0].ttl)).toBeGreaterThan(24 * 3600 - 120);
    expect(Number(rows.rows[0].ttl)).toBeLessThanOrEqual(24 * 3600 + 5);

    const validation = await validateToken(stack, token);
    expect(validation.status).toBe(200);
    expect(validation.body).toEqual({ valid: true });

    const newPassword = strongPassword('New');
    const sinceReset = stack.sink.mark();
    const reset = await resetPassword(stack, token, newPassword);
    expect(reset.status).toBe(200);
    expect(reset.body).toEqual({ message: MESSAGES.passwordUpdated });

    const withNew = await passwordGrant(stack, customer.email, newPassword);
    expect(withNew.status).toBe(200);
    expect(withNew.body).toMatchObject({ token_type: 'Bearer' });
    expect(typeof withNew.body.access_token).toBe('string');
    expect(withNew.body.expires_in).toBeGreaterThan(0);

    const withOld = await passwordGrant(stack, customer.email, customer.password);
    expect(withOld.status).toBe(400);
    expect(withOld.body).toMatchObject({ error: 'invalid_grant' });

    const confirmation = await stack.sink.waitFor(allOf(sentTo(customer.email), isPasswordChangedMail), { since: sinceReset });
    const content = `${confirmation.subject}\n${confirmation.html}\n${confirmation.text}\n${confirmation.raw}`;
    expect(content).toContain(SUPPORT_EMAIL);
    for (const secret of [newPassword, customer.password, token, sha256hex(token)]) {
      expect(content).not.toContain(secret);
    }

    // The token is spent (kept, marked used), and no usable token of the customer is left.
    const spent = await stack.db.query('SELECT used_at FROM password_reset_token WHERE token_hash = $1', [sha256hex(token)]);
    expect(spent.rows[0].used_at).toBeInstanceOf(Date);
    const left = await stack.db.query(
      `SELECT count(*)::int AS n FROM password_reset_token t JOIN customer c ON c.id = t.customer_id
        WHERE c.email = $1 AND t.used_at IS NULL AND t.superseded_at IS NULL`,
      [customer.email],
    );
    expect(left.rows[0].n).toBe(0);

    // Neither process ever logs the raw token or a password.
    await logsFlushed(stack);
    const logs = stack.allOutput();
    for (const secret of [newPassword, customer.password, token]) {
      expect(logs).not.toContain(secret);
    }
  });

  it('answers an unknown email exactly like a known one, and sends it nothing', async () => {
    const known = await registerCustomer(stack, { label: 'known' });
    const unknownEmail = uniqueEmail('nobody');
    const since = stack.sink.mark();

    const unknownRes = await forgot(stack, unknownEmail);
    const knownRes = await forgot(stack, known.email);

    expect(unknownRes.status).toBe(202);
    expect(knownRes.status).toBe(202);
    expect(unknownRes.body).toEqual({ message: MESSAGES.forgotAccepted(unknownEmail) });
    expect(knownRes.body).toEqual({ message: MESSAGES.forgotAccepted(known.email) });
    expect(unknownRes.headers['content-type']).toBe(knownRes.headers['content-type']);

    // The control mail proves the worker got this far; the unknown one must stay silent after it.
    await stack.sink.waitFor(allOf(sentTo(known.email), isResetMail), { since });
    await stack.sink.expectNone(sentTo(unknownEmail), 1500, since);
  });

  it('sends the reset email to the address stored on the account, not the typed spelling', async () => {
    const customer = await registerCustomer(stack, { label: 'stored-address' });
    const typed = customer.email.toUpperCase();
    const since = stack.sink.mark();
    const res = await forgot(stack, typed);
    expect(res.status).toBe(202);

    const mail = await stack.sink.waitFor(allOf(sentTo(customer.email), isResetMail), { since });
    expect(mail.envelopeTo).toEqual([customer.email]);
  });

  it('accepts a token once: a second reset with it is RESET_TOKEN_INVALID', async () => {
    const customer = await registerCustomer(stack, { label: 'single-use' });
    const { token } = await requestResetToken(stack, customer.email);

    const first = await resetPassword(stack, token, strongPassword('First'));
    expect(first.status).toBe(200);

    const second = await resetPassword(stack, token, strongPassword('Second'));
    expect(second.status).toBe(400);
    expect(second.body).toEqual({ statusCode: 400, code: 'RESET_TOKEN_INVALID', message: MESSAGES.resetTokenInvalid });

    const validation = await validateToken(stack, token);
    expect(validation.status).toBe(400);
    expect(validation.body).toEqual({ statusCode: 400, code: 'RESET_TOKEN_INVALID', message: MESSAGES.resetTokenInvalid });
  });

  it('lets exactly one of 10 concurrent resets with one token win, and its password is the one that works', async () => {
    const customer = await registerCustomer(stack, { label: 'concurrent' });
    const { token } = await requestResetToken(stack, customer.email);
    const sinceReset = stack.sink.mark();

    const passwords = Array.from({ length: 10 }, (_, i) => strongPassword(`Race${i}`));
    const answers = await Promise.all(passwords.map((p) => resetPassword(stack, token, p)));

    const statuses = answers.map((a) => a.status);
    const winners = answers.flatMap((a, i) => (a.status === 200 ? [i] : []));
    expect(statuses.filter((s) => s >= 500)).toEqual([]);
    expect(winners).toHaveLength(1);
    for (const [i, answer] of answers.entries()) {
      if (i === winners[0]) continue;
      expect({ i, status: answer.status, code: answer.body?.code }).toEqual({ i, status: 400, code: 'RESET_TOKEN_INVALID' });
    }

    const winner = passwords[winners[0]];
    expect((await passwordGrant(stack, customer.email, winner)).status).toBe(200);
    for (const loser of passwords.filter((_, i) => i !== winners[0]).slice(0, 3)) {
      const res = await passwordGrant(stack, customer.email, loser);
      expect(res.status).toBe(400);
      expect(res.body).toMatchObject({ error: 'invalid_grant' });
    }

    // One password change, one confirmation email.
    await stack.sink.waitFor(allOf(sentTo(customer.email), isPasswordChangedMail), { since: sinceReset });
    await new Promise((r) => setTimeout(r, 1000));
    expect(stack.sink.find(allOf(sentTo(customer.email), isPasswordChangedMail), sinceReset)).toHaveLength(1);
  });

  it('invalidates an earlier token when a newer one is issued', async () => {
    const customer = await registerCustomer(stack, { label: 'newer-wins' });
    const older = await requestResetToken(stack, customer.email);
    const newer = await requestResetToken(stack, customer.email);
    expect(newer.token).not.toBe(older.token);

    const olderValidation = await validateToken(stack, older.token);
    expect(olderValidation.status).toBe(400);
    expect(olderValidation.body).toEqual({ statusCode: 400, code: 'RESET_TOKEN_INVALID', message: MESSAGES.resetTokenInvalid });

    const olderReset = await resetPassword(stack, older.token, strongPassword('Old'));
    expect(olderReset.status).toBe(400);
    expect(olderReset.body).toMatchObject({ code: 'RESET_TOKEN_INVALID' });

    const newerValidation = await validateToken(stack, newer.token);
    expect(newerValidation.status).toBe(200);
    expect(newerValidation.body).toEqual({ valid: true });
  });

  it('rejects an expired token with RESET_TOKEN_EXPIRED and keeps the old password', async () => {
    const customer = await registerCustomer(stack, { label: 'expired' });
    const { token } = await requestResetToken(stack, customer.email);

    const moved = await stack.db.query(`UPDATE password_reset_token SET expires_at = now() - interval '1 minute' WHERE token_hash = $1`, [
      sha256hex(token),
    ]);
    expect(moved.rowCount).toBe(1);

    const expected = { statusCode: 400, code: 'RESET_TOKEN_EXPIRED', message: MESSAGES.resetTokenExpired };
    const validation = await validateToken(stack, token);
    expect(validation.status).toBe(400);
    expect(validation.body).toEqual(expected);

    const reset = await resetPassword(stack, token, strongPassword('TooLate'));
    expect(reset.status).toBe(400);
    expect(reset.body).toEqual(expected);

    expect((await passwordGrant(stack, customer.email, customer.password)).status).toBe(200);
  });

  it('rejects a made-up token as RESET_TOKEN_INVALID', async () => {
    const madeUp = Buffer.alloc(32, 7).toString('base64url');
    const validation = await validateToken(stack, madeUp);
    expect(validation.status).toBe(400);
    expect(validation.body).toEqual({ statusCode: 400, code: 'RESET_TOKEN_INVALID', message: MESSAGES.resetTokenInvalid });

    const reset = await resetPassword(stack, madeUp, strongPassword());
    expect(reset.status).toBe(400);
    expect(reset.body).toEqual({ statusCode: 400, code: 'RESET_TOKEN_INVALID', message: MESSAGES.resetTokenInvalid });
  });

  it('revokes the customer’s access tokens when the password is reset', async () => {
    const customer = await registerCustomer(stack, { label: 'revoke' });
    const before = await accessTokenFor(stack, customer.email, customer.password);

    const me = await stack.api('/api/v1/customers/me', { bearer: before });
    expect(me.status).toBe(200);
    expect(me.body).toMatchObject({ email: customer.email });
    expect(me.text).not.toMatch(/password_?hash|passwordHash/i);

    const { token } = await requestResetToken(stack, customer.email);
    const newPassword = strongPassword('AfterRevoke');
    expect((await resetPassword(stack, token, newPassword)).status).toBe(200);

    const revoked = await stack.api('/api/v1/customers/me', { bearer: before });
    expect(revoked.status).toBe(401);

    const fresh = await accessTokenFor(stack, customer.email, newPassword);
    expect((await stack.api('/api/v1/customers/me', { bearer: fresh })).status).toBe(200);

    expect((await stack.api('/api/v1/customers/me')).status).toBe(401);
  });

  it('keeps access tokens when revokeTokensOnReset is off, and still lifts a lockout and sends the confirmation', async () => {
    await stack.setSettings({ revokeTokensOnReset: false });
    try {
      const customer = await registerCustomer(stack, { label: 'keep-tokens' });
      const before = await accessTokenFor(stack, customer.email, customer.password);
      await stack.db.query(`update customer set failed_login_count = 3, locked_until = now() + interval '5 minutes' where email = $1`, [
        customer.email,
      ]);

      const { token } = await requestResetToken(stack, customer.email);
      const since = stack.sink.mark();
      const newPassword = strongPassword('KeepTokens');
      expect((await resetPassword(stack, token, newPassword)).status).toBe(200);

      expect((await stack.api('/api/v1/customers/me', { bearer: before })).status).toBe(200);
      const row = await stack.db.query(
        'select failed_login_count, locked_until, (select count(*) from password_reset_token t where t.customer_id = c.id and t.used_at is null and t.superseded_at is null) as tokens from customer c where email = $1',
        [customer.email],
      );
      expect(row.rows[0]).toEqual({ failed_login_count: 0, locked_until: null, tokens: '0' });
      await stack.sink.waitFor((m) => m.to.includes(customer.email) && /changed/i.test(m.subject), { since, timeoutMs: 15_000 });
    } finally {
      await stack.setSettings({ revokeTokensOnReset: true });
    }
  });
});
