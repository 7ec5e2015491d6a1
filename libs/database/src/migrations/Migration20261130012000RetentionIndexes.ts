import { Migration } from '@mikro-orm/migrations';

/**
 * Indexes the retention purge deletes through (README "Data retention"): each batch is a range
 * scan of one of these, never a sequential scan of the table.
 *
 * `if not exists`: on a large installation, build them beforehand without blocking writes
 * (`create index concurrently if not exists ...`, same names and columns, README "Upgrading"); this
 * migration then finds them and takes no lock. Built here inside the migration's transaction, an
 * index on a big access_token blocks sign-ins for as long as the build takes.
 */
export class Migration20261130012000RetentionIndexes extends Migration {
  override async up(): Promise<void> {
    this.addSql('create index if not exists access_token_retired_at_idx on access_token (least(expires_at, revoked_at));');
    this.addSql('create index if not exists password_reset_token_expires_at_idx on password_reset_token (expires_at);');
    this.addSql('create index if not exists admin_audit_event_created_at_idx on admin_audit_event (created_at);');
    this.addSql('create index if not exists outbox_message_relayed_at_idx on outbox_message (relayed_at);');
  }

  override async down(): Promise<void> {
    this.addSql('drop index if exists access_token_retired_at_idx;');
    this.addSql('drop index if exists password_reset_token_expires_at_idx;');
    this.addSql('drop index if exists admin_audit_event_created_at_idx;');
    this.addSql('drop index if exists outbox_message_relayed_at_idx;');
  }
}
