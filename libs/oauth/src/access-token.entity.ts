import { Entity, Index, PrimaryKey, Property } from '@mikro-orm/core';
import { randomUUID } from 'node:crypto';

/**
 * When a token stopped working: its revocation or its expiry, whichever came first (least() skips
 * a null revoked_at). The retention purge deletes by it, through the index below.
 */
export const ACCESS_TOKEN_RETIRED_AT = 'least(expires_at, revoked_at)';

/** An OAuth access token a customer (or an integration acting for them) obtained. Hash only. */
@Entity({ tableName: 'access_token' })
@Index({
  name: 'access_token_retired_at_idx',
  expression: `create index access_token_retired_at_idx on access_token (${ACCESS_TOKEN_RETIRED_AT})`,
})
export class AccessToken {
  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  @Property({ type: 'uuid' })
  customerId!: string;

  /** SHA-256 (hex) of the bearer token; the token itself is never stored. */
  @Property({ type: 'character', length: 64, hidden: true })
  tokenHash!: string;

  @Property({ type: 'timestamptz' })
  createdAt: Date = new Date();

  @Property({ type: 'timestamptz' })
  expiresAt!: Date;

  @Property({ type: 'timestamptz', nullable: true })
  revokedAt: Date | null = null;
}
