import { ModuleMetadata, Provider, Type } from '@nestjs/common';
import { Test, TestingModule } from '@nestjs/testing';
import Redis from 'ioredis';
import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { APP_CONFIG, AppConfig, ConfigModule, loadConfig } from '@customer-access/config';
import { DatabaseModule } from '@customer-access/database';
import { RedisModule } from '@customer-access/redis';
import { PwnedRangeServer } from '../../support/pwned-range-server';
import { claimRedisDb } from '../../support/stack';
import { createMediumDatabase } from './database';

const REDIS_BASE_URL = process.env.E2E_REDIS_URL ?? 'redis://127.0.0.1:6379';

export interface Medium {
  module: TestingModule;
  config: AppConfig;
  /** Direct SQL, for arranging rows and checking effects. */
  db: Client;
  /** The claimed Redis db, for checking keys. */
  redis: Redis;
  get<T>(token: Type<T> | string | symbol): T;
  close(): Promise<void>;
}

export interface MediumOptions {
  imports?: ModuleMetadata['imports'];
  providers?: Provider[];
  /** Environment on top of the medium defaults (DATABASE_URL and REDIS_URL are set per file). */
  env?: Record<string, string>;
  /** Replace providers (e.g. the mail sender) with test doubles. */
  overrides?: Array<{ token: unknown; useValue: unknown }>;
}

/**
 * One medium test file's world: a fresh database migrated with the committed migrations
 * (createMediumDatabase), a claimed
 * empty Redis db, and a Nest module of the given libs wired as the apps wire them (ConfigModule,
 * DatabaseModule, RedisModule always), initialized (onModuleInit ran). `close` drops it all.
 */
export async function startMedium(options: MediumOptions = {}): Promise<Medium> {
  const cleanups: Array<() => Promise<unknown>> = [];
  const close = async () => {
    for (const cleanup of cleanups.reverse()) await cleanup().catch(() => undefined);
  };
  try {
    const database = await createMediumDatabase();
    cleanups.push(() => database.close());
    const databaseUrl = database.url;
    const claim = await claimRedisDb();
    cleanups.push(async () => {
      const flush = new Redis(`${REDIS_BASE_URL}/${claim.index}`, { maxRetriesPerRequest: 1 });
      await flush.flushdb().finally(() => flush.disconnect());
      await claim.release();
    });
    // New passwords are checked against a range API on loopback, never the internet.
    const pwned = await PwnedRangeServer.start();
    cleanups.push(() => pwned.stop());
    const config = loadConfig({
      NODE_ENV: 'test',
      PWNED_PASSWORDS_URL: pwned.url,
      LOG_LEVEL: 'silent',
      DATABASE_URL: databaseUrl,
      REDIS_URL: `${REDIS_BASE_URL}/${claim.index}`,
      SETTINGS_REFRESH_MS: '60000',
      WORKER_METRICS_PORT: '0',
      ...options.env,
    });
    let builder = Test.createTestingModule({
      imports: [ConfigModule, DatabaseModule, RedisModule, ...(options.imports ?? [])],
      providers: options.providers ?? [],
    })
      .overrideProvider(APP_CONFIG)
      .useValue(config);
    for (const { token, useValue } of options.overrides ?? []) builder = builder.overrideProvider(token).useValue(useValue);
    const module = await builder.compile();
    await module.init();
    cleanups.push(() => module.close());
    const db = database.client;
    const redis = new Redis(`${REDIS_BASE_URL}/${claim.index}`, { maxRetriesPerRequest: 1 });
    cleanups.push(async () => redis.disconnect());
    return { module, config, db, redis, get: (token) => module.get(token, { strict: false }), close };
  } catch (error) {
    await close();
    throw error;
  }
}

/** A customer row inserted directly (fast: a fixed, pre-computed hash unless one is given). */
export async function insertCustomer(
  db: Client,
  fields: { email?: string; passwordHash?: string; failedLoginCount?: number; lockedUntil?: Date | null } = {},
): Promise<{ id: string; email: string }> {
  const email = fields.email ?? `c-${randomBytes(6).toString('hex')}@medium.test`;
  const rows = await db.query<{ id: string }>(
    `insert into customer (id, email, password_hash, first_name, last_name, failed_login_count, locked_until)
     values (gen_random_uuid(), $1, $2, 'Medium', 'Test', $3, $4) returning id`,
    [email, fields.passwordHash ?? '$argon2id$v=19$m=19456,t=2,p=1$placeholder', fields.failedLoginCount ?? 0, fields.lockedUntil ?? null],
  );
  return { id: rows.rows[0].id, email };
}
