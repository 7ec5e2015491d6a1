import { Module } from '@nestjs/common';
import { AdminModule } from '@customer-access/admin';
import { AdminAuditController } from './admin-audit.controller';
import { AdminAuthController } from './admin-auth.controller';
import { AdminConfigController } from './admin-config.controller';
import { AdminCustomersController } from './admin-customers.controller';
import { AdminQueueDashboardController } from './admin-queue-dashboard.controller';

/** The admin HTTP surface (DESIGN.md, Admin). Every controller here but sign-in is @AdminGuarded. */
@Module({
  imports: [AdminModule],
  controllers: [AdminAuthController, AdminCustomersController, AdminConfigController, AdminAuditController, AdminQueueDashboardController],
})
export class AdminApiModule {}
