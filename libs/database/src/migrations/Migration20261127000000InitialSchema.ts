import { Migration } from '@mikro-orm/migrations';

/**
 * Initial schema. Written by hand so that every constraint and index is deliberate:
 * token tables hold only SHA-256 hashes, looked up through unique indexes.
 */
export class Migration20261127000000InitialSchema extends Migration {
  override async up(): Promise<void> {
    this.addSql(`
      create table customer (
        id uuid primary key,
        email text not null,
        password_hash text not null,
        first_name text not null,
        last_name text not null,
        locale text not null default 'en',
        failed_login_count integer not null default 0,
        locked_until timestamptz null,
        password_changed_at timestamptz not null default now(),
        created_at timestamptz not null default now(),
        updated_at timestamptz not null default now(),
        constraint customer_email_unique unique (email)
      );`);
    this.addSql(`
      create table password_reset_token (
        id uuid primary key,
        customer_id uuid not null references customer (id) on delete cascade,
        token_hash char(64) not null,
        origin text not null check (origin in ('storefront', 'admin')),
        created_at timestamptz not null default now(),
        expires_at timestamptz not null,
        used_at timestamptz null,
        constraint password_reset_token_hash_unique unique (token_hash)
      );`);
    this.addSql(`create index password_reset_token_customer_idx on password_reset_token (customer_id);`);
    this.addSql(`
      create table access_token (
        id uuid primary key,
        customer_id uuid not null references customer (id) on delete cascade,
        token_hash char(64) not null,
        created_at timestamptz not null default now(),
        expires_at timestamptz not null,
        revoked_at timestamptz null,
        constraint access_token_hash_unique unique (token_hash)
      );`);
    // Force Sign-In and activeTokenCount only ever look at live tokens of one customer.
    this.addSql(`create index access_token_customer_active_idx on access_token (customer_id) where revoked_at is null;`);
    this.addSql(`
      create table settings (
        id smallint primary key check (id = 1),
        values jsonb not null default '{}'::jsonb,
        updated_at timestamptz not null default now()
      );`);
    this.addSql(`insert into settings (id, values) values (1, '{}'::jsonb) on conflict do nothing;`);
    this.addSql(`
      create table outbox_message (
        id uuid primary key,
        job_name text not null,
        payload jsonb not null,
        created_at timestamptz not null default now(),
        relayed_at timestamptz null
      );`);
    this.addSql(`create index outbox_message_pending_idx on outbox_message (created_at) where relayed_at is null;`);
  }

  override async down(): Promise<void> {
    this.addSql('drop table if exists outbox_message, settings, access_token, password_reset_token, customer cascade;');
  }
}
