import { Module } from '@nestjs/common';
import { ConfigModule } from '@customer-access/config';
import { CustomersModule } from '@customer-access/customers';
import { DatabaseModule } from '@customer-access/database';
import { mailQueueConnection, MailDeliveryModule, MailJob, NotificationModule } from '@customer-access/notification';
import { ObservabilityModule } from '@customer-access/observability';
import { PasswordResetModule } from '@customer-access/password-reset';
import { RedisModule } from '@customer-access/redis';
import { SettingsModule } from '@customer-access/settings';
import { MailJobHandlers } from './mail-job.handlers';
import { MailProcessor } from './mail.processor';
import { OutboxSweeper } from './outbox-sweeper';
import { WorkerHeartbeat, WorkerMetricsEndpoint } from './worker-ops';

@Module({
  imports: [
    ConfigModule,
    ObservabilityModule.forRoot('worker', { workerJobNames: Object.values(MailJob) }),
    DatabaseModule,
    RedisModule,
    SettingsModule,
    mailQueueConnection('worker'),
    NotificationModule,
    MailDeliveryModule,
    CustomersModule,
    PasswordResetModule,
  ],
  providers: [MailJobHandlers, MailProcessor, OutboxSweeper, WorkerHeartbeat, WorkerMetricsEndpoint],
})
export class WorkerModule {}
