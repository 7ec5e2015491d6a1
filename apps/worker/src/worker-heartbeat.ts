import { Inject, Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { HEARTBEAT_INTERVAL_MS, recordWorkerHeartbeat, removeWorkerHeartbeat, workerInstanceId } from '@customer-access/observability';
import { REDIS_CLIENT, RedisConnection } from '@customer-access/redis';
import { MailProcessor } from './mail.processor';

/**
 * Tells the API's readiness check that this worker is alive and consuming: every few seconds,
 * while the BullMQ worker runs, its entry in RedisConnection is refreshed; on shutdown it is removed.
 */
@Injectable()
export class WorkerHeartbeat implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(WorkerHeartbeat.name);
  private readonly id = workerInstanceId();
  private timer?: NodeJS.Timeout;
  private failing = false;

  constructor(
    @Inject(REDIS_CLIENT) private readonly redis: RedisConnection,
    private readonly processor: MailProcessor,
  ) {}

  onApplicationBootstrap(): void {
    this.timer = setInterval(() => void this.tick(), HEARTBEAT_INTERVAL_MS);
    this.timer.unref();
    void this.tick();
  }

  async onApplicationShutdown(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    await removeWorkerHeartbeat(this.redis, this.id).catch(() => undefined);
  }

  async tick(): Promise<void> {
    const worker = this.processor.worker;
    if (!worker?.isRunning() || worker.isPaused()) return;
    try {
      await recordWorkerHeartbeat(this.redis, this.id);
      if (this.failing) this.logger.log('Heartbeat restored');
      this.failing = false;
    } catch (error) {
      if (!this.failing) this.logger.warn(`Heartbeat failed, will retry: ${(error as Error).message}`);
      this.failing = true;
    }
  }
}
