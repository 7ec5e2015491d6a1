import { AdminModule, AdminSettingsService } from '@customer-access/admin';
import { DomainError, ErrorCode } from '@customer-access/common';
import { CustomersService } from '@customer-access/customers';
import { mailQueueConnection } from '@customer-access/notification';
import { SettingsModule, SettingsService } from '@customer-access/settings';
import { Medium, startMedium } from './support/medium';

/**
 * The switch of accountSharingScope to global racing registrations of the same addresses in two
 * websites (issue 19): whatever the interleaving, global mode never holds an address in two
 * websites. A registration either lands before the switch's duplicate check (and the switch is
 * refused with ACCOUNT_SHARING_CONFLICT, nothing changed) or is judged by the global rule after it
 * (EMAIL_TAKEN). The switch is the admin's (AdminSettingsService.update), the registrations the
 * storefront's (CustomersService.register), both in this process against one PostgreSQL.
 */
describe('account sharing switch racing registrations (medium)', () => {
  let medium: Medium;
  let customers: CustomersService;
  let settings: SettingsService;
  let adminSettings: AdminSettingsService;
  const actor = {
    id: '00000000-0000-4000-8000-000000000019',
    email: 'boss@race.medium.test',
    role: 'administrator' as const,
    ip: '203.0.113.19',
  };
  const EU = { code: 'eu_en', websiteCode: 'eu', locale: 'en' };
  const US = { code: 'us_en', websiteCode: 'us', locale: 'en' };
  const PER_ROUND = 8;
  const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

  beforeAll(async () => {
    medium = await startMedium({ imports: [SettingsModule, mailQueueConnection('producer'), AdminModule] });
    customers = medium.get(CustomersService);
    settings = medium.get(SettingsService);
    adminSettings = medium.get(AdminSettingsService);
    await medium.db.query(`insert into website (code, name) values ('eu', 'EU'), ('us', 'US')`);
    await medium.db.query(
      `insert into store_view (code, website_code, name) values ('eu_en', 'eu', 'EU Shop'), ('us_en', 'us', 'US Shop')`,
    );
  });
  afterAll(() => medium?.close());

  const register = (email: string, store: typeof EU) =>
    customers.register({ email, password: 'Race-Medium-2026', firstName: 'R', lastName: 'Ace' }, store);

  /** Addresses of this round with accounts in more than one website. */
  async function duplicates(prefix: string): Promise<string[]> {
    const rows = await medium.db.query<{ email: string }>(
      `select email from customer where email like $1 group by email having count(distinct website_code) > 1`,
      [`${prefix}%`],
    );
    return rows.rows.map((r) => r.email);
  }

  it('never leaves an address in two websites once the switch to global has committed', async () => {
    const outcomes = { switched: 0, refused: 0, takenAfterSwitch: 0 };
    // The switch starts at different points of the second website's registrations: before any has
    // hashed its password, while they are in flight, and after some have landed.
    const switchDelays = [0, 0, 5, 10, 20, 40, 80, 160];
    for (const [round, delay] of switchDelays.entries()) {
      const prefix = `race${round}-`;
      const emails = Array.from({ length: PER_ROUND }, (_, i) => `${prefix}${i}@race.medium.test`);
      // Each address first has its account in eu, under website scope.
      await Promise.all(emails.map((email) => register(email, EU)));
      // Then the same addresses register in us (staggered a little) while the admin switches to global.
      const registrations = Promise.allSettled(emails.map(async (email, i) => (await sleep(i * 3), register(email, US))));
      await sleep(delay);
      const switched = await adminSettings.update(actor, { accountSharingScope: 'global' }).then(
        () => true,
        (error: unknown) => {
          expect(error).toBeInstanceOf(DomainError);
          expect(error).toMatchObject({ code: ErrorCode.AccountSharingConflict });
          return false;
        },
      );
      const settled = await registrations;
      for (const o of settled) if (o.status === 'rejected') expect(o.reason).toMatchObject({ code: ErrorCode.EmailTaken });
      const stored = (await medium.db.query(`select values->>'accountSharingScope' as scope from settings where id = 1`)).rows[0]?.scope;
      if (switched) {
        outcomes.switched++;
        outcomes.takenAfterSwitch += settled.filter((o) => o.status === 'rejected').length;
        expect(stored).toBe('global');
        // The breach this test is for: an account the switch's duplicate check did not see.
        expect(await duplicates(prefix)).toEqual([]);
      } else {
        outcomes.refused++;
        expect(stored ?? 'website').toBe('website');
        expect(settings.current().accountSharingScope).toBe('website');
        expect((await duplicates(prefix)).length).toBeGreaterThan(0);
      }
      // Back to website scope, for the next round.
      await settings.update({ accountSharingScope: 'website' });
    }
    // The rounds did race: the switch won at least once, with registrations refused by the global rule.
    expect(outcomes.switched).toBeGreaterThan(0);
    expect(outcomes.takenAfterSwitch).toBeGreaterThan(0);
  });
});
