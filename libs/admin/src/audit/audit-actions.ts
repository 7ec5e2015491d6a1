/**
 * What the audit trail records (AuditAction) and the actors of events no signed-in admin made. No
 * imports: the light CLI commands (admin-recovery.ts) take these without the entity and its ORM.
 */
export enum AuditAction {
  PasswordResetSent = 'customer.password_reset_sent',
  ForceSignIn = 'customer.force_sign_in',
  SettingsChanged = 'config.customer_password_changed',
  /** An admin edited a customer's account (details: changes, a list of {field, from, to}). */
  CustomerUpdated = 'customer.updated',
  /** An admin lifted a customer's sign-in lockout (details: wasLocked). */
  CustomerUnlocked = 'customer.unlocked',
  /** An admin downloaded everything stored about a customer (GET /admin/customers/:id/export; no details). */
  CustomerDataExported = 'customer.data_exported',
  /** An admin erased a customer (DELETE /admin/customers/:id): the customer's earlier events lose their details too, keeping action and id. */
  CustomerDeleted = 'customer.deleted',
  AccessDenied = 'access.denied',
  /** An admin sent themselves a test email of a template (details: template, locale). */
  EmailTestSent = 'email.test_sent',
  /** An admin's password was set from the CLI (details: targetAdminId, targetAdminEmail). */
  AdminPasswordSet = 'admin.password_set',
  /** An admin's sign-in lockout was lifted from the CLI (details: targetAdminId, targetAdminEmail, wasLocked). */
  AdminUnlocked = 'admin.unlocked',
  /** A second factor confirmed (details: factorId, method, name). */
  MfaEnrolled = 'admin.mfa_enrolled',
  /** A second factor removed by its admin (details: factorId, method, name). */
  MfaRemoved = 'admin.mfa_removed',
  /** A wrong, replayed or spent code at sign-in (details: method, signInEnded). */
  MfaFailed = 'admin.mfa_failed',
  /** A recovery code signed the admin in (details: remaining). */
  RecoveryCodeUsed = 'admin.recovery_code_used',
  /** New recovery codes replaced the old ones (details: count). */
  RecoveryCodesRegenerated = 'admin.recovery_codes_regenerated',
  /** `admin:mfa-reset` removed an admin's factors (details: targetAdminId, targetAdminEmail, factors, recoveryCodes, operator). */
  MfaReset = 'admin.mfa_reset',
  /** An API key created (details: apiKeyId, name, permissions, expiresAt). */
  ApiKeyCreated = 'api_key.created',
  /** An API key's first request (details: apiKeyId, name). */
  ApiKeyFirstUsed = 'api_key.first_used',
  /** An API key revoked (details: apiKeyId, name). */
  ApiKeyRevoked = 'api_key.revoked',
  /** A website created (details: websiteCode, name). */
  WebsiteCreated = 'store.website_created',
  /** A store view created (details: storeViewCode, websiteCode, values). */
  StoreViewCreated = 'store.store_view_created',
  /** A store view changed, a baseUrl among others (details: storeViewCode, websiteCode, changes: a list of {field, from, to}). */
  StoreViewUpdated = 'store.store_view_updated',
  /** A webhook endpoint added (details: endpointId, url, events, enabled). */
  WebhookCreated = 'webhook.created',
  /** A webhook endpoint changed (details: endpointId, changes: a list of {field, from, to}). */
  WebhookUpdated = 'webhook.updated',
  /** A webhook endpoint deleted, with its deliveries (details: endpointId, url). */
  WebhookDeleted = 'webhook.deleted',
  /** A webhook endpoint's secret rotated; the old one accepted 24 h more (details: endpointId, previousSecretExpiresAt). */
  WebhookSecretRotated = 'webhook.secret_rotated',
  /** A webhook.test event sent to an endpoint (details: endpointId, eventId). */
  WebhookTestSent = 'webhook.test_sent',
  /** A webhook delivery sent again by hand (details: deliveryId, endpointId, eventId, type). */
  WebhookDeliveryRetried = 'webhook.delivery_retried',
  /** The worker disabled an endpoint whose receiver answered 410 Gone (details: endpointId, url; adminEmail "system"). */
  WebhookDisabledGone = 'webhook.disabled_gone',
}

/** The adminEmail of events the service records by itself (no admin acted; adminId is null). */
export const SYSTEM_ACTOR = 'system';

/** The adminEmail of events recorded by `npm run cli` commands (no admin signed in; adminId is null). */
export const CLI_ACTOR = 'cli';
