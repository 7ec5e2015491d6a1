import { Migration } from '@mikro-orm/migrations';

/**
 * webhook_delivery_pending_idx served only the pending metrics, which webhook_delivery_due_idx (the
 * same predicate) serves too: one index fewer for every delivery's insert and claim to write.
 * DROP INDEX takes the table's ACCESS EXCLUSIVE lock for a moment (no scan); `down` rebuilds the
 * index, which reads the whole table under a SHARE lock (writes wait: on a large live table, run
 * `create index concurrently` by hand instead, as docs/operations.md says for the retention indexes).
 */
export class Migration20261207133000_WebhookDeliveryNoPendingIndex extends Migration {
  override async up(): Promise<void> {
    this.addSql(`drop index if exists "webhook_delivery_pending_idx";`);
  }

  override async down(): Promise<void> {
    this.addSql(`create index if not exists "webhook_delivery_pending_idx" on "webhook_delivery" ("created_at") where status = 'pending';`);
  }
}
