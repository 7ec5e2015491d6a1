import { Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { OutboxService } from '@customer-access/notification';

const SWEEP_INTERVAL_MS = 2000;

/**
 * Relays outbox messages that an API process committed but did not get onto the queue (it
 * crashed, or Redis was down at that moment). Safe to run in every worker: rows are claimed with
 * FOR UPDATE SKIP LOCKED. Relayed rows are deleted by the retention purge (retention/).
 */
@Injectable()
export class OutboxSweeper implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(OutboxSweeper.name);
  private timer?: NodeJS.Timeout;
  private running?: Promise<void>;

  constructor(private readonly outbox: OutboxService) {}

  onApplicationBootstrap(): void {
    this.timer = setInterval(() => {
      if (!this.running) this.running = this.sweep().finally(() => (this.running = undefined));
    }, SWEEP_INTERVAL_MS);
  }

  async onApplicationShutdown(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    await this.running;
  }

  private async sweep(): Promise<void> {
    try {
      const relayed = await this.outbox.relay();
      if (relayed > 0) this.logger.log(`Relayed ${relayed} pending outbox message(s)`);
    } catch (error) {
      this.logger.warn(`Outbox sweep failed, will retry: ${(error as Error).message}`);
    }
  }
}
