import { Inject, Injectable, Logger } from '@nestjs/common';
import { KeyObject, randomInt } from 'node:crypto';
import { APP_CONFIG, AppConfig } from '@customer-access/config';
import { GroupCommit } from '@customer-access/database';
import { WebhookEventPayload } from '@customer-access/notification';
import { signingKey, signWebhook } from './signing';
import { AttemptRow, ClaimedDeliveryRow } from './webhook-delivery.queries';
import { WebhookRepository } from './webhook.repository';
import { SendResult, WebhookSender } from './webhook-sender';
import { WebhookSecrets } from './webhook-secrets';

/** What one attempt came to. */
export type DeliveryOutcome =
  | { kind: 'delivered'; status: number }
  | { kind: 'retry'; delayMs: number; reason: string }
  | { kind: 'failed'; reason: string }
  | { kind: 'refused'; reason: string }
  /** 410 Gone: the delivery failed and the endpoint is now disabled (`disabled`: by this attempt). */
  | { kind: 'gone'; endpointId: string; url: string; disabled: boolean };

/** Told of every attempt's outcome once it is recorded (the worker's metrics and audit). */
export type OutcomeListener = (outcome: DeliveryOutcome, deliveryId: string) => Promise<void> | void;

/** Backoff cap: attempts are at most an hour apart. */
const MAX_DELAY_MS = 3600_000;

/** Opened secrets kept by sealed box (an endpoint has one or two; a rotation or re-key makes a new box). */
const MAX_OPENED_SECRETS = 1000;

/**
 * Outcomes wait up to this long for others to share their statement (or until WEBHOOK_CONCURRENCY of
 * them are waiting): nobody waits for an outcome, a slot is free once its POST has ended.
 */
const OUTCOME_LINGER_MS = 20;

/** The outcome row of an attempt at `delivery` (written only while its claim, `lease`, holds). */
function attemptRow(
  delivery: ClaimedDeliveryRow,
  status: string,
  code: number | null,
  error: string | null,
  next: string | null = null,
): AttemptRow {
  return { id: delivery.id, lease: delivery.lease, status, code, error, next };
}

/**
 * Exponential backoff with jitter: base × 2^(attempt-1), capped at an hour, then a random half to
 * full of it ("equal jitter"), so that receivers coming back are not hit by every retry at once.
 */
export function retryDelayMs(attempt: number, baseMs: number, random: () => number = () => randomInt(0, 1_000_001) / 1_000_000): number {
  const ceiling = Math.min(MAX_DELAY_MS, baseMs * 2 ** Math.min(attempt - 1, 30));
  return Math.round(ceiling / 2 + random() * (ceiling / 2));
}

/**
 * The worker's side (docs/webhooks.md). Deliveries are rows: `pump()` claims due ones in batches
 * (one statement, joined with their endpoints), sends them concurrently through the pooled,
 * SSRF-checked WebhookSender, and writes their outcomes in groups (GroupCommit: one statement for up
 * to WEBHOOK_CONCURRENCY outcomes, or those of OUTCOME_LINGER_MS). At most WEBHOOK_CONCURRENCY are
 * in flight per worker: a receiver that hangs holds one of them until WEBHOOK_TIMEOUT_MS, never the
 * others' outcomes nor the mail. A retry is the row's `next_attempt_at`, which a later claim reads; a
 * claim lapses after a lease, so a delivery whose worker died is sent again (at least once, same
 * `webhook-id`).
 *
 * Pipelined: a worker holds up to twice WEBHOOK_CONCURRENCY claimed deliveries (the ones in flight
 * and, behind them, at most as many waiting for a slot) and claims again, a whole batch, once it
 * holds WEBHOOK_CONCURRENCY or fewer, so the POSTs never wait on PostgreSQL. A waiting delivery
 * starts within one WEBHOOK_TIMEOUT_MS (every slot frees by then), so it ends within twice that,
 * inside its lease. A stopping worker hands the waiting ones back (their claims released).
 *
 * Why rows and not a queue job per delivery (docs/performance.md, "webhooks"): a BullMQ job and its
 * ORM reads and writes cost the worker ~3 ms of CPU per event, 15 times a raw POST's.
 */
