import { Migration } from '@mikro-orm/migrations';

/** Admin users (their own table, never mixed with customers), the admin audit log, and the grid's order. */
export class Migration20261127100000AdminAccess extends Migration {
  override async up(): Promise<void> {
    this.addSql(`
      create table admin_user (
        id uuid primary key,
        email text not null,
        password_hash text not null,
        role text not null check (role in ('administrator', 'support')),
        created_at timestamptz not null default now(),
        updated_at timestamptz not null default now(),
        constraint admin_user_email_unique unique (email)
      );`);
    // No foreign keys: the trail must outlive the admin and the customer it names.
    this.addSql(`
      create table admin_audit_event (
        id bigint generated always as identity primary key,
        admin_id uuid null,
        admin_email text not null,
        action text not null,
        customer_id uuid null,
        client_ip text null,
        details jsonb not null default '{}'::jsonb,
        created_at timestamptz not null default now()
      );`);
    this.addSql(`create index admin_audit_event_customer_idx on admin_audit_event (customer_id, id desc) where customer_id is not null;`);
    // The admin grid lists customers newest first, with id as the tie-breaker for a stable order.
    this.addSql(`create index customer_created_at_idx on customer (created_at desc, id);`);
  }

  override async down(): Promise<void> {
    this.addSql('drop index if exists customer_created_at_idx;');
    this.addSql('drop table if exists admin_audit_event, admin_user;');
  }
}
