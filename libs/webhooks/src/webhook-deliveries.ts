import { Inject, Injectable, Logger } from '@nestjs/common';
import { randomInt } from 'node:crypto';
import { APP_CONFIG, AppConfig } from '@customer-access/config';
import { GroupCommit } from '@customer-access/database';
import { WebhookEventPayload } from '@customer-access/notification';
import { signWebhook } from './signing';
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
 * SSRF-checked WebhookSender, and writes their outcomes as they come (concurrent outcomes share one
 * statement, GroupCommit). At most WEBHOOK_CONCURRENCY are in flight per worker: a receiver that
 * hangs holds one of them until WEBHOOK_TIMEOUT_MS, never the others' outcomes nor the mail. A retry
 * is the row's `next_attempt_at`, which a later claim reads; a claim lapses after a lease, so a
 * delivery whose worker died is sent again (at least once, same `webhook-id`).
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
  private readonly outcomes = new GroupCommit<AttemptRow>((rows) => this.repository.recordAttempts(rows));
  private readonly opened = new Map<string, string>();
  private inFlight = 0;
  private claiming?: Promise<void>;
  /** The fewest free slots a claim asked for since the last one started is worth (Infinity: none asked). */
  private wantedFree = Infinity;
  /** The last claim filled every free slot (or found none free): more may be due. */
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
  }

  onOutcome(listener: OutcomeListener): void {
    this.listener = listener;
  }

  /** Deliveries being sent by this process. */
  get active(): number {
    return this.inFlight;
  }

  /**
   * Claims due deliveries into the free slots and starts them; resolves once a claim that started
   * after the call has returned (the attempts go on). Concurrent calls share the claim in progress.
   * `minFree`: claim only if at least that many slots are free (refills wait for half of them).
   */
  pump(minFree = 1): Promise<void> {
    this.wantedFree = Math.min(this.wantedFree, minFree);
    if (!this.claiming) this.claiming = this.claimLoop().finally(() => (this.claiming = undefined));
    return this.claiming;
  }

  /** An event held by a job an earlier version queued (`webhook-event`): its deliveries, then a claim. */
  async fanOutEvent(event: WebhookEventPayload): Promise<number> {
    const added = await this.repository.fanOutEvent(event);
    if (added > 0) await this.pump();
    return added;
  }

  /** Claims nothing more and waits for the attempts in flight to end and be recorded. */
  async stop(): Promise<void> {
    this.stopped = true;
    await this.claiming?.catch(() => undefined);
    if (this.inFlight > 0) await new Promise<void>((resolve) => this.idle.push(resolve));
  }

  private async claimLoop(): Promise<void> {
    while (this.wantedFree !== Infinity && !this.stopped) {
      const minFree = Math.max(1, this.wantedFree);
      this.wantedFree = Infinity;
      const free = this.capacity - this.inFlight;
      if (free < minFree) {
        // Not worth a statement yet: the completions claim once half the slots are free.
        this.more = true;
        continue;
      }
      const claimed = await this.repository.claimDue(free, this.leaseMs);
      this.more = claimed.length === free;
      for (const delivery of claimed) this.start(delivery);
    }
  }

  private start(delivery: ClaimedDeliveryRow): void {
    this.inFlight++;
    void this.deliver(delivery)
      .catch((error: Error) =>
        // Not recorded (the database is down): the claim lapses and the delivery is sent again.
        this.logger.warn(`Webhook delivery ${delivery.id}: outcome not recorded, will be sent again: ${error.message}`),
      )
      .finally(() => {
        this.inFlight--;
        // Refill once half the slots are free, so that claims stay batches under load.
        if (this.more && !this.stopped && this.inFlight <= this.capacity / 2) {
          this.pump(Math.ceil(this.capacity / 2)).catch((error: Error) =>
            this.logger.warn(`Webhook claim failed, will retry: ${error.message}`),
          );
        }
        if (this.inFlight === 0) for (const resolve of this.idle.splice(0)) resolve();
      });
  }

  /**
   * One attempt: sign, send, record, tell the listener. A 410 disables the endpoint (and the listener
   * audits it) before the delivery's outcome is written, so whoever sees the delivery failed sees both.
   */
  private async deliver(delivery: ClaimedDeliveryRow): Promise<void> {
    const { outcome, row } = await this.attempt(delivery);
    if (outcome.kind === 'gone') {
      outcome.disabled = await this.repository.disableEndpoint(delivery.endpointId, '410 Gone');
      await this.tell(outcome, delivery.id);
      await this.outcomes.write(row);
      return;
    }
    await this.outcomes.write(row);
    await this.tell(outcome, delivery.id);
  }

  private async tell(outcome: DeliveryOutcome, deliveryId: string): Promise<void> {
    try {
      await this.listener?.(outcome, deliveryId);
    } catch (error) {
      this.logger.warn(`Webhook delivery ${deliveryId}: ${outcome.kind}, but its listener failed: ${(error as Error).message}`);
    }
  }

  /** Sends (unless the endpoint is disabled) and says what to record. */
  private async attempt(delivery: ClaimedDeliveryRow): Promise<{ outcome: DeliveryOutcome; row: AttemptRow }> {
    const row = (status: string, code: number | null, error: string | null, next: Date | null = null): AttemptRow => ({
      id: delivery.id,
      lease: delivery.lease,
      status,
      code,
      error,
      next: next ? next.toISOString() : null,
    });
    if (!delivery.enabled) {
      const reason = 'the endpoint is disabled';
      return { outcome: { kind: 'failed', reason }, row: row('failed', null, reason) };
    }
    const result = await this.send(delivery);
    if (result.kind === 'refused') return { outcome: { kind: 'refused', reason: result.reason }, row: row('refused', null, result.reason) };
    const status = result.kind === 'response' ? result.status : null;
    if (status !== null && status >= 200 && status < 300) {
      return { outcome: { kind: 'delivered', status }, row: row('delivered', status, null) };
    }
    if (status === 410) {
      return {
        outcome: { kind: 'gone', endpointId: delivery.endpointId, url: delivery.url, disabled: false },
        row: row('failed', 410, '410 Gone: endpoint disabled'),
      };
    }
    const reason =
      result.kind === 'error'
        ? result.message
        : status !== null && status >= 300 && status < 400
          ? `${status}: redirect not followed`
          : `answered ${status}`;
    const delayMs = retryDelayMs(delivery.attempts + 1, this.config.webhooks.retryDelayMs);
    const next = new Date(Date.now() + delayMs);
    if (next.getTime() - new Date(delivery.createdAt).getTime() > this.windowMs) {
      return { outcome: { kind: 'failed', reason }, row: row('failed', status, `${reason}; retried for 24 h, giving up`) };
    }
    return { outcome: { kind: 'retry', delayMs, reason }, row: row('pending', status, reason, next) };
  }

  private send(delivery: ClaimedDeliveryRow): Promise<SendResult> {
    const secrets = [this.open(delivery.secretSealed, delivery.endpointId)];
    if (delivery.previousSecretSealed) secrets.push(this.open(delivery.previousSecretSealed, delivery.endpointId));
    const body = JSON.stringify(delivery.payload);
    const headers = signWebhook(secrets, delivery.eventId, Math.floor(Date.now() / 1000), body);
    return this.sender.send(delivery.url, body, { ...headers });
  }

  /** An endpoint's secret, opened once per sealed box rather than once per delivery. */
  private open(box: string, endpointId: string): string {
    const key = `${endpointId}.${box}`;
    let secret = this.opened.get(key);
    if (secret === undefined) {
      if (this.opened.size >= MAX_OPENED_SECRETS) this.opened.clear();
      secret = this.secrets.open(box, endpointId);
      this.opened.set(key, secret);
    }
    return secret;
  }
}
