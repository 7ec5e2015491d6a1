import { LockMode } from '@mikro-orm/core';
import { EntityManager } from '@mikro-orm/postgresql';
import { Inject, Injectable, Logger, OnApplicationShutdown, OnModuleInit } from '@nestjs/common';
import { APP_CONFIG, AppConfig } from '@customer-access/config';
import { REDIS_CLIENT, RedisConnectionFactory, RedisConnection, SETTINGS_CHANGED_CHANNEL } from '@customer-access/redis';
import { CustomerPasswordSettings, CustomerPasswordSettingsPatch, DEFAULT_SETTINGS, mergeWithDefaults } from './customer-password-settings';
import { SETTINGS_ROW_ID, SettingsRow } from './settings.entity';

export { mergeWithDefaults } from './customer-password-settings';

/**
 * Settings are read on hot paths (every forgot request), so each process keeps them in memory.
 * Freshness: a change published on RedisConnection makes every instance reload at once; a periodic reload
 * (SETTINGS_REFRESH_MS) is the backstop for a missed message or a change made directly in SQL.
 */
@Injectable()
export class SettingsService implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger(SettingsService.name);
  private settings: CustomerPasswordSettings = { ...DEFAULT_SETTINGS };
  /**
   * When the version in force was stored (its row's updated_at, ms; -Infinity for the defaults, NaN
   * before the first), and how many times one came into force.
   */
  private storedAtInForce = NaN;
  private changesInForce = 0;
  private timer?: NodeJS.Timeout;
  private subscriber?: RedisConnection;
  /** Other per-process copies of admin-edited data (the store views) that reload with the settings. */
  private readonly followers: Array<() => Promise<void>> = [];

  constructor(
    private readonly em: EntityManager,
    private readonly redisFactory: RedisConnectionFactory,
    @Inject(REDIS_CLIENT) private readonly redis: RedisConnection,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async onModuleInit(): Promise<void> {
    await this.reload();
    this.timer = setInterval(() => void this.reloadAll(), this.config.settingsRefreshMs);
    this.timer.unref();
    this.subscriber = this.redisFactory.createSubscriber('settings-subscriber');
    this.subscriber.on('message', () => void this.reloadAll());
    await this.subscriber.subscribe(SETTINGS_CHANGED_CHANNEL).catch((e) => this.logger.warn(`Settings subscription failed: ${e}`));
  }

  onApplicationShutdown(): void {
    if (this.timer) clearInterval(this.timer);
  }

  /**
   * Makes `reload` run whenever the settings reload on a broadcast or on the periodic backstop, so
   * that other admin-edited data cached per process (the store views) reaches every instance the
   * same way and as fast. A change to such data is announced with {@link broadcast}.
   */
  follow(reload: () => Promise<void>): void {
    this.followers.push(reload);
  }

  /** Tells every instance to reload the settings and what follows them. */
  async broadcast(): Promise<void> {
    await this.redis
      .publish(SETTINGS_CHANGED_CHANNEL, '1')
      .catch((e) =>
        this.logger.warn(`Could not broadcast the settings change (instances reload within ${this.config.settingsRefreshMs} ms): ${e}`),
      );
  }

  private async reloadAll(): Promise<void> {
    await this.reload().catch((e) => this.logger.warn(`Settings reload failed: ${e}`));
    for (const follower of this.followers) await follower().catch((e) => this.logger.warn(`Reload after the settings failed: ${e}`));
  }

  /** The settings in force in this process; synchronous so that hot paths never wait. */
  current(): Readonly<CustomerPasswordSettings> {
    return this.settings;
  }

  async reload(): Promise<CustomerPasswordSettings> {
    const changesBefore = this.changesInForce;
    const row = await this.em.fork().findOne(SettingsRow, { id: SETTINGS_ROW_ID });
    const storedAt = row ? new Date(row.updatedAt).getTime() : -Infinity;
    // A newer version came into force while this read was in flight (this process's own update, or
    // a reload that read later and answered first): what this read found is older, so it stays out.
    if (this.changesInForce !== changesBefore && storedAt < this.storedAtInForce) return this.settings;
    this.putInForce(this.withDefaults(row?.values ?? {}), storedAt);
    return this.settings;
  }

  /**
   * Puts a version in force, with one log line per stored version that comes into force here, so
   * that operators (and the e2e harness, which waits for it instead of sleeping) can see when a
   * change reached this process.
   */
  private putInForce(settings: CustomerPasswordSettings, storedAt: number): void {
    const isNewVersion = storedAt !== this.storedAtInForce;
    this.settings = settings;
    this.storedAtInForce = storedAt;
    this.changesInForce++;
    if (isNewVersion) {
      this.logger.log(`Settings in force: version ${storedAt === -Infinity ? 'defaults' : new Date(storedAt).toISOString()}`);
    }
  }

  /**
   * Applies a validated partial update and tells every instance. Returns the settings in force.
   * `alsoInTransaction` runs in the same transaction with the settings before and after (the admin
   * audit record), so the change and its record commit together or not at all. The row is locked
   * meanwhile, so concurrent changes queue up and each sees the previous one as "before".
   */
  async update(
    patch: CustomerPasswordSettingsPatch,
    alsoInTransaction?: (em: EntityManager, before: CustomerPasswordSettings, after: CustomerPasswordSettings) => Promise<void>,
  ): Promise<CustomerPasswordSettings> {
    const clean = Object.fromEntries(Object.entries(patch).filter(([, v]) => v !== undefined));
    let updatedAt: Date | undefined;
    const settings = await this.em.fork().transactional(async (tx) => {
      const row =
        (await tx.findOne(SettingsRow, { id: SETTINGS_ROW_ID }, { lockMode: LockMode.PESSIMISTIC_WRITE })) ??
        tx.create(SettingsRow, { id: SETTINGS_ROW_ID, values: {}, updatedAt: new Date() });
      const before = this.withDefaults(row.values);
      row.values = { ...row.values, ...clean };
      row.updatedAt = updatedAt = new Date();
      const after = this.withDefaults(row.values);
      await tx.flush();
      await alsoInTransaction?.(tx, before, after);
      return after;
    });
    this.putInForce(settings, (updatedAt as Date).getTime());
    await this.broadcast();
    return settings;
  }

  private withDefaults(stored: Partial<CustomerPasswordSettings>): CustomerPasswordSettings {
    return mergeWithDefaults(stored, (key, value) =>
      this.logger.warn(`Ignoring invalid stored setting ${key}=${JSON.stringify(value)}; using the default`),
    );
  }
}
