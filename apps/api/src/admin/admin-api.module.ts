import { Module } from '@nestjs/common';
import { AdminModule } from '@customer-access/admin';
import { AdminAccountController } from './admin-account.controller';
import { AdminApiKeysController } from './admin-api-keys.controller';
import { AdminAuditController } from './admin-audit.controller';
import { AdminAuthController } from './admin-auth.controller';
import { AdminConfigController } from './admin-config.controller';
import { AdminCustomersController } from './admin-customers.controller';
import { AdminEmailTemplatesController } from './admin-email-templates.controller';
import { AdminQueueDashboardController } from './admin-queue-dashboard.controller';
import { AdminStoresController } from './admin-stores.controller';
import { AdminWebhooksController } from './admin-webhooks.controller';

/** The admin HTTP surface (docs/api.md, Admin routes). Every controller here but sign-in is @AdminGuarded. */
@Module({
  imports: [AdminModule],
  controllers: [
    AdminAuthController,
    AdminCustomersController,
    AdminConfigController,
    AdminAuditController,
    AdminEmailTemplatesController,
    AdminQueueDashboardController,
    AdminApiKeysController,
    AdminAccountController,
    AdminStoresController,
    AdminWebhooksController,
  ],
})
export class AdminApiModule {}
