import { MikroOrmModule } from '@mikro-orm/nestjs';
import { Module } from '@nestjs/common';
import { JwtModule } from '@nestjs/jwt';
import { CustomersModule } from '@customer-access/customers';
import { NotificationModule } from '@customer-access/notification';
import { OAuthModule } from '@customer-access/oauth';
import { WebhooksModule } from '@customer-access/webhooks';
import { AdminAuthService } from './access/admin-auth.service';
import { AdminJwtGuard } from './access/admin-jwt.guard';
import { AdminSignInLimiter } from './access/admin-sign-in-limiter';
import { PermissionsGuard } from './access/permissions.guard';
import { QueueDashboardSessions } from './access/queue-dashboard-sessions';
import { AdminAccountsService } from './accounts/admin-accounts.service';
import { AdminUser } from './accounts/admin-user.entity';
import { AdminUserRepository } from './accounts/admin-user.repository';
import { AuditEvent } from './audit/audit-event.entity';
import { AuditEventRepository } from './audit/audit-event.repository';
import { AuditService } from './audit/audit.service';
import { AdminMfaFactor } from './mfa/admin-mfa-factor.entity';
import { AdminMfaService } from './mfa/admin-mfa.service';
import { AdminRecoveryCode } from './mfa/admin-recovery-code.entity';
import { MfaRepository } from './mfa/mfa.repository';
import { MfaTokens } from './mfa/mfa-tokens';
import { WebAuthnCeremonies } from './mfa/webauthn';
import { AdminApiKey } from './api-keys/admin-api-key.entity';
import { ApiKeyRepository } from './api-keys/api-key.repository';
import { ApiKeysService } from './api-keys/api-keys.service';
import { AdminSettingsService } from './settings/admin-settings.service';
import { StoresAdminService } from './stores/stores-admin.service';
import { CustomerDirectoryRepository } from './support/customer-directory.repository';
import { CustomerSupportService } from './support/customer-support.service';
import { EmailTemplatesAdminService } from './support/email-templates-admin.service';
import { EmailTimelineRepository } from './support/email-timeline.repository';
import { WebhooksAdminService } from './webhooks/webhooks-admin.service';
import { CustomerDataRepository } from './support/customer-data.repository';

/**
 * Admin users, their JWTs, roles and guards, the audit log, and the admin use cases. Needs the
 * global ConfigModule, RedisModule and SettingsModule, and a BullMQ root connection (the API's).
 */
@Module({
  imports: [
    MikroOrmModule.forFeature([AdminUser, AuditEvent, AdminMfaFactor, AdminRecoveryCode, AdminApiKey]),
    // Secret, algorithm and claims are passed on each sign/verify call (AdminAuthService), so that
    // nothing depends on module-level defaults another importer could change.
    JwtModule.register({}),
    CustomersModule,
    OAuthModule,
    NotificationModule,
    WebhooksModule,
  ],
  providers: [
    AdminUserRepository,
    AdminAccountsService,
    AdminSignInLimiter,
    AdminAuthService,
    AdminJwtGuard,
    PermissionsGuard,
    QueueDashboardSessions,
    MfaRepository,
    MfaTokens,
    WebAuthnCeremonies,
    AdminMfaService,
    ApiKeyRepository,
    ApiKeysService,
    AuditEventRepository,
    AuditService,
    CustomerDirectoryRepository,
    CustomerSupportService,
    AdminSettingsService,
    EmailTimelineRepository,
    CustomerDataRepository,
    EmailTemplatesAdminService,
    StoresAdminService,
    WebhooksAdminService,
  ],
  exports: [
    WebhooksAdminService,
    StoresAdminService,
    EmailTemplatesAdminService,
    AdminAccountsService,
    AdminAuthService,
    AdminMfaService,
    ApiKeysService,
    AdminJwtGuard,
    PermissionsGuard,
    QueueDashboardSessions,
    AuditService,
    CustomerSupportService,
    AdminSettingsService,
  ],
})
export class AdminModule {}
