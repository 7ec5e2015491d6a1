import { Module } from '@nestjs/common';
import { CustomersModule } from '@customer-access/customers';
import { NotificationModule } from '@customer-access/notification';
import { OAuthModule } from '@customer-access/oauth';
import { PasswordResetModule } from '@customer-access/password-reset';
import { ThrottlingModule } from '../throttling/throttling.module';
import { CustomersController } from './customers.controller';
import { ForgotPasswordService } from './forgot-password.service';
import { OAuthController } from './oauth.controller';
import { PasswordResetController } from './password-reset.controller';

/** The storefront's REST routes (/api/v1/customers, /api/v1/oauth). */
@Module({
  imports: [CustomersModule, OAuthModule, PasswordResetModule, NotificationModule, ThrottlingModule],
  controllers: [CustomersController, PasswordResetController, OAuthController],
  providers: [ForgotPasswordService],
  exports: [ForgotPasswordService],
})
export class StorefrontModule {}
