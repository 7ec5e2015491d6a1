import { Migration } from '@mikro-orm/migrations';

export class Migration20261206161121_Webhooks extends Migration {
  override async up(): Promise<void> {
    this.addSql(
      `create table "webhook_endpoint" ("id" uuid not null, "url" text not null, "events" jsonb not null, "description" text not null default '', "enabled" boolean not null default true, "disabled_reason" text null, "secret_sealed" text not null, "previous_secret_sealed" text null, "previous_secret_expires_at" timestamptz null, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), constraint "webhook_endpoint_pkey" primary key ("id"));`,
    );

    this.addSql(
      `create table "webhook_delivery" ("id" uuid not null, "event_id" uuid not null, "endpoint_id" uuid not null, "type" text not null, "payload" jsonb not null, "status" text not null default 'pending', "attempts" int not null default 0, "last_response_code" int null, "last_error" text null, "next_attempt_at" timestamptz null, "delivered_at" timestamptz null, "created_at" timestamptz not null default now(), constraint "webhook_delivery_pkey" primary key ("id"));`,
    );
    this.addSql(`create index "webhook_delivery_created_at_idx" on "webhook_delivery" ("created_at");`);
    this.addSql(`create index "webhook_delivery_pending_idx" on "webhook_delivery" ("created_at") where status = 'pending';`);
    this.addSql(`create index "webhook_delivery_endpoint_created_idx" on "webhook_delivery" ("endpoint_id", "created_at" desc);`);
    this.addSql(
      `alter table "webhook_delivery" add constraint "webhook_delivery_event_endpoint_unique" unique ("event_id", "endpoint_id");`,
    );

    this.addSql(
      `alter table "webhook_delivery" add constraint "webhook_delivery_endpoint_id_foreign" foreign key ("endpoint_id") references "webhook_endpoint" ("id") on update cascade on delete cascade;`,
    );
  }

  override async down(): Promise<void> {
    this.addSql(`alter table "webhook_delivery" drop constraint "webhook_delivery_endpoint_id_foreign";`);

    this.addSql(`drop table if exists "webhook_endpoint" cascade;`);

    this.addSql(`drop table if exists "webhook_delivery" cascade;`);
  }
}
