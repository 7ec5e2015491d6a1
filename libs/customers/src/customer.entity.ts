import { Entity, Index, PrimaryKey, Property } from '@mikro-orm/core';
import { randomUUID } from 'node:crypto';

@Entity({ tableName: 'customer' })
// The admin grid lists customers newest first, with id as the tie-breaker for a stable order.
@Index({ name: 'customer_created_at_idx', expression: 'create index "customer_created_at_idx" on "customer" ("created_at" desc, "id")' })
export class Customer {
  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  /** Normalized by normalizeEmail(); reset emails go to this stored address, never a typed one. */
  @Property({ type: 'text', unique: true })
  email!: string;

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
  createdAt: string;
}

export function toCustomerView(customer: Pick<Customer, keyof CustomerView | 'createdAt'>): CustomerView {
  return {
    id: customer.id,
    email: customer.email,
    firstName: customer.firstName,
    lastName: customer.lastName,
    locale: customer.locale,
    createdAt: new Date(customer.createdAt).toISOString(),
  };
}
