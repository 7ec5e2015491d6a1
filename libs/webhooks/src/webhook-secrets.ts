import { randomBytes } from 'node:crypto';
import { SecretBox } from '@customer-access/common';

const PREFIX = 'whsec_';

/** A new signing secret: `whsec_` and 24 random bytes in base64 (Standard Webhooks). */
export function generateWebhookSecret(): string {
  return PREFIX + randomBytes(24).toString('base64');
}

/** The key bytes of a `whsec_…` secret (the base64 after the prefix), as the spec signs with. */
export function secretKeyBytes(secret: string): Buffer {
  return Buffer.from(secret.startsWith(PREFIX) ? secret.slice(PREFIX.length) : secret, 'base64');
}

/**
 * The endpoints' secrets at rest, sealed as the TOTP secrets are (the common SecretBox;
 * docs/admin-sign-in.md "Keys and rotation"), under their own label so the two uses never share a
 * key; MFA_ENCRYPTION_KEY_PREVIOUS still opens what the previous key sealed. The additional data
 * binds a box to its endpoint. Sealed rather than hashed: the worker needs the secret itself to sign.
 */
export class WebhookSecrets extends SecretBox {
  constructor(current: string, previous?: string) {
    super({ label: 'webhook-secret:aes-256-gcm:v1', name: 'webhook secret' }, current, previous);
  }
}
