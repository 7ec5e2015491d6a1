import { InjectQueue } from '@nestjs/bullmq';
import { Inject, Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { Queue } from 'bullmq';
import { APP_CONFIG, AppConfig } from '@customer-access/config';
import { QueueName } from '@customer-access/notification';
import { MetricsRegistry, MetricsServer, registerQueueGauges } from '@customer-access/observability';
import { RETENTION_QUEUE } from './retention/retention-queue';

/**
 * The worker's metrics (emails sent/failed/retried, job durations, queue counts, process) on
 * WORKER_METRICS_PORT (default 9465; 0 = off). A port that is taken is logged, not fatal: the
 * worker's job is to send email, which it can do without being scraped.
 */
@Injectable()
export class WorkerMetricsEndpoint implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('WorkerMetrics');
  private readonly server: MetricsServer;

  constructor(
    metrics: MetricsRegistry,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @InjectQueue(QueueName.Mail) queue: Queue,
    @InjectQueue(RETENTION_QUEUE) retentionQueue: Queue,
    @InjectQueue(QueueName.Webhooks) webhooksQueue: Queue,
  ) {
    // The retention queue too: a purge run that failed shows as state="failed"; the webhooks queue's
    // waiting and delayed counts are the webhook backlog.
    registerQueueGauges(metrics, [queue, retentionQueue, webhooksQueue]);
    this.server = new MetricsServer(metrics, config.metricsToken);
  }

  async onApplicationBootstrap(): Promise<void> {
    const port = this.config.workerMetricsPort;
    if (port === 0) {
      this.logger.log('Worker metrics are off (WORKER_METRICS_PORT=0)');
      return;
    }
    try {
      const bound = await this.server.listen(port, this.config.host);
      this.logger.log(`Worker metrics on http://${this.config.host}:${bound}/metrics`);
    } catch (error) {
      this.logger.error(`Worker metrics could not listen on port ${port} (${(error as Error).message}); this worker runs without them`);
    }
  }

  async onApplicationShutdown(): Promise<void> {
    await this.server.close();
  }
}
