import { ErrorCode } from '@customer-access/common';
import { CustomersModule, CustomersService } from '@customer-access/customers';
import { AccessTokenRepository, OAuthModule, OAuthService } from '@customer-access/oauth';
import { SettingsModule, SettingsService } from '@customer-access/settings';
import { Medium, startMedium } from './support/medium';

/** libs/customers and libs/oauth against PostgreSQL: registration, the password grant, tokens. */
describe('customers and oauth (medium)', () => {
  let medium: Medium;
  let customers: CustomersService;
  let oauth: OAuthService;
  let accessTokens: AccessTokenRepository;
  let n = 0;
  const register = (password = 'Reg1ster-Passw0rd') =>
    customers.register({ email: `Person.${++n}@Medium.Test`, password, firstName: ' Ada ', lastName: 'Lovelace' });

  beforeAll(async () => {
    medium = await startMedium({ imports: [SettingsModule, CustomersModule, OAuthModule] });
    customers = medium.get(CustomersService);
    oauth = medium.get(OAuthService);
    accessTokens = medium.get(AccessTokenRepository);
  });
  afterAll(() => medium?.close());

  it('registers with the email normalized and the names trimmed, and refuses the same email again', async () => {
    const customer = await register();
    expect(customer).toMatchObject({ email: `person.${n}@medium.test`, firstName: 'Ada', locale: 'en' });
    await expect(
      customers.register({ email: `PERSON.${n}@medium.test`, password: 'Reg1ster-Passw0rd', firstName: 'A', lastName: 'B' }),
    ).rejects.toMatchObject({ code: ErrorCode.EmailTaken });
  });

  it('signs in with a password typed in another Unicode normalization form (NFD after NFC)', async () => {
    const nfc = 'Crème-Brûlée-2026'.normalize('NFC');
    const customer = await register(nfc);
    const issued = await oauth.passwordGrant(customer.email, nfc.normalize('NFD'));
    expect(issued).not.toBeNull();
    expect(await oauth.authenticate(issued!.accessToken)).toMatchObject({ customerId: customer.id });
  });

  it('issues, authenticates, counts and revokes access tokens', async () => {
    const customer = await register();
    const a = (await oauth.passwordGrant(customer.email, 'Reg1ster-Passw0rd'))!;
    const b = (await oauth.passwordGrant(customer.email, 'Reg1ster-Passw0rd'))!;
    expect((await accessTokens.countActiveByCustomer([customer.id])).get(customer.id)).toBe(2);
    await oauth.revoke(a.accessToken);
    expect(await oauth.authenticate(a.accessToken)).toBeNull();
    expect(await accessTokens.revokeAllForCustomer(customer.id)).toBe(1);
    expect(await oauth.authenticate(b.accessToken)).toBeNull();
    expect((await accessTokens.countActiveByCustomer([customer.id])).get(customer.id)).toBe(0);
    const stored = await medium.db.query('select token_hash from access_token where customer_id = $1', [customer.id]);
    expect(stored.rows.map((r) => r.token_hash)).not.toContain(a.accessToken);
  });

  it('locks the account after lockoutFailures wrong passwords, even for the right one then', async () => {
    const settings = medium.get(SettingsService);
    await settings.update({ lockoutFailures: 3, lockoutMinutes: 5 });
    try {
      const customer = await register();
      for (let i = 0; i < 3; i++) expect(await oauth.passwordGrant(customer.email, 'Wrong-Passw0rd')).toBeNull();
      const row = await medium.db.query('select failed_login_count, locked_until from customer where id = $1', [customer.id]);
      expect(row.rows[0].failed_login_count).toBe(0);
      expect(row.rows[0].locked_until.getTime()).toBeGreaterThan(Date.now());
      expect(await oauth.passwordGrant(customer.email, 'Reg1ster-Passw0rd')).toBeNull();
    } finally {
      await settings.update({ lockoutFailures: 10, lockoutMinutes: 10 });
    }
  });
});
