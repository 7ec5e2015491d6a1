import { Migration } from '@mikro-orm/migrations';

export class Migration20261206125500_Stores extends Migration {
  override async up(): Promise<void> {
    this.addSql(
      `create table "store_view" ("code" text not null, "website_code" text not null, "name" text null, "locale" text null, "timezone" text null, "base_url" text null, "mail_from" text null, "support_email" text null, "is_active" boolean not null default true, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), constraint "store_view_pkey" primary key ("code"), constraint store_view_code_check check (code ~ '^[a-z][a-z0-9_]{0,31}$'));`,
    );
    this.addSql(`create index "store_view_website_code_idx" on "store_view" ("website_code");`);

    this.addSql(
      `create table "website" ("code" text not null, "name" text not null, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), constraint "website_pkey" primary key ("code"), constraint website_code_check check (code ~ '^[a-z][a-z0-9_]{0,31}$'));`,
    );

    // Every installation has website base with store view default. The default store view's branding
    // columns are null: it inherits STOREFRONT_URL, MAIL_FROM and the settings, so nothing a one-store
    // shop sees changes (docs/configuration.md, Stores).
    this.addSql(`insert into "website" ("code", "name") values ('base', 'Main Website');`);
    this.addSql(`insert into "store_view" ("code", "website_code") values ('default', 'base');`);

    this.addSql(`alter table "customer" drop constraint "customer_email_unique";`);

    this.addSql(
      `alter table "customer" add column "website_code" text not null default 'base', add column "store_view_code" text not null default 'default';`,
    );
    this.addSql(`alter table "customer" add constraint "customer_email_website_code_unique" unique ("email", "website_code");`);

    this.addSql(`alter table "email_log" add column "store_view_code" text null;`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists "store_view" cascade;`);

    this.addSql(`drop table if exists "website" cascade;`);

    this.addSql(`alter table "customer" drop constraint "customer_email_website_code_unique";`);
    this.addSql(`alter table "customer" drop column "website_code", drop column "store_view_code";`);

    this.addSql(`alter table "customer" add constraint "customer_email_unique" unique ("email");`);

    this.addSql(`alter table "email_log" drop column "store_view_code";`);
  }
}
