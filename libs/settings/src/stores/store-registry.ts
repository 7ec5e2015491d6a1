import { Inject, Injectable, Logger, OnModuleInit } from '@nestjs/common';
import { DomainError, ErrorCode, Messages } from '@customer-access/common';
import { APP_CONFIG, AppConfig } from '@customer-access/config';
import { CustomerPasswordSettings } from '../customer-password-settings';
import { SettingsService } from '../settings.service';
import { StoreRepository, StoreRows } from './store.repository';
import { STORE_VIEW_BRANDING, StoreView, StoreViewBrandingField } from './store-view.entity';

/** The website and store view every installation has (docs/api.md, Stores). */
export const BASE_WEBSITE = 'base';
export const DEFAULT_STORE_VIEW = 'default';

/** A store view with every branding value in force: its own, or the inherited one (STOREFRONT_URL, MAIL_FROM, settings). */
export interface ResolvedStoreView {
  code: string;
  websiteCode: string;
  name: string;
  locale: string;
  timezone: string;
  baseUrl: string;
  mailFrom: string;
  supportEmail: string;
  isActive: boolean;
  /** The branding fields this store view does not set itself (null in the table): they follow the environment and the settings. */
  inherits: StoreViewBrandingField[];
}

export interface WebsiteView {
  code: string;
  name: string;
}

interface Snapshot {
  websites: WebsiteView[];
  rows: Map<string, StoreView>;
  /** Resolved views, for the settings object they were resolved with (a settings reload makes a new one). */
  resolvedFor?: Readonly<CustomerPasswordSettings>;
  resolved: Map<string, ResolvedStoreView>;
  /** Active store views by their baseUrl's host (lower case, with a port if not the default), first code wins. */
  byHost: Map<string, ResolvedStoreView>;
}

export const storeUnknown = () => new DomainError(ErrorCode.StoreUnknown, Messages.storeUnknown, { messageKey: 'api.storeUnknown' });

/**
 * Every website and store view, in this process's memory, so that resolving a request's store view
 * costs no database work (the forgot route does none). They reach every instance the way the
 * settings do: the process that changes them reloads at once and broadcasts on the settings channel;
 * every other process reloads on that message, and every SETTINGS_REFRESH_MS as a backstop
 * (SettingsService.follow).
 */
@Injectable()
export class StoreRegistry implements OnModuleInit {
  private readonly logger = new Logger(StoreRegistry.name);
  private snapshot: Snapshot = emptySnapshot();
  private versionInForce?: string;

