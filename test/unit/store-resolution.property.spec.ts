import { Logger } from '@nestjs/common';
import fc from 'fast-check';
import { ErrorCode } from '@customer-access/common';
import { AppConfig } from '@customer-access/config';
import { Translator } from '@customer-access/i18n';
import { EmailTemplates, MailJob } from '@customer-access/notification';
import {
  CustomerPasswordSettings,
  DEFAULT_STORE_VIEW,
  parseStoreBaseUrl,
  ResolvedStoreView,
  SettingsService,
  STORE_CODE_PATTERN,
  StoreRegistry,
  StoreRepository,
  StoreView,
  Website,
} from '@customer-access/settings';
import { emailStoreViewCode } from '../../apps/worker/src/mail-job.handlers';

/**
 * No wrong link, ever (issue 19), as properties over random configurations: any websites and store
 * views (random hosts, ports, paths, senders, languages, active or not), any customer, any request
 * (a Store header that may name nothing, a Host that may be anybody's). Whatever the request says,
 * the store view chosen follows the rules of docs/api.md (Stores), and the reset email's link base,
 * sender and language are exactly that store view's; a link's base is always a configured baseUrl,
 * never the request's Host.
 */
describe('store view resolution and reset links (property)', () => {
  // Each configuration installed logs its version; hundreds of them say nothing here.
  beforeAll(() => Logger.overrideLogger(false));
  afterAll(() => Logger.overrideLogger(['log', 'error', 'warn']));
  const translator = new Translator();
  const LOCALES = translator.locales;
  const STOREFRONT_URL = 'https://one-store.example';
  const MAIL_FROM = 'Shop <shop@one-store.example>';
  const config = { storefrontUrl: STOREFRONT_URL, mailFrom: MAIL_FROM, publicUrl: 'https://account.example' } as AppConfig;
  const settingsValues = {
    storeName: 'One Store',
    supportEmail: 'help@one-store.example',
    defaultLocale: 'en',
    timezone: 'UTC',
  } as Readonly<CustomerPasswordSettings>;
  const settings = { current: () => settingsValues, follow: () => undefined } as unknown as SettingsService;

  const code = fc.stringMatching(STORE_CODE_PATTERN);
  const label = fc.stringMatching(/^[a-z][a-z0-9-]{0,8}$/);
  /** A base URL an admin could save: scheme, host (some shared between views), maybe a port and a path. */
  const baseUrl = fc
    .record({
      https: fc.boolean(),
      host: fc.oneof(
        fc.constantFrom('shop-a.example', 'shop-b.example', '127.0.0.1', 'localhost'),
        label.map((l) => `${l}.example`),
      ),
      port: fc.option(fc.integer({ min: 1, max: 65535 }), { nil: undefined }),
      path: fc.option(
        label.map((l) => `/${l}`),
        { nil: undefined },
      ),
    })
    .map(({ https, host, port, path }) =>
      parseStoreBaseUrl(`${https ? 'https' : 'http'}://${host}${port ? `:${port}` : ''}${path ?? ''}`, { httpsOnly: false })!,
    );
  /** A store view row: every branding field either set or null (inherit). */
  const viewRow = (websiteCodes: string[]) =>
    fc.record({
      code,
      websiteCode: fc.constantFrom(...websiteCodes),
      name: fc.option(label, { nil: null }),
      locale: fc.option(fc.constantFrom(...LOCALES), { nil: null }),
      baseUrl: fc.option(baseUrl, { nil: null }),
      mailFrom: fc.option(
        label.map((l) => `${l}@${l}.example`),
        { nil: null },
      ),
      supportEmail: fc.option(
        label.map((l) => `help@${l}.example`),
        { nil: null },
      ),
      isActive: fc.boolean(),
    });
  const configuration = fc
    .uniqueArray(code, { minLength: 1, maxLength: 4 })
    .chain((websites) =>
      fc.record({
        websites: fc.constant(['base', ...websites.filter((w) => w !== 'base')]),
        views: fc.uniqueArray(viewRow(['base', ...websites]), { minLength: 0, maxLength: 12, selector: (v) => v.code }),
        defaultActive: fc.constant(true),
      }),
    )
    .map(({ websites, views }) => ({
      websites,
      // `default` always exists and is active (the admin routes refuse to deactivate it).
      views: [
        {
          code: DEFAULT_STORE_VIEW,
          websiteCode: 'base',
          name: null,
          locale: null,
          baseUrl: null,
          mailFrom: null,
          supportEmail: null,
          isActive: true,
        },
        ...views.filter((v) => v.code !== DEFAULT_STORE_VIEW),
      ],
    }));

  function registryOf(cfg: { websites: readonly string[]; views: Array<Partial<StoreView> & { code: string }> }): StoreRegistry {
    const registry = new StoreRegistry({} as StoreRepository, settings, config);
    registry.install({
      websites: cfg.websites.map((c) => Object.assign(new Website(), { code: c, name: c, updatedAt: new Date(0) })),
      storeViews: cfg.views.map((v) => Object.assign(new StoreView(), v, { timezone: null, updatedAt: new Date(0) })),
    });
    return registry;
  }

  const hostOf = (url: string) => new URL(url).host;
  const templates = new EmailTemplates(translator, settings, config);
  const linkOf = (view: ResolvedStoreView, token: string) =>
    templates.linksOf(() => view).resetLink(token, { id: 'c', email: 'c@x.example', firstName: 'C', lastName: 'X', locale: 'en' } as never);

  it('the Store header picks exactly its active store view (none: default), else STORE_UNKNOWN; the link base, From and language are that view’s', () => {
    fc.assert(
      fc.property(
        configuration,
        fc.option(fc.oneof(code, fc.string({ maxLength: 40 })), { nil: undefined }),
        fc.option(fc.constantFrom(...LOCALES, 'fr', 'xx-YY', 'de-CH'), { nil: null }),
        fc.stringMatching(/^[A-Za-z0-9_-]{43}$/),
        (cfg, header, customerLocale, token) => {
          const registry = registryOf(cfg);
          const named = cfg.views.find((v) => v.code === (header === undefined || header === '' ? DEFAULT_STORE_VIEW : header));
          let view: ResolvedStoreView;
          try {
            view = registry.forRequest(header);
          } catch (error) {
            expect(named?.isActive).not.toBe(true);
            expect(error).toMatchObject({ code: ErrorCode.StoreUnknown });
            return;
          }
          expect(named?.isActive).toBe(true);
          expect(view.code).toBe(named!.code);
          expect(view.websiteCode).toBe(named!.websiteCode);
          // The job carries the request's store view; the worker sends the storefront reset from exactly it.
          const sentFrom = registry.forEmail(
            emailStoreViewCode(MailJob.PasswordResetRequested, { storeView: view.code }, { storeViewCode: 'other' }),
          );
          expect(sentFrom).toEqual(view);
          const expectedBase = named!.baseUrl ?? STOREFRONT_URL;
          const link = linkOf(sentFrom, token);
          expect(link).toBe(`${expectedBase}/customer/account/createPassword?token=${token}`);
          expect(sentFrom.mailFrom).toBe(named!.mailFrom ?? MAIL_FROM);
          expect(sentFrom.name).toBe(named!.name ?? settingsValues.storeName);
          // The customer's own language when a catalogue serves it, else the store view's.
          const language = templates.localeFor(customerLocale, sentFrom.locale);
          expect(language).toBe(translator.resolve([customerLocale], named!.locale ?? settingsValues.defaultLocale));
          expect(LOCALES).toContain(language);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('a Host only selects among configured base URLs: the link base is always a configured baseUrl, and never a Host no store view has', () => {
    fc.assert(
      fc.property(
        configuration,
        fc.oneof(
          baseUrl.map(hostOf),
          fc.constantFrom('evil.example', 'EVIL.example:443', 'shop-a.example.evil.example', '127.0.0.2', ''),
          fc.string({ maxLength: 30 }),
        ),
        fc.stringMatching(/^[A-Za-z0-9_-]{43}$/),
        (cfg, host, token) => {
          const registry = registryOf(cfg);
          const view = registry.forHost(host || undefined);
          const configured = registry.storeViews();
          const byHost = configured.filter((v) => v.isActive && hostOf(v.baseUrl) === host.toLowerCase());
          if (byHost.length > 0) {
            // The first active store view (by code) whose base URL has this host.
            expect(view.code).toBe(byHost[0].code);
          } else {
            expect(view.code).toBe(DEFAULT_STORE_VIEW);
          }
          const link = new URL(linkOf(view, token));
          expect(configured.map((v) => v.baseUrl)).toContain(
            `${link.origin}${link.pathname.replace('/customer/account/createPassword', '')}`,
          );
          if (!configured.some((v) => hostOf(v.baseUrl) === link.host)) throw new Error(`link host ${link.host} is no configured host`);
          if (host && !configured.some((v) => hostOf(v.baseUrl) === host.toLowerCase())) expect(link.host).not.toBe(host.toLowerCase());
        },
      ),
      { numRuns: 300 },
    );
  });

  it("an admin's reset and the confirmations follow the customer's store view, whatever a job or an admin names", () => {
    fc.assert(
      fc.property(configuration, fc.option(code, { nil: undefined }), (cfg, other) => {
        const registry = registryOf(cfg);
        for (const customerView of cfg.views) {
          for (const job of [MailJob.AdminPasswordResetRequested, MailJob.PasswordChanged, MailJob.EmailChanged]) {
            const chosen = registry.forEmail(emailStoreViewCode(job, { storeView: other }, { storeViewCode: customerView.code }));
            // Any store view, active or not: the customer's own.
            expect(chosen.code).toBe(customerView.code);
            expect(chosen.baseUrl).toBe(customerView.baseUrl ?? STOREFRONT_URL);
          }
        }
      }),
      { numRuns: 200 },
    );
  });
});
