import { Migration } from '@mikro-orm/migrations';

/**
 * customers:import COPYs each batch's new customers straight into `customer` after one select of the
 * addresses that already have an account (docs/importing.md): the UNLOGGED staging table it COPYed
 * into before is no longer used.
 */
export class Migration20261206232900_DropCustomerImportStaging extends Migration {
  override async up(): Promise<void> {
    this.addSql(`drop table if exists "customer_import_staging" cascade;`);
  }

  override async down(): Promise<void> {
    this.addSql(
      `create unlogged table "customer_import_staging" ("batch_id" uuid not null, "line" int4 not null, "email" text not null, "website_code" text not null, "store_view_code" text not null, "first_name" text not null, "last_name" text not null, "locale" text not null, "password_hash" text not null, "created_at" timestamptz(6) null, constraint "customer_import_staging_pkey" primary key ("batch_id", "line"));`,
    );
  }
}
