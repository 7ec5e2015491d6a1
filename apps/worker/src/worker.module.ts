import { BullModule } from '@nestjs/bullmq';
import { Module } from '@nestjs/common';
import { ConfigModule } from '@customer-access/config';
import { CustomersModule } from '@customer-access/customers';
import { DatabaseModule } from '@customer-access/database';
import { I18nModule } from '@customer-access/i18n';
import { mailQueueConnection, MailDeliveryModule, MailJob, NotificationModule } from '@customer-access/notification';
import { MetricsRegistry, ObservabilityModule, RetentionMetrics } from '@customer-access/observability';
import { PasswordResetModule } from '@customer-access/password-reset';
import { RedisModule } from '@customer-access/redis';
import { SettingsModule } from '@customer-access/settings';
import { WebhooksModule } from '@customer-access/webhooks';
import { MikroOrmModule } from '@mikro-orm/nestjs';
import { AuditEvent } from '@customer-access/admin';
import { MailJobHandlers } from './mail-job.handlers';
import { MailProcessor } from './mail.processor';
import { OutboxSweeper } from './outbox-sweeper';
import { RETENTION_QUEUE } from './retention/retention-queue';
import { PURGE_TARGETS } from './retention/retention-rules';
import { RetentionProcessor } from './retention/retention.processor';
import { RetentionService } from './retention/retention.service';
import { WorkerHeartbeat } from './worker-heartbeat';
import { WebhooksProcessor } from './webhooks.processor';
import { WorkerMetricsEndpoint } from './worker-metrics-endpoint';

@Module({
  imports: [
    ConfigModule,
    ObservabilityModule.forRoot('worker', { workerJobNames: Object.values(MailJob) }),
    DatabaseModule,
    I18nModule,
    RedisModule,
    SettingsModule,
    mailQueueConnection('worker'),
    NotificationModule,
    MailDeliveryModule,
    CustomersModule,
    PasswordResetModule,
    WebhooksModule,
    MikroOrmModule.forFeature([AuditEvent]),
    BullModule.registerQueue({ name: RETENTION_QUEUE }),
  ],
  providers: [
    MailJobHandlers,
    MailProcessor,
    OutboxSweeper,
    WebhooksProcessor,
    WorkerHeartbeat,
    WorkerMetricsEndpoint,
    RetentionService,
    RetentionProcessor,
    {
      provide: RetentionMetrics,
      inject: [MetricsRegistry],
      useFactory: (metrics: MetricsRegistry) =>
        new RetentionMetrics(
          metrics,
          Object.values(PURGE_TARGETS).map((t) => t.table),
        ),
    },
  ],
})
export class WorkerModule {}
