import {
  AdminAccountsService,
  AdminModule,
  AdminSettingsService,
  AuditAction,
  AuditService,
  CustomerSupportService,
} from '@customer-access/admin';
import { ErrorCode } from '@customer-access/common';
import { mailQueueConnection } from '@customer-access/notification';
import { SETTINGS_CHANGED_CHANNEL } from '@customer-access/redis';
import { SettingsModule, SettingsService } from '@customer-access/settings';
import { insertCustomer, Medium, startMedium } from './support/medium';

/** libs/admin and libs/settings against PostgreSQL and Redis: accounts, audit, support, settings. */
describe('admin and settings (medium)', () => {
  let medium: Medium;
  let settings: SettingsService;
  let adminSettings: AdminSettingsService;
  let audit: AuditService;
  const actor = {
    id: '00000000-0000-4000-8000-000000000001',
    email: 'boss@admins.medium.test',
    role: 'administrator' as const,
    ip: '203.0.113.9',
  };

  beforeAll(async () => {
    medium = await startMedium({ imports: [SettingsModule, mailQueueConnection('producer'), AdminModule] });
    settings = medium.get(SettingsService);
    adminSettings = medium.get(AdminSettingsService);
    audit = medium.get(AuditService);
  });
  afterAll(() => medium?.close());

  it('records a settings change with its before and after values', async () => {
    const after = await adminSettings.update(actor, { maxResetRequestsPerHour: 7 });
    expect(after.maxResetRequestsPerHour).toBe(7);
    expect(settings.current().maxResetRequestsPerHour).toBe(7);
    const { items } = await audit.list({ page: 1, pageSize: 1 });
    expect(items[0]).toMatchObject({
      action: AuditAction.SettingsChanged,
      adminEmail: actor.email,
      clientIp: actor.ip,
      details: { changes: [{ setting: 'maxResetRequestsPerHour', from: 5, to: 7 }] },
    });
  });

  it('commits a settings change and its audit record together: no record, no change', async () => {
    const before = (await medium.db.query('select values from settings where id = 1')).rows[0].values;
    // Make the audit insert fail, as a full disk or a lost connection would.
    await medium.db.query(
      `alter table admin_audit_event add constraint medium_refuse_settings check (action <> '${AuditAction.SettingsChanged}') not valid`,
    );
    try {
      await expect(adminSettings.update(actor, { minPasswordLength: 12 })).rejects.toThrow(/medium_refuse_settings/);
    } finally {
      await medium.db.query('alter table admin_audit_event drop constraint medium_refuse_settings');
    }
    expect((await medium.db.query('select values from settings where id = 1')).rows[0].values).toEqual(before);
    expect((await settings.reload()).minPasswordLength).not.toBe(12);
  });

  it('reloads at once when another instance broadcasts a change (observed, not waited out)', async () => {
    await medium.db.query(`update settings set values = values || '{"supportEmail":"desk@medium.test"}'::jsonb where id = 1`);
    await medium.redis.publish(SETTINGS_CHANGED_CHANNEL, '1');
    const deadline = Date.now() + 5000;
    while (settings.current().supportEmail !== 'desk@medium.test') {
      if (Date.now() > deadline) throw new Error('the broadcast change was not applied');
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  });

  it('creates admins with a normalized unique email and finds their principal', async () => {
    const accounts = medium.get(AdminAccountsService);
    const admin = await accounts.create({
      email: 'Support.Desk@Admins.Medium.Test',
      password: 'a-long-admin-passphrase-2026',
      role: 'support',
    });
    expect(admin).toMatchObject({ email: 'support.desk@admins.medium.test', role: 'support' });
    await expect(
      accounts.create({ email: 'support.desk@admins.medium.test', password: 'a-long-admin-passphrase-2026', role: 'support' }),
    ).rejects.toMatchObject({ code: ErrorCode.EmailTaken });
  });

  it('searches customers (escaping LIKE wildcards), records Force Sign-In, and answers 409 without tokens', async () => {
    const support = medium.get(CustomerSupportService);
    const customer = await insertCustomer(medium.db, { email: 'under_score%50@medium.test' });
    await insertCustomer(medium.db, { email: 'underXscoreY50@medium.test' });
    const found = await support.search({ search: 'under_score%', page: 1, pageSize: 10 });
    expect(found.items.map((c) => c.email)).toEqual([customer.email]);
    expect(found.items[0]).toMatchObject({ activeTokenCount: 0 });
    expect(JSON.stringify(found)).not.toMatch(/password/i);

    await expect(support.forceSignIn(actor, customer.id)).rejects.toMatchObject({ code: ErrorCode.CustomerHasNoTokens });
    await medium.db.query(
      `insert into access_token (id, customer_id, token_hash, expires_at) values (gen_random_uuid(), $1, repeat('a', 64), now() + interval '1 hour')`,
      [customer.id],
    );
    expect(await support.forceSignIn(actor, customer.id)).toMatchObject({ revoked: 1 });
    const trail = await audit.list({ customerId: customer.id, page: 1, pageSize: 10 });
    expect(trail.items.map((e) => e.action)).toEqual([AuditAction.ForceSignIn]);
    await expect(support.detail('not-a-uuid')).rejects.toMatchObject({ code: ErrorCode.NotFound });
  });
});
