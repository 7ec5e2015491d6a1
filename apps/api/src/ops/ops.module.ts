import { getQueueToken } from '@nestjs/bullmq';
import { Module } from '@nestjs/common';
import { Queue } from 'bullmq';
import { NotificationModule, QueueName } from '@customer-access/notification';
import { MetricsRegistry, ObservabilityModule, registerQueueGauges } from '@customer-access/observability';
import { MetricsController } from './metrics.controller';
import { QueueDashboardModule } from './queue-dashboard';

const QUEUE_GAUGES = Symbol('QUEUE_GAUGES');

/**
 * What the platform team watches: JSON logs (nestjs-pino), GET /metrics (prom-client), and the
 * queue dashboard at /admin/queues (bull-board). Health lives in HealthModule.
 */
@Module({
  imports: [
    ObservabilityModule.forRoot('api', { rateLimitedRoutes: ['/api/v1/customers/password/forgot'] }),
    NotificationModule,
    QueueDashboardModule,
  ],
  controllers: [MetricsController],
  providers: [
    {
      provide: QUEUE_GAUGES,
      inject: [MetricsRegistry, getQueueToken(QueueName.Mail), getQueueToken(QueueName.Webhooks)],
      useFactory: (metrics: MetricsRegistry, queue: Queue, webhooks: Queue) => registerQueueGauges(metrics, [queue, webhooks]),
    },
  ],
})
export class OpsModule {}
