/**
 * The console's words for the server's names: each audit action, email template and webhook event
 * type, by its key under `console.audit.actions`, `console.emails.templates` and
 * `console.webhooks.eventTypes` of the catalogues. Plain data with no imports, so a unit test
 * (test/unit/console-labels.spec.ts) can hold it against the server's own lists: a name the server
 * can write without a label here fails that test.
 */
export const AUDIT_ACTION_KEYS: Record<string, string> = {
  'customer.password_reset_sent': 'passwordResetSent',
  'customer.force_sign_in': 'forceSignIn',
  'customer.updated': 'customerUpdated',
  'customer.unlocked': 'customerUnlocked',
  'customer.data_exported': 'customerDataExported',
  'customer.deleted': 'customerDeleted',
  'config.customer_password_changed': 'settingsChanged',
  'access.denied': 'accessDenied',
  'email.test_sent': 'emailTestSent',
  'admin.password_set': 'adminPasswordSet',
  'admin.unlocked': 'adminUnlocked',
  'admin.mfa_enrolled': 'mfaEnrolled',
  'admin.mfa_removed': 'mfaRemoved',
  'admin.mfa_failed': 'mfaFailed',
  'admin.recovery_code_used': 'recoveryCodeUsed',
  'admin.recovery_codes_regenerated': 'recoveryCodesRegenerated',
  'admin.mfa_reset': 'mfaReset',
  'api_key.created': 'apiKeyCreated',
  'api_key.first_used': 'apiKeyFirstUsed',
  'api_key.revoked': 'apiKeyRevoked',
  'store.website_created': 'websiteCreated',
  'store.store_view_created': 'storeViewCreated',
  'store.store_view_updated': 'storeViewUpdated',
  'webhook.created': 'webhookCreated',
  'webhook.updated': 'webhookUpdated',
  'webhook.deleted': 'webhookDeleted',
  'webhook.secret_rotated': 'webhookSecretRotated',
  'webhook.test_sent': 'webhookTestSent',
  'webhook.delivery_retried': 'webhookDeliveryRetried',
  'webhook.disabled_gone': 'webhookDisabledGone',
};

export const EMAIL_TEMPLATE_KEYS: Record<string, string> = {
  'password-reset': 'passwordReset',
  'admin-password-reset': 'adminPasswordReset',
  'password-changed': 'passwordChanged',
  'email-changed': 'emailChanged',
  'account-invitation': 'accountInvitation',
};

/** The webhook event types (docs/api.md, Webhooks), as receivers get them. */
export const WEBHOOK_EVENT_KEYS: Record<string, string> = {
  'customer.created': 'customerCreated',
  'customer.password_reset.requested': 'passwordResetRequested',
  'customer.password.changed': 'passwordChanged',
  'customer.tokens.revoked': 'tokensRevoked',
  'customer.locked': 'customerLocked',
  'customer.deleted': 'customerDeleted',
  'webhook.test': 'test',
};
