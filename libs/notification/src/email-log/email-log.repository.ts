import { EntityManager } from '@mikro-orm/postgresql';
import { Injectable } from '@nestjs/common';
import { GroupCommit, GroupCommitLinger, preparedRows, runStatement } from '@customer-access/database';
import { DeliveryAttempt, EmailLogSql, QueuedEmail } from './email-log.queries';

/**
 * How long a delivery-log write waits for those of other jobs to share its statement and commit, and
 * how many make it go at once: without a wait, at most one statement in flight still left groups of
 * one or two (docs/performance.md, worker). A job completes once its row is stored, so this adds up
 * to 2 ms to a job, little beside its SMTP round trip.
 */
export const ATTEMPT_LINGER: GroupCommitLinger = { ms: 2, enough: 8 };

/** The only door for writes to the email_log table (reads for admins: the admin lib's EmailTimelineRepository). */
@Injectable()
export class EmailLogRepository {
  private readonly attempts = new GroupCommit<DeliveryAttempt>((batch) => this.upsertAttempts(batch), { linger: ATTEMPT_LINGER });

  constructor(private readonly em: EntityManager) {}

  /** An email the API has just asked for (admin reset): `queued`, in the caller's transaction. */
  async insertQueued(email: QueuedEmail, em: EntityManager = this.em): Promise<void> {
    await runStatement(em, EmailLogSql.insertQueued(email));
  }

  /**
   * The outcome of one delivery attempt: creates the row on the first attempt of an email the API
   * did not log (storefront resets, confirmations: the forgot route does no database work), updates
   * it on later ones. `requested_at` of an existing row is kept; the last error stays after a later
   * success, so the timeline tells why it took several attempts. Resolves once the row is stored.
   *
   * Performance (docs/performance.md, worker): the attempts of the worker's concurrent jobs are written
   * together (GroupCommit): one statement per batch instead of one per email.
   */
  recordAttempt(attempt: DeliveryAttempt): Promise<void> {
    return this.attempts.write(attempt);
  }

  /**
   * A named prepared statement on a pooled connection (preparedRows): its text is the same for any
   * number of attempts, so each connection parses and plans it once (docs/performance.md, worker).
   */
  private async upsertAttempts(batch: DeliveryAttempt[]): Promise<void> {
    await preparedRows(this.em, EmailLogSql.upsertAttempts(latestAttemptPerEmail(batch)));
  }
}

/**
 * One row per email in a statement (PostgreSQL refuses to update a row twice in one upsert): should
 * two attempts of the same email meet in a batch (a stalled job run twice), the later one wins,
 * keeping the earlier error as the row would.
 */
function latestAttemptPerEmail(batch: DeliveryAttempt[]): DeliveryAttempt[] {
  const byId = new Map<string, DeliveryAttempt>();
  for (const attempt of batch) {
    const earlier = byId.get(attempt.id);
    byId.set(attempt.id, earlier ? { ...attempt, lastError: attempt.lastError ?? earlier.lastError } : attempt);
  }
  return [...byId.values()];
}
