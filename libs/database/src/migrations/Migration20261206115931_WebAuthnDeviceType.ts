import { Migration } from '@mikro-orm/migrations';

export class Migration20261206115931_WebAuthnDeviceType extends Migration {
  override async up(): Promise<void> {
    this.addSql(`alter table "admin_mfa_factor" add column "credential_device_type" text null;`);
  }

  override async down(): Promise<void> {
    this.addSql(`alter table "admin_mfa_factor" drop column "credential_device_type";`);
  }
}
