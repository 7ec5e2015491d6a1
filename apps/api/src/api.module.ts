import { Module } from '@nestjs/common';
import { APP_FILTER } from '@nestjs/core';
import { ConfigModule } from '@customer-access/config';
import { CustomersModule } from '@customer-access/customers';
import { DatabaseModule } from '@customer-access/database';
import { mailQueueConnection, NotificationModule } from '@customer-access/notification';
import { OAuthModule } from '@customer-access/oauth';
import { PasswordResetModule } from '@customer-access/password-reset';
import { RedisModule } from '@customer-access/redis';
import { SettingsModule } from '@customer-access/settings';
import { AdminApiModule } from './admin/admin-api.module';
import { HealthModule } from './health/health.module';
import { AllExceptionsFilter } from './http/all-exceptions.filter';
import { OpsModule } from './ops/ops.module';
import { CustomersController } from './storefront/customers.controller';
import { OAuthController } from './storefront/oauth.controller';
import { PasswordResetController } from './storefront/password-reset.controller';
import { ThrottlingModule } from './throttling/throttling.module';

@Module({
  imports: [
    ConfigModule,
    DatabaseModule,
    RedisModule,
    SettingsModule,
    mailQueueConnection('producer'),
    NotificationModule,
    CustomersModule,
    OAuthModule,
    PasswordResetModule,
    ThrottlingModule,
    AdminApiModule,
    HealthModule,
    OpsModule,
  ],
  controllers: [CustomersController, PasswordResetController, OAuthController],
  providers: [{ provide: APP_FILTER, useClass: AllExceptionsFilter }],
})
export class ApiModule {}
