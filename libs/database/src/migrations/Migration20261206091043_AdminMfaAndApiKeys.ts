import { Migration } from '@mikro-orm/migrations';

export class Migration20261206091043_AdminMfaAndApiKeys extends Migration {
  override async up(): Promise<void> {
    this.addSql(
      `create table "admin_recovery_code" ("id" uuid not null, "admin_id" uuid not null, "code_hash" text not null, "used_at" timestamptz null, "created_at" timestamptz not null default now(), constraint "admin_recovery_code_pkey" primary key ("id"));`,
    );
    this.addSql(`alter table "admin_recovery_code" add constraint "admin_recovery_code_admin_hash_key" unique ("admin_id", "code_hash");`);

    this.addSql(
      `create table "admin_mfa_factor" ("id" uuid not null, "admin_id" uuid not null, "kind" text check ("kind" in ('totp', 'webauthn')) not null, "name" text not null default '', "secret_box" text null, "last_step" int null, "credential_id" text null, "public_key" text null, "sign_count" bigint null, "backed_up" boolean null, "transports" jsonb null, "confirmed_at" timestamptz null, "last_used_at" timestamptz null, "created_at" timestamptz not null default now(), constraint "admin_mfa_factor_pkey" primary key ("id"));`,
    );
    this.addSql(`create index "admin_mfa_factor_admin_idx" on "admin_mfa_factor" ("admin_id");`);
    this.addSql(`alter table "admin_mfa_factor" add constraint "admin_mfa_factor_credential_id_key" unique ("credential_id");`);
    this.addSql(`create unique index "admin_mfa_factor_one_totp_idx" on "admin_mfa_factor" ("admin_id") where kind = 'totp';`);

    this.addSql(
      `create table "admin_api_key" ("id" uuid not null, "admin_id" uuid not null, "name" text not null, "key_hash" text not null, "permissions" jsonb not null, "expires_at" timestamptz not null, "last_used_at" timestamptz null, "revoked_at" timestamptz null, "created_at" timestamptz not null default now(), constraint "admin_api_key_pkey" primary key ("id"));`,
    );
    this.addSql(`create index "admin_api_key_admin_idx" on "admin_api_key" ("admin_id");`);
    this.addSql(`alter table "admin_api_key" add constraint "admin_api_key_key_hash_key" unique ("key_hash");`);

    this.addSql(
      `alter table "admin_recovery_code" add constraint "admin_recovery_code_admin_id_foreign" foreign key ("admin_id") references "admin_user" ("id") on update cascade on delete cascade;`,
    );

    this.addSql(
      `alter table "admin_mfa_factor" add constraint "admin_mfa_factor_admin_id_foreign" foreign key ("admin_id") references "admin_user" ("id") on update cascade on delete cascade;`,
    );

    this.addSql(
      `alter table "admin_api_key" add constraint "admin_api_key_admin_id_foreign" foreign key ("admin_id") references "admin_user" ("id") on update cascade on delete cascade;`,
    );
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists "admin_recovery_code" cascade;`);

    this.addSql(`drop table if exists "admin_mfa_factor" cascade;`);

    this.addSql(`drop table if exists "admin_api_key" cascade;`);
  }
}
