import { Module } from '@nestjs/common';
import { APP_FILTER } from '@nestjs/core';
import { ConfigModule } from '@customer-access/config';
import { DatabaseModule } from '@customer-access/database';
import { I18nModule } from '@customer-access/i18n';
import { mailQueueConnection, NotificationModule } from '@customer-access/notification';
import { RedisModule } from '@customer-access/redis';
import { SettingsModule } from '@customer-access/settings';
import { AdminApiModule } from './admin/admin-api.module';
import { HealthModule } from './health/health.module';
import { HostedPagesModule } from './hosted-pages/hosted-pages.module';
import { AllExceptionsFilter } from './http/all-exceptions.filter';
import { OpsModule } from './ops/ops.module';
import { StorefrontModule } from './storefront/storefront.module';

@Module({
  imports: [
    ConfigModule,
    DatabaseModule,
    RedisModule,
    SettingsModule,
    I18nModule,
    mailQueueConnection('producer'),
    NotificationModule,
    StorefrontModule,
    HostedPagesModule,
    AdminApiModule,
    HealthModule,
    OpsModule,
  ],
  providers: [{ provide: APP_FILTER, useClass: AllExceptionsFilter }],
})
export class ApiModule {}
