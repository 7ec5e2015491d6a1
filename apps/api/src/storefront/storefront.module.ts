import { Module } from '@nestjs/common';
import { CustomersModule } from '@customer-access/customers';
import { NotificationModule } from '@customer-access/notification';
import { OAuthModule } from '@customer-access/oauth';
import { StorefrontResetModule } from '@customer-access/password-reset';
import { MessageLanguage } from '../http/message-language';
import { CustomersController } from './customers.controller';
import { OAuthController } from './oauth.controller';
import { PasswordResetController } from './password-reset.controller';

/** The storefront's REST routes (/api/v1/customers, /api/v1/oauth). */
@Module({
  imports: [CustomersModule, OAuthModule, StorefrontResetModule, NotificationModule],
  controllers: [CustomersController, PasswordResetController, OAuthController],
  // MessageLanguage: the storefront's messages follow Accept-Language; the app's exception filter uses it too.
  providers: [MessageLanguage],
  exports: [MessageLanguage],
})
export class StorefrontModule {}
