import { DEMO_PASSWORD, demoCustomerAt, demoInstructions, parseDemoSeedArgs, progressReporter, seedDemoCustomers } from './demo-seed';

describe('demo:seed', () => {
  it('parses its options with safe defaults and clear refusals', () => {
    expect(parseDemoSeedArgs({}, {})).toEqual({ count: 5, password: DEMO_PASSWORD, emailDomain: 'example.com' });
    expect(parseDemoSeedArgs({ count: '20', password: 'Other-Pass-99', 'email-domain': 'Shop.Test' }, {})).toEqual({
      count: 20,
      password: 'Other-Pass-99',
      emailDomain: 'shop.test',
    });
    expect(() => parseDemoSeedArgs({ count: '0' }, {})).toThrow('--count must be an integer from 1 to 1000.');
    expect(() => parseDemoSeedArgs({ count: 'many' }, {})).toThrow('--count');
    expect(() => parseDemoSeedArgs({ 'email-domain': 'x@y' }, {})).toThrow('--email-domain');
  });

  it('gives every index the same customer on every run (which makes it idempotent)', () => {
    expect(demoCustomerAt(0, 'example.com')).toEqual({
      email: 'demo.customer.001@example.com',
      firstName: 'Ada',
      lastName: 'Lovelace',
      locale: 'en',
    });
    expect(demoCustomerAt(11, 'example.com').email).toBe('demo.customer.012@example.com');
    expect(demoCustomerAt(11, 'example.com')).toEqual(demoCustomerAt(11, 'example.com'));
  });

  it('refuses production before touching the database', async () => {
    await expect(
      seedDemoCustomers(
        { databaseUrl: 'postgres://nowhere.invalid/db', nodeEnv: 'production' },
        { count: 1, password: DEMO_PASSWORD, emailDomain: 'example.com' },
      ),
    ).rejects.toThrow('refused when NODE_ENV=production');
  });

  it('refuses a demo password the policy would refuse', async () => {
    await expect(
      seedDemoCustomers(
        { databaseUrl: 'postgres://nowhere.invalid/db', nodeEnv: 'development' },
        { count: 1, password: 'a b', emailDomain: 'example.com' },
      ),
    ).rejects.toThrow('The demo password is refused');
  });

  it('shows progress: a line per tenth when the output is not a terminal', () => {
    const lines: string[] = [];
    const out = { isTTY: false, write: (s: string) => lines.push(s) } as unknown as NodeJS.WriteStream;
    const toOut = progressReporter(20, 'Seeding', out);
    for (let i = 1; i <= 20; i++) toOut(i);
    expect(lines.length).toBeLessThanOrEqual(11);
    expect(lines.at(-1)).toBe(`Seeding [${'#'.repeat(30)}] 20/20\n`);
  });

  it('prints curl commands for the whole flow and where the mail lands', () => {
    const customers = [{ email: 'demo.customer.001@example.com', firstName: 'Ada', lastName: 'Lovelace', created: true }];
    const files = demoInstructions({ port: 3000, smtpUrl: undefined, mailDir: 'var/mail' }, customers, DEMO_PASSWORD);
    expect(files).toContain(
      `curl -s -X POST http://localhost:3000/api/v1/customers/password/forgot -H 'Content-Type: application/json' -d '{"email":"demo.customer.001@example.com"}'`,
    );
    expect(files).toContain('/api/v1/customers/password/reset/validate');
    expect(files).toContain('/api/v1/oauth/token');
    expect(files).toMatch(/var\/mail\/ as \.eml files/);
    const smtp = demoInstructions(
      { port: 3000, smtpUrl: 'smtp://user:secret@mailpit:1025', mailDir: 'var/mail' },
      customers,
      DEMO_PASSWORD,
    );
    expect(smtp).toContain('mailpit:1025');
    expect(smtp).not.toContain('secret');
  });
});
