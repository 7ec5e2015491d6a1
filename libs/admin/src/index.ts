export { Permission, ADMIN_ROLES, AdminRole, ROLE_PERMISSIONS, isAdminRole, roleHasPermission } from './access/admin-roles';
export { RequirePermission, PublicAdminRoute, REQUIRED_PERMISSION, PUBLIC_ADMIN_ROUTE } from './access/require-permission.decorator';
export { AdminJwtGuard } from './access/admin-jwt.guard';
export { PermissionsGuard } from './access/permissions.guard';
export { QUEUE_DASHBOARD_SESSION, QueueDashboardSession, QueueDashboardSessions } from './access/queue-dashboard-sessions';
export { CurrentAdmin } from './access/current-admin.decorator';
export { AdminActor, AdminRequest } from './access/admin-request';
export { ADMIN_JWT, AdminAuthService, IssuedAdminToken, MfaChallenge, SignInResult } from './access/admin-auth.service';
export { AdminMfaService, MfaSignedIn, TotpSetup } from './mfa/admin-mfa.service';
export { AdminMfaFactor, MFA_METHODS, MfaMethod } from './mfa/admin-mfa-factor.entity';
export { AdminRecoveryCode } from './mfa/admin-recovery-code.entity';
export { MfaFactorView } from './mfa/mfa.repository';
export { WebAuthnOptions } from './mfa/webauthn';
export { AdminApiKey } from './api-keys/admin-api-key.entity';
export { ApiKeysService, NewApiKeyInput } from './api-keys/api-keys.service';
export { ApiKeyView } from './api-keys/api-key.repository';
export { AdminCredential, AdminPrincipal, AdminUser } from './accounts/admin-user.entity';
export { ADMIN_PASSWORD_RULES, AdminAccountsService, CreateAdminInput } from './accounts/admin-accounts.service';
export { createAdminAccount } from './accounts/create-admin';
export { setAdminPassword, unlockAdmin } from './accounts/admin-recovery';
export { MfaResetOutcome, RekeyOutcome, rekeyMfaSecrets, resetAdminMfa } from './mfa/mfa-commands';
export { AuditAction, AuditEvent, AuditEventView, CLI_ACTOR, SYSTEM_ACTOR } from './audit/audit-event.entity';
export { WebhooksAdminService } from './webhooks/webhooks-admin.service';
export { AUDIT_CSV_COLUMNS, AuditService, recordSystemAuditEvent } from './audit/audit.service';
export { AuditEventFilter } from './audit/audit-event.repository';
export { AdminCustomerDetail, AdminCustomerListItem, CustomerSupportService, Page } from './support/customer-support.service';
export { AdminSettingsService, SettingChange } from './settings/admin-settings.service';
export {
  NewStoreViewInput,
  StoresAdminService,
  StoreViewFieldChange,
  StoreViewInput,
  WebsiteWithViews,
} from './stores/stores-admin.service';
export { AdminModule } from './admin.module';
export { CustomerEmailView, LinkStatus } from './support/email-timeline.repository';
export { CustomerDataExport } from './support/customer-data.repository';
export {
  EmailPreview,
  EmailTemplateSummary,
  EmailTemplatesAdminService,
  TEST_SENDS_PER_HOUR,
} from './support/email-templates-admin.service';
export { CONSOLE_BASE, CONSOLE_SCREENS, ConsoleScreen, consoleHref, consolePagePaths, matchConsolePath } from './console/console-routes';
