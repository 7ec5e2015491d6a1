export { Permission, ADMIN_ROLES, type AdminRole, ROLE_PERMISSIONS, isAdminRole, roleHasPermission } from './access/admin-roles';
export { RequirePermission, PublicAdminRoute, REQUIRED_PERMISSION, PUBLIC_ADMIN_ROUTE } from './access/require-permission.decorator';
export { AdminJwtGuard } from './access/admin-jwt.guard';
export { PermissionsGuard } from './access/permissions.guard';
export { QUEUE_DASHBOARD_SESSION, type QueueDashboardSession, QueueDashboardSessions } from './access/queue-dashboard-sessions';
export { CurrentAdmin } from './access/current-admin.decorator';
export type { AdminActor, AdminRequest } from './access/admin-request';
export { ADMIN_JWT, AdminAuthService, type IssuedAdminToken, type MfaChallenge, type SignInResult } from './access/admin-auth.service';
export { AdminMfaService, type MfaSignedIn, type TotpSetup } from './mfa/admin-mfa.service';
export { AdminMfaFactor, MFA_METHODS, type MfaMethod } from './mfa/admin-mfa-factor.entity';
export { AdminRecoveryCode } from './mfa/admin-recovery-code.entity';
export type { MfaFactorView } from './mfa/mfa.repository';
export type { WebAuthnOptions } from './mfa/webauthn';
export { AdminApiKey } from './api-keys/admin-api-key.entity';
export { ApiKeysService, type NewApiKeyInput } from './api-keys/api-keys.service';
export type { ApiKeyView } from './api-keys/api-key.repository';
export { type AdminCredential, type AdminPrincipal, AdminUser } from './accounts/admin-user.entity';
export { ADMIN_PASSWORD_RULES, AdminAccountsService, type CreateAdminInput } from './accounts/admin-accounts.service';
export { createAdminAccount } from './accounts/create-admin';
export { type MfaResetOutcome, resetAdminMfa, setAdminPassword, unlockAdmin } from './accounts/admin-recovery';
export { type RekeyOutcome, rekeyMfaSecrets } from './mfa/mfa-commands';
export { AuditAction, AuditEvent, type AuditEventView, CLI_ACTOR, SYSTEM_ACTOR } from './audit/audit-event.entity';
export { WebhooksAdminService } from './webhooks/webhooks-admin.service';
export { AUDIT_CSV_COLUMNS, AuditService, recordSystemAuditEvent } from './audit/audit.service';
export type { AuditEventFilter } from './audit/audit-event.repository';
export {
  type AdminCustomerDetail,
  type AdminCustomerListItem,
  CustomerSupportService,
  type Page,
} from './support/customer-support.service';
export { AdminSettingsService, type SettingChange } from './settings/admin-settings.service';
export {
  type NewStoreViewInput,
  StoresAdminService,
  type StoreViewFieldChange,
  type StoreViewInput,
  type WebsiteWithViews,
} from './stores/stores-admin.service';
export { AdminModule } from './admin.module';
export type { CustomerEmailView, LinkStatus } from './support/email-timeline.repository';
export type { CustomerDataExport } from './support/customer-data.repository';
export {
  type EmailPreview,
  type EmailTemplateSummary,
  EmailTemplatesAdminService,
  TEST_SENDS_PER_HOUR,
} from './support/email-templates-admin.service';
export {
  CONSOLE_BASE,
  CONSOLE_SCREENS,
  type ConsoleScreen,
  consoleHref,
  consolePagePaths,
  matchConsolePath,
} from './console/console-routes';
