/** The event types (docs/webhooks.md). Persisted in rows and sent to receivers: never rename, only add. */
export enum WebhookEventType {
  CustomerCreated = 'customer.created',
  /** From the worker, for existing accounts only (an unknown address produces nothing). */
  PasswordResetRequested = 'customer.password_reset.requested',
  PasswordChanged = 'customer.password.changed',
  /** `data.reason`: `force_sign_in` or `password_reset`; `data.revoked`: how many. */
  TokensRevoked = 'customer.tokens.revoked',
  CustomerLocked = 'customer.locked',
  /** An admin's erasure (DELETE /admin/customers/:id): tell the store's other systems to erase too. */
  CustomerDeleted = 'customer.deleted',
  /** An admin's test send to one endpoint. */
  Test = 'webhook.test',
}

export const WEBHOOK_EVENT_TYPES: readonly WebhookEventType[] = Object.values(WebhookEventType);

export function isWebhookEventType(value: unknown): value is WebhookEventType {
  return typeof value === 'string' && (WEBHOOK_EVENT_TYPES as readonly string[]).includes(value);
}

/** `data` of every customer event: who, never a password, hash, token or link. */
export interface CustomerEventData {
  customerId: string;
  email: string;
  websiteCode: string;
  storeViewCode: string;
  [extra: string]: unknown;
}
