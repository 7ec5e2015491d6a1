import { Entity, Index, PrimaryKey, Property } from '@mikro-orm/core';
import { randomUUID } from 'node:crypto';

/**
 * A job to enqueue, written in the same transaction as the database change it follows, so that
 * a crash between commit and enqueue cannot lose it (transactional outbox).
 */
@Entity({ tableName: 'outbox_message' })
// The sweep reads the oldest pending messages.
@Index({
  name: 'outbox_message_pending_idx',
  expression: 'create index "outbox_message_pending_idx" on "outbox_message" ("created_at") where relayed_at is null',
})
export class OutboxMessage {
  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  @Property({ type: 'text' })
  jobName!: string;

  @Property({ type: 'json' })
  payload!: Record<string, unknown>;

  @Property({ type: 'timestamptz', defaultRaw: 'now()' })
  createdAt: Date = new Date();

  /** Indexed for the retention purge, which deletes relayed messages a day after their relay. */
  @Index({ name: 'outbox_message_relayed_at_idx' })
  @Property({ type: 'timestamptz', nullable: true })
  relayedAt: Date | null = null;
}