  constructor(
    private readonly repository: StoreRepository,
    private readonly settings: SettingsService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async onModuleInit(): Promise<void> {
    await this.reload();
    this.settings.follow(() => this.reload());
  }

  async reload(): Promise<void> {
    this.install(await this.repository.loadAll());
  }

  /** Takes freshly read rows into force (also after this process changed them itself). */
  install({ websites, storeViews }: StoreRows): void {
    this.snapshot = {
      websites: websites.map((w) => ({ code: w.code, name: w.name })),
      rows: new Map(storeViews.map((v) => [v.code, v])),
      resolved: new Map(),
      byHost: new Map(),
    };
    const stamps = [...websites, ...storeViews].map((r) => new Date(r.updatedAt).getTime());
    const version = `${stamps.length}@${new Date(Math.max(0, ...stamps)).toISOString()}`;
    if (version !== this.versionInForce) {
      this.versionInForce = version;
      this.logger.log(`Stores in force: version ${version}`);
    }
  }

  websites(): readonly WebsiteView[] {
    return this.snapshot.websites;
  }

  storeViews(): ResolvedStoreView[] {
    this.fresh();
    return [...this.snapshot.rows.keys()].map((code) => this.resolvedOrThrow(code));
  }

  /** The store view a storefront request names in its `Store` header: none → `default`; unknown or inactive → STORE_UNKNOWN. */
  forRequest(header: string | undefined): ResolvedStoreView {
    this.fresh();
    const view = this.snapshot.resolved.get(header === undefined || header === '' ? DEFAULT_STORE_VIEW : header);
    if (!view || !view.isActive) throw storeUnknown();
    return view;
  }

  /**
   * The store view a hosted page serves: the active one whose baseUrl host equals the request's
   * Host, else `default`. The Host only selects among configured store views; it never builds a link.
   */
  forHost(host: string | undefined): ResolvedStoreView {
    this.fresh();
    return (host && this.snapshot.byHost.get(host.toLowerCase())) || this.default();
  }

  /**
   * The store view of an email (a job names it, or the customer's own): any store view, active
   * or not; an unknown code (say, a job older than a store view rename) falls back to `default`.
   */
  forEmail(code: string | null | undefined): ResolvedStoreView {
    this.fresh();
    return (code && this.snapshot.resolved.get(code)) || this.default();
  }

  /** Like {@link forEmail}, but first reloads once when the code is not known here yet (a store view created a moment ago on another instance). */
  async forEmailFresh(code: string | null | undefined): Promise<ResolvedStoreView> {
    if (code && !this.snapshot.rows.has(code)) await this.reload().catch((e) => this.logger.warn(`Stores reload failed: ${e}`));
    return this.forEmail(code);
  }

  get(code: string): ResolvedStoreView | undefined {
    this.fresh();
    return this.snapshot.resolved.get(code);
  }

  private default(): ResolvedStoreView {
    return this.snapshot.resolved.get(DEFAULT_STORE_VIEW) ?? this.inheritedDefault();
  }

  /** Before the first load (or with the row missing): the one-store values, as before stores existed. */
  private inheritedDefault(): ResolvedStoreView {
    const row = Object.assign(new StoreView(), { code: DEFAULT_STORE_VIEW, websiteCode: BASE_WEBSITE });
    return resolve(row, this.settings.current(), this.config);
  }

  private resolvedOrThrow(code: string): ResolvedStoreView {
    const view = this.snapshot.resolved.get(code);
    if (!view) throw new Error(`No store view ${code}`);
    return view;
  }

  /** Resolves every view again when the settings they inherit from were reloaded: a few dozen objects, once per change. */
  private fresh(): void {
    const settings = this.settings.current();
    const snap = this.snapshot;
    if (snap.resolvedFor === settings) return;
    snap.resolved = new Map();
    snap.byHost = new Map();
    for (const [code, row] of snap.rows) {
      const view = resolve(row, settings, this.config);
      snap.resolved.set(code, view);
      const host = hostOf(view.baseUrl);
      if (view.isActive && host && !snap.byHost.has(host)) snap.byHost.set(host, view);
    }
    snap.resolvedFor = settings;
  }
}

function emptySnapshot(): Snapshot {
  return { websites: [], rows: new Map(), resolved: new Map(), byHost: new Map() };
}

function hostOf(url: string): string | undefined {
  try {
    return new URL(url).host.toLowerCase();
  } catch {
    return undefined;
  }
}

/** A row's values in force: its own, else the environment's and the settings' (docs/configuration.md, Stores). */
export function resolve(
  row: StoreView,
  settings: Readonly<CustomerPasswordSettings>,
  config: Pick<AppConfig, 'storefrontUrl' | 'mailFrom'>,
): ResolvedStoreView {
  return {
    code: row.code,
    websiteCode: row.websiteCode,
    name: row.name ?? settings.storeName,
    locale: row.locale ?? settings.defaultLocale,
    timezone: row.timezone ?? settings.timezone,
    baseUrl: row.baseUrl ?? config.storefrontUrl,
    mailFrom: row.mailFrom ?? config.mailFrom,
    supportEmail: row.supportEmail ?? settings.supportEmail,
    isActive: row.isActive,
    inherits: STORE_VIEW_BRANDING.filter((field) => row[field] === null || row[field] === undefined),
  };
}
