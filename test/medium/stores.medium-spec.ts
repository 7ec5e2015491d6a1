import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { Client } from 'pg';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ParsedMail, simpleParser } from 'mailparser';
import { ErrorCode } from '@customer-access/common';
import { CustomerRepository, CustomersModule, CustomersService, CustomerSql, importCustomers } from '@customer-access/customers';
import { clientRows } from '@customer-access/database';
import { I18nModule } from '@customer-access/i18n';
import { MailDeliveryModule, MailJob, mailQueueConnection, NotificationModule } from '@customer-access/notification';
import { ObservabilityModule } from '@customer-access/observability';
import { PasswordResetModule } from '@customer-access/password-reset';
import { SettingsModule, SettingsService, StoreRegistry } from '@customer-access/settings';
import { JobContext, MailJobHandlers } from '../../apps/worker/src/mail-job.handlers';
import { Medium, startMedium } from './support/medium';

/**
 * Stores in-process against PostgreSQL: three store views across two websites, each with its own
 * link base, sender, name, support address and language, and the reset emails the worker composes
 * for each; and accountSharingScope = global decided in the database under concurrent registrations.
 */
describe('stores (medium)', () => {
  let medium: Medium;
  let handlers: MailJobHandlers;
  let customers: CustomersService;
  let settings: SettingsService;
  const mailDir = mkdtempSync(join(tmpdir(), 'ca-medium-stores-'));
  let job = 0;
  const attempt = (): JobContext => ({ id: `stores-${++job}`, createdAtMs: Date.now(), attempt: 1, maxAttempts: 3 });

  /** Two websites, three store views: eu has two (en and zh-CN), us one (en); every branding field its own. */
  const VIEWS = [
    { code: 'eu_en', websiteCode: 'eu', name: 'EU Shop', locale: 'en', base: 'https://eu.shop.medium.test', from: 'eu@shop.medium.test' },
    {
      code: 'eu_zh',
      websiteCode: 'eu',
      name: '欧洲商店',
      locale: 'zh-CN',
      base: 'https://zh.eu.shop.medium.test/cn',
      from: 'zh@shop.medium.test',
    },
    { code: 'us_en', websiteCode: 'us', name: 'US Shop', locale: 'en', base: 'https://us.shop.medium.test', from: 'us@shop.medium.test' },
  ];

  beforeAll(async () => {
    medium = await startMedium({
      env: { MAIL_DIR: mailDir, STOREFRONT_URL: 'https://default.shop.medium.test' },
      imports: [
        ObservabilityModule.forRoot('worker', { workerJobNames: Object.values(MailJob) }),
        SettingsModule,
        I18nModule,
        mailQueueConnection('worker'),
        NotificationModule,
        MailDeliveryModule,
        CustomersModule,
        PasswordResetModule,
      ],
      providers: [MailJobHandlers],
    });
    await medium.db.query(`insert into website (code, name) values ('eu', 'EU'), ('us', 'US')`);
    for (const v of VIEWS) {
      await medium.db.query(
        `insert into store_view (code, website_code, name, locale, timezone, base_url, mail_from, support_email)
         values ($1, $2, $3, $4, 'Europe/Berlin', $5, $6, $7)`,
        [v.code, v.websiteCode, v.name, v.locale, v.base, `${v.name} <${v.from}>`, `help-${v.code}@shop.medium.test`],
      );
    }
    await medium.get(StoreRegistry).reload();
    handlers = medium.get(MailJobHandlers);
    customers = medium.get(CustomersService);
    settings = medium.get(SettingsService);
  });
  afterAll(async () => {
    await medium?.close();
    rmSync(mailDir, { recursive: true, force: true });
  });

  /** Empties the mail directory (the transport writes one .eml file per email). */
  const clearMail = () => readdirSync(mailDir).forEach((f) => rmSync(join(mailDir, f)));

  /** The one email in the directory written to `to`. */
  async function mailTo(to: string): Promise<ParsedMail> {
    const raw = readdirSync(mailDir)
      .map((f) => readFileSync(join(mailDir, f), 'utf8'))
      .filter((m) => m.includes(`To: ${to}`));
    expect(raw).toHaveLength(1);
    return simpleParser(raw[0]);
  }

  it('composes each store view its own reset email: link base, From, name, support address and fallback language', async () => {
    // The same address has an account in each website; it registered in eu_zh and us_en, without a language of its own.
    const email = 'same@stores.medium.test';
    const register = (code: string) =>
      customers.register(
        { email, password: 'Stores-Medium-2026', firstName: 'Ann', lastName: 'Two' },
        medium.get(StoreRegistry).forRequest(code),
      );
    const [eu, us] = [await register('eu_zh'), await register('us_en')];
    expect([eu.websiteCode, eu.locale, us.websiteCode, us.locale]).toEqual(['eu', 'zh-CN', 'us', 'en']);
    // A customer whose language has no catalogue: the store view's language is the fallback.
    await medium.db.query(`update customer set locale = 'fr' where id = $1`, [eu.id]);

    for (const view of VIEWS) {
      clearMail();
      expect(await handlers.handle(MailJob.PasswordResetRequested, { email, storeView: view.code }, attempt())).toEqual({ sent: true });
      const mail = await mailTo(email);
      const link = /https?:\/\/\S*createPassword\?token=[A-Za-z0-9_-]+/.exec(mail.text ?? '')?.[0] ?? '';
      expect({
        view: view.code,
        from: mail.from?.value[0],
        linkBase: link.split('/customer/account/createPassword?token=')[0],
        language: mail.headers.get('content-language'),
        named: (mail.text ?? '').includes(view.name),
        support: (mail.text ?? '').includes(`help-${view.code}@shop.medium.test`),
      }).toEqual({
        view: view.code,
        from: { address: view.from, name: view.name },
        linkBase: view.base,
        language: view.websiteCode === 'eu' ? view.locale : 'en',
        named: true,
        support: true,
      });
      // The account of the store view's website got the token, and the delivery log names the store view.
      const owner = view.websiteCode === 'eu' ? eu.id : us.id;
      const logged = await medium.db.query(
        `select store_view_code from email_log where customer_id = $1 order by requested_at desc limit 1`,
        [owner],
      );
      expect(logged.rows).toEqual([{ store_view_code: view.code }]);
    }

    // An admin's reset follows the customer's own store view (eu_zh), whatever the job or the admin looks at.
    clearMail();
    const outcome = await handlers.handle(
      MailJob.AdminPasswordResetRequested,
      { customerId: eu.id, adminId: '3f0c9a52-5d1e-4b8e-9a47-0c2f7d1e6b90', emailLogId: '7d3c0f5e-2a61-4c1b-8f0e-5b9d6a4e3c21' },
      attempt(),
    );
    expect(outcome).toEqual({ sent: true });
    const admin = await mailTo(email);
    expect([admin.from?.value[0].address, admin.headers.get('content-language')]).toEqual(['zh@shop.medium.test', 'zh-CN']);
    expect(admin.text).toContain('https://zh.eu.shop.medium.test/cn/customer/account/createPassword?token=');
  });

  it('accountSharingScope = global: of concurrent registrations of one address in different websites exactly one succeeds', async () => {
    await settings.update({ accountSharingScope: 'global' });
    try {
      const stores = medium.get(StoreRegistry);
      for (let round = 0; round < 3; round++) {
        const email = `race-${round}@stores.medium.test`;
        const outcomes = await Promise.allSettled(
          ['eu_en', 'us_en', 'default', 'eu_zh'].map((code) =>
            customers.register({ email, password: 'Stores-Medium-2026', firstName: 'R', lastName: 'Ace' }, stores.forRequest(code)),
          ),
        );
        expect(outcomes.filter((o) => o.status === 'fulfilled')).toHaveLength(1);
        for (const o of outcomes.filter((x): x is PromiseRejectedResult => x.status === 'rejected')) {
          expect(o.reason).toMatchObject({ code: ErrorCode.EmailTaken });
        }
        const rows = await medium.db.query('select website_code from customer where email = $1', [email]);
        expect(rows.rowCount).toBe(1);
      }

      // The repository's insert decides by itself (no early check): concurrent inserts in four websites' names, one row.
      const repository = medium.get(CustomerRepository);
      const email = 'race-direct@stores.medium.test';
      const outcomes = await Promise.allSettled(
        ['base', 'eu', 'us', 'eu'].map((websiteCode, i) =>
          repository.insertIfEmailFree({
            email,
            websiteCode,
            storeViewCode: ['default', 'eu_en', 'us_en', 'eu_zh'][i],
            passwordHash: '$argon2id$v=19$m=19456,t=2,p=1$placeholder',
            firstName: 'D',
            lastName: 'Irect',
            locale: 'en',
          }),
        ),
      );
      expect(outcomes.map((o) => o.status).filter((s) => s === 'fulfilled')).toHaveLength(1);
      expect((await medium.db.query('select 1 from customer where email = $1', [email])).rowCount).toBe(1);
    } finally {
      await settings.update({ accountSharingScope: 'website' });
    }
  });

  it('accountSharingScope = global: one address in two websites of one file is a duplicate row, not two accounts', async () => {
    await settings.update({ accountSharingScope: 'global' });
    const file = join(mailDir, '..', `ca-medium-import-dup-${process.pid}.ndjson`);
    try {
      const email = 'import-twice@stores.medium.test';
      writeFileSync(file, ['eu', 'us'].map((website) => JSON.stringify({ email, website, firstName: 'Im', lastName: 'Port' })).join('\n'));
      const summary = await importCustomers(medium.config.databaseUrl, { file, format: 'ndjson', dryRun: false });
      expect(summary).toMatchObject({ imported: 1, skipped: 0, failed: 1 });
      expect(summary.firstErrors[0]).toMatchObject({ line: 2, reason: 'duplicate email in the file (first on line 1)' });
      const rows = await medium.db.query('select website_code from customer where email = $1', [email]);
      expect(rows.rows).toEqual([{ website_code: 'eu' }]);
    } finally {
      rmSync(file, { force: true });
      rmSync(`${file}.errors.csv`, { force: true });
      await settings.update({ accountSharingScope: 'website' });
    }
  });

  it('accountSharingScope = global: customers:import takes the registration lock, so it cannot create a second account across websites', async () => {
    await settings.update({ accountSharingScope: 'global' });
    const holder = new Client({ connectionString: medium.config.databaseUrl });
    await holder.connect();
    const file = join(mailDir, '..', `ca-medium-import-${process.pid}.ndjson`);
    try {
      const email = 'import-race@stores.medium.test';
      writeFileSync(
        file,
        [email, 'import-other@stores.medium.test'].map((e) => JSON.stringify({ email: e, firstName: 'Im', lastName: 'Port' })).join('\n'),
      );
      // A registration in website us, half-way: it holds the address's lock and found no account.
      await holder.query('begin');
      await clientRows(holder, CustomerSql.lockEmail(email));
      expect((await clientRows(holder, CustomerSql.emailExists(email)))[0].found).toBe(false);

      // The import of the same address into base must wait for it (or, without the lock, finish first).
      let finished = false;
      const importing = importCustomers(medium.config.databaseUrl, { file, format: 'ndjson', dryRun: false }).finally(
        () => (finished = true),
      );
      const waitingOnLock = async () =>
        (
          await medium.db.query(
            `select 1 from pg_locks l join pg_stat_activity a on a.pid = l.pid
             where l.locktype = 'advisory' and not l.granted and a.application_name = 'customers:import'`,
          )
        ).rowCount! > 0;
      for (let i = 0; i < 200 && !finished && !(await waitingOnLock()); i++) await sleep(25);

      await holder.query(
        `insert into customer (id, email, website_code, store_view_code, first_name, last_name, password_hash)
         values (gen_random_uuid(), $1, 'us', 'us_en', 'Reg', 'Istered', '!no-usable-password')`,
        [email],
      );
      await holder.query('commit');
      const summary = await importing;

      const rows = await medium.db.query('select website_code from customer where email = $1', [email]);
      expect(rows.rows).toEqual([{ website_code: 'us' }]);
      expect(summary).toMatchObject({ imported: 1, skipped: 1, failed: 0 });
    } finally {
      await holder.query('rollback').catch(() => undefined);
      await holder.end();
      rmSync(file, { force: true });
      await settings.update({ accountSharingScope: 'website' });
    }
  });
});
