import {
  MESSAGES,
  NO_RESET_THROTTLING,
  passwordGrant,
  registerCustomer,
  requestResetToken,
  resetPassword,
  strongPassword,
  uniqueEmail,
  validateToken,
} from './support/helpers';
import { Stack, startStack } from './support/stack';

/** The password rule (docs/api.md, Settings: minPasswordLength), at reset and at registration alike. */
describe('password policy (e2e)', () => {
  let stack: Stack;

  beforeAll(async () => {
    stack = await startStack({ settings: NO_RESET_THROTTLING });
  });

  afterAll(async () => {
    await stack?.stop();
  });

  const violations: Array<[string, string]> = [
    ['shorter than 6 characters', 'Ab1!x'],
    ['containing a space', 'Correct horse-42!'],
    ['longer than 256 characters', `Ab1!${'x'.repeat(253)}`],
    ['a common password: "password"', 'password'],
    ['a common password: "123456"', '123456'],
  ];

  describe('at reset', () => {
    it.each(violations)('rejects a password %s with PASSWORD_POLICY', async (_label, badPassword) => {
      const customer = await registerCustomer(stack, { label: 'policy-reset' });
      const { token } = await requestResetToken(stack, customer.email);

      const res = await resetPassword(stack, token, badPassword);
      expect(res.status).toBe(400);
      expect(res.body).toMatchObject({ statusCode: 400, code: 'PASSWORD_POLICY' });
      expect(typeof res.body.message).toBe('string');
      expect(res.body.message.length).toBeGreaterThan(0);

      // Nothing changed: the old password still signs in, the rejected one does not.
      expect((await passwordGrant(stack, customer.email, customer.password)).status).toBe(200);
      expect((await passwordGrant(stack, customer.email, badPassword)).status).toBe(400);
    });

    it('rejects a confirmation that does not match with PASSWORD_MISMATCH', async () => {
      const customer = await registerCustomer(stack, { label: 'mismatch' });
      const { token } = await requestResetToken(stack, customer.email);

      const password = strongPassword('Typed');
      const res = await resetPassword(stack, token, password, `${password}x`);
      expect(res.status).toBe(400);
      expect(res.body).toEqual({ statusCode: 400, code: 'PASSWORD_MISMATCH', message: MESSAGES.passwordMismatch });
      expect((await passwordGrant(stack, customer.email, customer.password)).status).toBe(200);
    });

    it('does not spend the token on a rejected password: a good one still goes through', async () => {
      const customer = await registerCustomer(stack, { label: 'policy-keeps-token' });
      const { token } = await requestResetToken(stack, customer.email);

      expect((await resetPassword(stack, token, 'short')).body).toMatchObject({ code: 'PASSWORD_POLICY' });
      const good = strongPassword('Good');
      expect((await resetPassword(stack, token, good, `${good}!`)).body).toMatchObject({ code: 'PASSWORD_MISMATCH' });

      expect((await validateToken(stack, token)).body).toEqual({ valid: true });
      const res = await resetPassword(stack, token, good);
      expect(res.status).toBe(200);
      expect(res.body).toEqual({ message: MESSAGES.passwordUpdated });
      expect((await passwordGrant(stack, customer.email, good)).status).toBe(200);
    });

    it('accepts the boundaries: exactly 6 and exactly 256 characters', async () => {
      for (const password of ['xK9#qz', `Ab1!${'y'.repeat(252)}`]) {
        const customer = await registerCustomer(stack, { label: 'policy-boundary' });
        const { token } = await requestResetToken(stack, customer.email);
        const res = await resetPassword(stack, token, password);
        expect({ length: [...password].length, status: res.status, body: res.body }).toEqual({
          length: [...password].length,
          status: 200,
          body: { message: MESSAGES.passwordUpdated },
        });
        expect((await passwordGrant(stack, customer.email, password)).status).toBe(200);
      }
    });
  });

  describe('at registration', () => {
    it.each(violations)('rejects a password %s with PASSWORD_POLICY and creates no account', async (_label, badPassword) => {
      const email = uniqueEmail('policy-register');
      const res = await stack.api('/api/v1/customers', {
        json: { email, password: badPassword, firstName: 'Ada', lastName: 'Lovelace' },
      });
      expect(res.status).toBe(400);
      expect(res.body).toMatchObject({ statusCode: 400, code: 'PASSWORD_POLICY' });
      expect(typeof res.body.message).toBe('string');

      const rows = await stack.db.query('SELECT count(*)::int AS n FROM customer WHERE email = $1', [email]);
      expect(rows.rows[0].n).toBe(0);
    });

    it('accepts the boundaries: exactly 6 and exactly 256 characters', async () => {
      for (const password of ['qZ7%wv', `Cd2@${'z'.repeat(252)}`]) {
        const customer = await registerCustomer(stack, { label: 'register-boundary', password });
        expect((await passwordGrant(stack, customer.email, password)).status).toBe(200);
      }
    });

    it('refuses a second account for the same address, in any letter case, with 409 EMAIL_TAKEN', async () => {
      const customer = await registerCustomer(stack, { label: 'taken' });
      const res = await stack.api('/api/v1/customers', {
        json: { email: customer.email.toUpperCase(), password: strongPassword(), firstName: 'Eve', lastName: 'Twin' },
      });
      expect(res.status).toBe(409);
      expect(res.body).toMatchObject({ statusCode: 409, code: 'EMAIL_TAKEN' });
    });
  });
});
