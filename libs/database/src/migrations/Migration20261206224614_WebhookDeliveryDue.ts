import { Migration } from '@mikro-orm/migrations';

export class Migration20261206224614_WebhookDeliveryDue extends Migration {
  override async up(): Promise<void> {
    this.addSql(`create index "webhook_delivery_due_idx" on "webhook_delivery" ("next_attempt_at") where status = 'pending';`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop index "webhook_delivery_due_idx";`);
  }
}
