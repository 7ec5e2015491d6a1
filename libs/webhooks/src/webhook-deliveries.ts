import { Inject, Injectable } from '@nestjs/common';
import { randomInt } from 'node:crypto';
import { APP_CONFIG, AppConfig } from '@customer-access/config';
import { WebhookEventPayload } from '@customer-access/notification';
import { signWebhook } from './signing';
import { WebhookQueue } from './webhook-queue';
import { WebhookRepository } from './webhook.repository';
import { WebhookSender } from './webhook-sender';
import { WebhookSecrets } from './webhook-secrets';

/** What one attempt came to. */
export type DeliveryOutcome =
  | { kind: 'delivered'; status: number }
  | { kind: 'retry'; delayMs: number; reason: string }
  | { kind: 'failed'; reason: string }
  | { kind: 'refused'; reason: string }
  /** 410 Gone: the delivery failed and the endpoint is now disabled (`disabled`: by this attempt). */
  | { kind: 'gone'; endpointId: string; url: string; disabled: boolean }
  /** Nothing to do: delivered, failed or deleted meanwhile. */
  | { kind: 'skipped' };

/** Backoff cap: attempts are at most an hour apart. */
const MAX_DELAY_MS = 3600_000;

/**
 * Exponential backoff with jitter: base × 2^(attempt-1), capped at an hour, then a random half to
 * full of it ("equal jitter"), so that receivers coming back are not hit by every retry at once.
 */
export function retryDelayMs(attempt: number, baseMs: number, random: () => number = () => randomInt(0, 1_000_001) / 1_000_000): number {
  const ceiling = Math.min(MAX_DELAY_MS, baseMs * 2 ** Math.min(attempt - 1, 30));
  return Math.round(ceiling / 2 + random() * (ceiling / 2));
}

/**
 * The worker's side: fan an event out to its endpoints, and make one delivery attempt (sign, send,
 * record). Retries are the queue's (the caller throws for `retry`), bounded by the 24 h window.
 */
@Injectable()
export class WebhookDeliveries {
  private readonly windowMs: number;

  constructor(
    private readonly repository: WebhookRepository,
    private readonly queue: WebhookQueue,
    private readonly sender: WebhookSender,
    private readonly secrets: WebhookSecrets,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {
    this.windowMs = config.webhooks.retryWindowHours * 3600_000;
  }

  /** Rows for every endpoint that wants the event, then one job each. Idempotent. */
  async fanOut(event: WebhookEventPayload): Promise<number> {
    const ids = await this.repository.fanOut(event);
    await this.queue.addDeliveries(ids);
    return ids.length;
  }

  async attempt(deliveryId: string): Promise<DeliveryOutcome> {
    const delivery = await this.repository.findDelivery(deliveryId);
    if (!delivery || delivery.status !== 'pending') return { kind: 'skipped' };
    const endpoint = delivery.endpoint;
    if (!endpoint.enabled) {
      const reason = 'the endpoint is disabled';
      await this.repository.recordAttempt(delivery.id, { status: 'failed', responseCode: null, error: reason, nextAttemptAt: null });
      return { kind: 'failed', reason };
    }
    const secrets = [this.secrets.open(endpoint.secretSealed, endpoint.id)];
    if (endpoint.previousSecretSealed && endpoint.previousSecretExpiresAt && endpoint.previousSecretExpiresAt.getTime() > Date.now()) {
      secrets.push(this.secrets.open(endpoint.previousSecretSealed, endpoint.id));
    }
    const body = JSON.stringify(delivery.payload);
    const headers = signWebhook(secrets, delivery.eventId, Math.floor(Date.now() / 1000), body);
    const result = await this.sender.send(endpoint.url, body, { ...headers });

    if (result.kind === 'refused') {
      await this.repository.recordAttempt(delivery.id, {
        status: 'refused',
        responseCode: null,
        error: result.reason,
        nextAttemptAt: null,
      });
      return { kind: 'refused', reason: result.reason };
    }
    const status = result.kind === 'response' ? result.status : null;
    if (status !== null && status >= 200 && status < 300) {
      await this.repository.recordAttempt(delivery.id, { status: 'delivered', responseCode: status, error: null, nextAttemptAt: null });
      return { kind: 'delivered', status };
    }
    if (status === 410) {
      await this.repository.recordAttempt(delivery.id, {
        status: 'failed',
        responseCode: 410,
        error: '410 Gone: endpoint disabled',
        nextAttemptAt: null,
      });
      const disabled = await this.repository.disableEndpoint(endpoint.id, '410 Gone');
      return { kind: 'gone', endpointId: endpoint.id, url: endpoint.url, disabled };
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
      await this.repository.recordAttempt(delivery.id, {
        status: 'failed',
        responseCode: status,
        error: `${reason}; retried for 24 h, giving up`,
        nextAttemptAt: null,
      });
      return { kind: 'failed', reason };
    }
    await this.repository.recordAttempt(delivery.id, { status: 'pending', responseCode: status, error: reason, nextAttemptAt: next });
    return { kind: 'retry', delayMs, reason };
  }
}
