import { Entity, Index, ManyToOne, PrimaryKey, Property } from '@mikro-orm/core';
import { randomUUID } from 'node:crypto';
import { Customer } from '@customer-access/customers';

/**
 * When a token stopped working: its revocation or its expiry, whichever came first (least() skips
 * a null revoked_at). The retention purge deletes by it, through the index below.
 */
export const ACCESS_TOKEN_RETIRED_AT = 'least(expires_at, revoked_at)';

/** An OAuth access token a customer (or an integration acting for them) obtained. Hash only. */
@Entity({ tableName: 'access_token' })
// Force Sign-In and activeTokenCount only ever look at live tokens of one customer.
@Index({
  name: 'access_token_customer_active_idx',
  expression: 'create index "access_token_customer_active_idx" on "access_token" ("customer_id") where revoked_at is null',
})
// The retention purge deletes through this one.
@Index({
  name: 'access_token_retired_at_idx',
  expression: `create index "access_token_retired_at_idx" on "access_token" (${ACCESS_TOKEN_RETIRED_AT})`,
})
export class AccessToken {
  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  @ManyToOne(() => Customer, {
    fieldName: 'customer_id',
    mapToPk: true,
    deleteRule: 'cascade',
    updateRule: 'no action',
    foreignKeyName: 'access_token_customer_id_fkey',
  })
  customerId!: string;

  /** SHA-256 (hex) of the bearer token; the token itself is never stored. */
  @Property({ type: 'character', length: 64, hidden: true, unique: 'access_token_hash_unique' })
  tokenHash!: string;

  @Property({ type: 'timestamptz', defaultRaw: 'now()' })
  createdAt: Date = new Date();

  @Property({ type: 'timestamptz' })
  expiresAt!: Date;

  @Property({ type: 'timestamptz', nullable: true })
  revokedAt: Date | null = null;
}
