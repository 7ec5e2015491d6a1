import { Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { OUTBOX_SWEEP_BATCH, OutboxService } from '@customer-access/notification';

const SWEEP_INTERVAL_MS = 2000;

/**
 * Relays pending outbox messages: a completed password reset's confirmation email, which the API
 * leaves to this sweep (one batched enqueue for many resets instead of a job add and a mark per
 * request, docs/performance.md), events left to it (registration, the lockout), and whatever an
 * API process committed but did not get onto the queue (it crashed, or Redis was down at that
 * moment). Safe to run in every worker: rows are claimed with FOR UPDATE SKIP LOCKED. A sweep that
 * relayed a full batch goes on at once, so a backlog does not wait 2 s per batch. Relayed rows are
 * deleted by the retention purge (retention/).
 *
 * Relaying is its routine work (every 2 s under password resets), so what it relayed is logged at
 * debug; a sweep that failed is a warning.
 */
@Injectable()
export class OutboxSweeper implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(OutboxSweeper.name);
  private timer?: NodeJS.Timeout;
  private stopping = false;
  private running?: Promise<void>;

  constructor(private readonly outbox: OutboxService) {}

  onApplicationBootstrap(): void {
    this.timer = setInterval(() => {
      if (!this.running) this.running = this.sweep().finally(() => (this.running = undefined));
    }, SWEEP_INTERVAL_MS);
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopping = true;
    if (this.timer) clearInterval(this.timer);
    await this.running;
  }

  private async sweep(): Promise<void> {
    try {
      let relayed: number;
      do {
        relayed = await this.outbox.relay();
        if (relayed > 0) this.logger.debug(`Relayed ${relayed} pending outbox message(s)`);
      } while (relayed >= OUTBOX_SWEEP_BATCH && !this.stopping);
    } catch (error) {
      this.logger.warn(`Outbox sweep failed, will retry: ${(error as Error).message}`);
    }
  }
}
