import { Migration } from '@mikro-orm/migrations';

/**
 * webhook_delivery_created_at_idx served only the retention purge, which now reads each endpoint's
 * deliveries through webhook_delivery_endpoint_created_idx: one index fewer for every delivery's
 * insert, claim and outcome to write. DROP INDEX takes the table's ACCESS EXCLUSIVE lock for a moment
 * (no scan); `down` rebuilds the index, which reads the whole table under a SHARE lock (writes wait:
 * on a large live table, run `create index concurrently` by hand first, as docs/operations.md says
 * for the retention indexes; a migration runs in a transaction, where CONCURRENTLY is not possible).
 */
export class Migration20261207134000_WebhookDeliveryNoCreatedAtIndex extends Migration {
  override async up(): Promise<void> {
    this.addSql(`drop index if exists "webhook_delivery_created_at_idx";`);
  }

  override async down(): Promise<void> {
    this.addSql(`create index if not exists "webhook_delivery_created_at_idx" on "webhook_delivery" ("created_at");`);
  }
}
