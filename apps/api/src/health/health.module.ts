import { Module } from '@nestjs/common';
import { TerminusModule } from '@nestjs/terminus';
import { NotificationModule } from '@customer-access/notification';
import { HealthController } from './health.controller';
import { MailQueueHealthIndicator, RedisHealthIndicator, WorkerHealthIndicator } from './health.indicators';

/** GET /health/live and GET /health/ready (@nestjs/terminus). */
@Module({
  imports: [TerminusModule.forRoot({ errorLogStyle: 'json' }), NotificationModule],
  controllers: [HealthController],
  providers: [RedisHealthIndicator, MailQueueHealthIndicator, WorkerHealthIndicator],
})
export class HealthModule {}
