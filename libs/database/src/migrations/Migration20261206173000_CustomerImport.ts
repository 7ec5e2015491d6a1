import { Migration } from '@mikro-orm/migrations';

/**
 * customers:import and customers:invite (docs/importing.md): the unlogged staging table each import
 * batch is COPYed into (emptied in the batch's own transaction), and when a customer without a
 * usable password was invited (and the account-invitation template in the delivery log), so that an interrupted customers:invite resumes without sending twice.
 */
export class Migration20261206173000_CustomerImport extends Migration {
  override async up(): Promise<void> {
    this.addSql(
      `create unlogged table "customer_import_staging" ("batch_id" uuid not null, "line" int not null, "email" text not null, "website_code" text not null, "store_view_code" text not null, "first_name" text not null, "last_name" text not null, "locale" text not null, "password_hash" text not null, "created_at" timestamptz null, constraint "customer_import_staging_pkey" primary key ("batch_id", "line"));`,
    );
    this.addSql(`alter table "customer" add column "invited_at" timestamptz null;`);
    this.addSql(`alter table "email_log" drop constraint if exists "email_log_template_check";`);
    this.addSql(
      `alter table "email_log" add constraint "email_log_template_check" check("template" in ('password-reset', 'admin-password-reset', 'password-changed', 'email-changed', 'account-invitation'));`,
    );
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists "customer_import_staging" cascade;`);
    this.addSql(`alter table "customer" drop column "invited_at";`);
    this.addSql(`alter table "email_log" drop constraint if exists "email_log_template_check";`);
    this.addSql(
      `alter table "email_log" add constraint "email_log_template_check" check("template" in ('password-reset', 'admin-password-reset', 'password-changed', 'email-changed'));`,
    );
  }
}
