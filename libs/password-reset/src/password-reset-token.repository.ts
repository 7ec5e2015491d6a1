import { EntityManager } from '@mikro-orm/postgresql';
import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { CustomerContact, customerContactFromRow } from '@customer-access/customers';
import { GroupCommit, GroupCommitLinger, preparedRows, Sql } from '@customer-access/database';
import { OutboxService } from '@customer-access/notification';
import { CompleteResetArgs, PasswordResetTokenSql, TokenIssue } from './password-reset-token.queries';
import { ResetOrigin } from './password-reset-token.entity';
import type { UsableResetToken } from './password-reset.service';

type IssueRow = ReturnType<typeof PasswordResetTokenSql.issueForCustomers> extends Sql<infer R> ? R : never;

/** One job's issue in a group, and what became of it (its row, none, or its own error). */
interface IssueWrite {
  issue: TokenIssue;
  row?: IssueRow;
  error?: unknown;
}

/**
 * How long an issue statement waits for those of other jobs to share its commit, and how many make
 * it go at once. The worker's jobs reach the issue one at a time (each after its own Redis fetch),
 * so without a wait batches stay near one (docs/performance.md, worker); 2 ms is little beside an
 * email's SMTP round trip, and a worker runs WORKER_CONCURRENCY (16) jobs at a time.
 */
export const ISSUE_LINGER: GroupCommitLinger = { ms: 2, enough: 8 };

/** Whether a token may still be used; 'spent' = used or superseded, 'unknown' = never issued (or purged). */
export type TokenUsability = 'usable' | 'expired' | 'spent' | 'unknown';

/** The only door to the password_reset_token table. */
@Injectable()
export class PasswordResetTokenRepository {
  private readonly issues: GroupCommit<IssueWrite>;

  constructor(
    private readonly em: EntityManager,
    private readonly outbox: OutboxService,
  ) {
    this.issues = new GroupCommit<IssueWrite>((batch) => this.issueTogether(batch), { maxBatch: 32, linger: ISSUE_LINGER });
  }

  /**
   * The worker's whole database work before a reset email, in ONE statement: finds the customer
   * `customer` names, supersedes their outstanding tokens and stores the new one. Null (and
   * nothing written) when no customer matches. Only the newest link works: the UPDATE and the
   * INSERT see the same snapshot, so the UPDATE never touches the row being inserted.
   *
   * Performance (docs/performance.md, worker): one round trip and no entity hydration per email; a
   * round trip to PostgreSQL costs the worker more CPU (socket writes, wake-ups) than rendering the
   * email does. The issues of concurrent jobs share one statement, one plan and one commit
   * (issueTogether).
   */
  async issueForCustomer(
    customer: TokenIssue['customer'],
    tokenHash: string,
    origin: ResetOrigin,
    ttlHours: number,
  ): Promise<{ customer: CustomerContact; id: string; expiresAt: Date; webhookDeliveries: number; unclaimedDeliveries: number } | null> {
    const id = randomUUID();
    const write: IssueWrite = { issue: { customer, id, tokenHash, origin, ttlHours, eventId: randomUUID() } };
    await this.issues.write(write);
    if (write.error !== undefined) throw write.error;
    const row = write.row;
    if (!row) return null;
    return {
      customer: customerContactFromRow(row),
      id,
      expiresAt: new Date(row.expiresAt),
      webhookDeliveries: row.webhookDeliveries,
      unclaimedDeliveries: row.webhookDeliveries - (row.claimedDeliveries?.length ?? 0),
    };
  }

  /**
   * The issues of concurrent jobs in ONE statement (PasswordResetTokenSql.issueForCustomers), a
   * named prepared statement (preparedRows: its text is the same for any number of issues, so each
   * pooled connection parses and plans it once): one plan and one commit for all. Two jobs of one
   * customer in a group end as if run one at a time (the later token supersedes the earlier).
   * Should the group fail (one bad row rolls the whole statement back), each issue runs again
   * alone, so a failing one fails only its own job and the others are issued once.
   */
  private async issueTogether(batch: IssueWrite[]): Promise<void> {
    try {
      await this.issueEach(batch);
      return;
    } catch (error) {
      if (batch.length === 1) {
        batch[0].error = error;
        return;
      }
    }
    // One at a time, in the group's order: rare (a deadlock with another worker, a lost connection).
    for (const write of batch) {
      try {
        await this.issueEach([write]);
      } catch (error) {
        write.error = error;
      }
    }
  }

  /**
   * In a worker, the events' deliveries are inserted already claimed for its deliverer, as many as
   * it has room for (OutboxService.reserveWebhookClaims), and handed to it once the statement has
   * committed: no claim statement for them. Should the process die in between, their claims lapse
   * and any worker sends them (at least once, as after any claim).
   */
  private async issueEach(batch: IssueWrite[]): Promise<void> {
    const claim = this.outbox.reserveWebhookClaims();
    let claimed: unknown[] = [];
    try {
      const rows = await preparedRows(
        this.em,
        PasswordResetTokenSql.issueForCustomers(
          batch.map((write) => write.issue),
          claim,
        ),
      );
      for (const row of rows) {
        batch[row.n].row = row;
        if (row.claimedDeliveries) claimed = claimed.concat(row.claimedDeliveries);
      }
    } finally {
      this.outbox.adoptClaimedWebhookDeliveries(claimed, claim.room);
    }
  }

  /**
   * Whether a token may be used, and the stored language of its customer (for the reset page), in
   * one round trip (the reset page asks for both on every view). A named prepared statement on a
   * pooled connection (preparedRows: parsed and planned once per connection), as the reset's.
   */
  async inspect(tokenHash: string): Promise<{ usability: TokenUsability } & Partial<UsableResetToken>> {
    const rows = await preparedRows(this.em, PasswordResetTokenSql.inspect(tokenHash));
    if (rows.length === 0) return { usability: 'unknown' };
    if (rows[0].spent) return { usability: 'spent' };
    if (rows[0].expired) return { usability: 'expired' };
    return { usability: 'usable', customerLocale: rows[0].locale ?? undefined, customerEmail: rows[0].email ?? undefined };
  }

  /**
   * Runs PasswordResetTokenSql.completeReset: the customer id and how many webhook deliveries the
   * statement added, or null when the token was not usable (nothing written). A named prepared
   * statement (preparedRows): its planning was half of PostgreSQL's CPU per reset.
   */
  async completeReset(args: CompleteResetArgs): Promise<{ customerId: string; deliveries: number } | null> {
    const [row] = await preparedRows(this.em, PasswordResetTokenSql.completeReset(args));
    return row ? { customerId: row.customerId, deliveries: row.deliveries } : null;
  }
}
