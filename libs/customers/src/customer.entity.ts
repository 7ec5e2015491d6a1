import { Entity, Index, PrimaryKey, Property, Unique } from '@mikro-orm/core';
import { randomUUID } from 'node:crypto';

@Entity({ tableName: 'customer' })
// The admin grid lists customers newest first, with id as the tie-breaker for a stable order.
@Index({ name: 'customer_created_at_idx', expression: 'create index "customer_created_at_idx" on "customer" ("created_at" desc, "id")' })
// One account per email in each website (docs/api.md, Stores); with accountSharingScope = global the
// service also refuses an email another website has. Email first, so look-ups by email alone use it too.
@Unique({ name: 'customer_email_website_code_unique', properties: ['email', 'websiteCode'] })
export class Customer {
  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  /** Normalized by normalizeEmail(); reset emails go to this stored address, never a typed one. */
  @Property({ type: 'text' })
  email!: string;

  /** The website the account belongs to (where it registered); `base` for accounts older than websites. */
  @Property({ type: 'text', default: 'base' })
  websiteCode: string = 'base';

  /** The store view it registered in: the store view of its admin-initiated and confirmation emails. */
  @Property({ type: 'text', default: 'default' })
  storeViewCode: string = 'default';

  /** argon2id PHC string. Never leaves the service. */
  @Property({ type: 'text', hidden: true, lazy: false })
  passwordHash!: string;

  @Property({ type: 'text' })
  firstName!: string;

  @Property({ type: 'text' })
  lastName!: string;

  @Property({ type: 'text', default: 'en' })
  locale: string = 'en';

  @Property({ type: 'integer', default: 0 })
  failedLoginCount: number = 0;

  @Property({ type: 'timestamptz', nullable: true })
  lockedUntil: Date | null = null;

  /** When customers:invite sent the account-invitation email (accounts without a usable password); null: not yet. */
  @Property({ type: 'timestamptz', nullable: true })
  invitedAt: Date | null = null;

  @Property({ type: 'timestamptz', defaultRaw: 'now()' })
  passwordChangedAt: Date = new Date();

  @Property({ type: 'timestamptz', defaultRaw: 'now()' })
  createdAt: Date = new Date();

  @Property({ type: 'timestamptz', defaultRaw: 'now()', onUpdate: () => new Date() })
  updatedAt: Date = new Date();
}

/** What a customer, or an admin, may see of an account: no secrets. */
export interface CustomerView {
  id: string;
  email: string;
  firstName: string;
  lastName: string;
  locale: string;
  websiteCode: string;
  storeViewCode: string;
  createdAt: string;
}

export function toCustomerView(customer: Pick<Customer, keyof CustomerView | 'createdAt'>): CustomerView {
  return {
    id: customer.id,
    email: customer.email,
    firstName: customer.firstName,
    lastName: customer.lastName,
    locale: customer.locale,
    websiteCode: customer.websiteCode,
    storeViewCode: customer.storeViewCode,
    createdAt: new Date(customer.createdAt).toISOString(),
  };
}