@Injectable()
export class WebhookDeliveries {
  private readonly logger = new Logger(WebhookDeliveries.name);
  private readonly windowMs: number;
  /** WEBHOOK_CONCURRENCY: deliveries in flight at most, in this process. */
  readonly capacity: number;
  /** How long a claim holds: past an attempt's whole bound, plus the stalled-job interval the mail queue uses. */
  readonly leaseMs: number;
  private readonly outcomes: GroupCommit<AttemptRow>;
  /** Signing keys by sealed box (opened once, not per delivery). */
  private readonly opened = new Map<string, KeyObject>();
  /** Claimed deliveries waiting for a slot (at most `capacity`). */
  private readonly waiting: ClaimedDeliveryRow[] = [];
  /** Room promised to fan-outs in progress (reserve), until they hand over what they claimed (adopt). */
  private reserved = 0;
  /** POSTs in flight (the slots taken). */
  private sending = 0;
  /** Attempts started and not yet recorded. */
  private unrecorded = 0;
  private claiming?: Promise<void>;
  /** A claim was asked for since the last one started. */
  private wanted = false;
  /** The last claim got all it asked for: more may be due. */
  private more = false;
  private stopped = false;
  private idle: Array<() => void> = [];
  private listener?: OutcomeListener;

  constructor(
    private readonly repository: WebhookRepository,
    private readonly sender: WebhookSender,
    private readonly secrets: WebhookSecrets,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {
    this.windowMs = config.webhooks.retryWindowHours * 3600_000;
    this.capacity = config.webhooks.concurrency;
    this.leaseMs = 2 * config.webhooks.timeoutMs + config.workerStalledIntervalMs;
    this.outcomes = new GroupCommit<AttemptRow>((rows) => this.repository.recordAttempts(rows), {
      maxBatch: 500,
      linger: { ms: OUTCOME_LINGER_MS, enough: this.capacity },
    });
  }

  onOutcome(listener: OutcomeListener): void {
    this.listener = listener;
  }

  /** Deliveries this process is attempting: in flight, or sent and their outcome not yet recorded. */
  get active(): number {
    return this.unrecorded;
  }

  /** Claimed deliveries held: in flight, or waiting for a slot. */
  private get held(): number {
    return this.sending + this.waiting.length;
  }

  /**
   * Claims due deliveries and starts them; resolves once a claim that started after the call has
   * returned (the attempts go on). Concurrent calls share the claim in progress. Claims only when
   * there is room for a batch (WEBHOOK_CONCURRENCY held or fewer); otherwise the completions claim.
   */
  pump(): Promise<void> {
    this.wanted = true;
    if (!this.claiming) this.claiming = this.claimLoop().finally(() => (this.claiming = undefined));
    return this.claiming;
  }

  /** An event held by a job an earlier version queued (`webhook-event`): its deliveries, then a claim. */
  async fanOutEvent(event: WebhookEventPayload): Promise<number> {
    const added = await this.repository.fanOutEvent(event);
    if (added > 0) await this.pump();
    return added;
  }

  /**
   * Room for deliveries that a fan-out statement of this process inserts already claimed for this
   * deliverer (WebhookDeliverySql.fanOutClaiming: no claim statement, and one update of the row
   * fewer): what it may still hold (twice WEBHOOK_CONCURRENCY) less what it holds and what other
   * fan-outs reserved. Reserved until `adopt`, which the caller must call once its statement ended.
   */
  reserve(): { room: number; leaseMs: number } {
    const room = this.stopped ? 0 : Math.max(0, 2 * this.capacity - this.held - this.reserved);
    this.reserved += room;
    return { room, leaseMs: this.leaseMs };
  }

  /**
   * The deliveries a fan-out claimed for this deliverer (committed), and the room it had reserved
   * (`rows` are at most that many): they wait for a slot as a claim's do. A stopped deliverer hands
   * them back at once.
   */
  adopt(rows: ClaimedDeliveryRow[], reserved: number): void {
    this.reserved = Math.max(0, this.reserved - reserved);
    if (this.stopped) {
      if (rows.length > 0) {
        this.repository
          .releaseClaims(rows.map((d) => ({ id: d.id, lease: d.lease })))
          .catch((error: Error) => this.logger.warn(`Webhook claims not handed back (they lapse): ${error.message}`));
      }
      return;
    }
    for (const delivery of rows) this.waiting.push(delivery);
    this.fill();
    if (this.more && this.held + this.reserved <= this.capacity) {
      this.pump().catch((error: Error) => this.logger.warn(`Webhook claim failed, will retry: ${error.message}`));
    }
  }

  /** Claims nothing more, hands back the claimed deliveries not started, and waits for the attempts to be recorded. */
  async stop(): Promise<void> {
    this.stopped = true;
    await this.claiming?.catch(() => undefined);
    const unstarted = this.waiting.splice(0);
    if (unstarted.length > 0) {
      await this.repository
        .releaseClaims(unstarted.map((d) => ({ id: d.id, lease: d.lease })))
        .catch((error: Error) => this.logger.warn(`Webhook claims not handed back (they lapse): ${error.message}`));
    }
    if (this.unrecorded > 0) await new Promise<void>((resolve) => this.idle.push(resolve));
  }

  private async claimLoop(): Promise<void> {
    while (this.wanted && !this.stopped) {
      this.wanted = false;
      if (this.held + this.reserved > this.capacity) {
        // Not worth a statement yet: the completions (or an adoption) claim once WEBHOOK_CONCURRENCY or fewer are held.
        this.more = true;
        continue;
      }
      const limit = 2 * this.capacity - this.held - this.reserved;
      const claimed = await this.repository.claimDue(limit, this.leaseMs);
      this.more = claimed.length === limit;
      if (this.stopped) {
        this.waiting.push(...claimed);
        break;
      }
      for (const delivery of claimed) this.waiting.push(delivery);
      this.fill();
    }
  }

  /** Starts waiting deliveries into the free slots. */
  private fill(): void {
    while (this.sending < this.capacity && this.waiting.length > 0 && !this.stopped) this.start(this.waiting.shift()!);
  }

  private start(delivery: ClaimedDeliveryRow): void {
    this.sending++;
    this.unrecorded++;
    void this.deliver(delivery);
  }

  /** The POST of one delivery ended: its slot goes to the next waiting one, and a batch is claimed when there is room. */
  private sent(): void {
    this.sending--;
    if (this.stopped) return;
    this.fill();
    if (this.more && this.held + this.reserved <= this.capacity) {
      this.pump().catch((error: Error) => this.logger.warn(`Webhook claim failed, will retry: ${error.message}`));
    }
  }

  /**
   * One attempt: sign, send, record, tell the listener. A 410 disables the endpoint (and the listener
   * audits it) before the delivery's outcome is written, so whoever sees the delivery failed sees both.
   * One async function per attempt, its errors handled inside: in a process where AsyncLocalStorage is
   * in use (the log scope, MikroORM's contexts) every promise pays its async hooks, so the path makes
   * as few as it can (docs/performance.md, "Webhooks").
   */
  private async deliver(delivery: ClaimedDeliveryRow): Promise<void> {
    try {
      let attempted: { outcome: DeliveryOutcome; row: AttemptRow };
      try {
        attempted = this.judge(delivery, delivery.enabled ? await this.send(delivery) : null);
        if (attempted.outcome.kind === 'gone') {
          // The deliveries to it claimed with this one and not started yet are not sent.
          for (const waiting of this.waiting) if (waiting.endpointId === delivery.endpointId) waiting.enabled = false;
        }
      } finally {
        // The slot is free once the POST has ended: the outcome is written in a group, later.
        this.sent();
      }
      const { outcome, row } = attempted;
      if (outcome.kind === 'gone') {
        outcome.disabled = await this.repository.disableEndpoint(delivery.endpointId, '410 Gone');
        await this.tell(outcome, delivery.id);
        await this.outcomes.write(row);
        return;
      }
      await this.outcomes.write(row);
      const told = this.tell(outcome, delivery.id);
      if (told !== undefined) await told;
    } catch (error) {
      // Not recorded (the database is down): the claim lapses and the delivery is sent again.
      this.logger.warn(`Webhook delivery ${delivery.id}: outcome not recorded, will be sent again: ${(error as Error).message}`);
    } finally {
      this.unrecorded--;
      if (this.unrecorded === 0) for (const resolve of this.idle.splice(0)) resolve();
    }
  }

  /** Tells the listener; a promise only when the listener returned one (the metrics are synchronous, a 410's audit is not). */
  private tell(outcome: DeliveryOutcome, deliveryId: string): Promise<void> | undefined {
    try {
      const told = this.listener?.(outcome, deliveryId);
      return told ? told.then(undefined, (error: unknown) => this.listenerFailed(outcome, deliveryId, error)) : undefined;
    } catch (error) {
      this.listenerFailed(outcome, deliveryId, error);
      return undefined;
    }
  }

  private listenerFailed(outcome: DeliveryOutcome, deliveryId: string, error: unknown): void {
    this.logger.warn(`Webhook delivery ${deliveryId}: ${outcome.kind}, but its listener failed: ${(error as Error).message}`);
  }

  /** What to record of an attempt: `result` is the POST's, or null when the endpoint is disabled (nothing sent). */
  private judge(delivery: ClaimedDeliveryRow, result: SendResult | null): { outcome: DeliveryOutcome; row: AttemptRow } {
    if (result === null) {
      const reason = 'the endpoint is disabled';
      return { outcome: { kind: 'failed', reason }, row: attemptRow(delivery, 'failed', null, reason) };
    }
    if (result.kind === 'refused') {
      return { outcome: { kind: 'refused', reason: result.reason }, row: attemptRow(delivery, 'refused', null, result.reason) };
    }
    const status = result.kind === 'response' ? result.status : null;
    if (status !== null && status >= 200 && status < 300) {
      return { outcome: { kind: 'delivered', status }, row: attemptRow(delivery, 'delivered', status, null) };
    }
    if (status === 410) {
      return {
        outcome: { kind: 'gone', endpointId: delivery.endpointId, url: delivery.url, disabled: false },
        row: attemptRow(delivery, 'failed', 410, '410 Gone: endpoint disabled'),
      };
    }
    const reason =
      result.kind === 'error'
        ? result.message
        : status !== null && status >= 300 && status < 400
          ? `${status}: redirect not followed`
          : `answered ${status}`;
    const delayMs = retryDelayMs(delivery.attempts + 1, this.config.webhooks.retryDelayMs);
    const next = Date.now() + delayMs;
    if (next - new Date(delivery.createdAt).getTime() > this.windowMs) {
      return { outcome: { kind: 'failed', reason }, row: attemptRow(delivery, 'failed', status, `${reason}; retried for 24 h, giving up`) };
    }
    return {
      outcome: { kind: 'retry', delayMs, reason },
      row: attemptRow(delivery, 'pending', status, reason, new Date(next).toISOString()),
    };
  }

  private send(delivery: ClaimedDeliveryRow): Promise<SendResult> {
    const keys = [this.open(delivery.secretSealed, delivery.endpointId)];
    if (delivery.previousSecretSealed) keys.push(this.open(delivery.previousSecretSealed, delivery.endpointId));
    const body = JSON.stringify(delivery.payload);
    const headers = signWebhook(keys, delivery.eventId, Math.floor(Date.now() / 1000), body);
    return this.sender.send(delivery.url, body, headers);
  }

  /** An endpoint's signing key, opened once per sealed box rather than once per delivery. */
  private open(box: string, endpointId: string): KeyObject {
    const id = `${endpointId}.${box}`;
    let key = this.opened.get(id);
    if (key === undefined) {
      if (this.opened.size >= MAX_OPENED_SECRETS) this.opened.clear();
      key = signingKey(this.secrets.open(box, endpointId));
      this.opened.set(id, key);
    }
    return key;
  }
}
