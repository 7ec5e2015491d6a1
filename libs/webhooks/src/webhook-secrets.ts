import { createCipheriv, createDecipheriv, createHash, hkdfSync, randomBytes } from 'node:crypto';

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
 * The endpoints' secrets at rest, sealed as the TOTP secrets are (libs/admin, SecretBox;
 * docs/admin-sign-in.md "Keys and rotation"): AES-256-GCM with a key derived by HKDF-SHA256 from
 * MFA_ENCRYPTION_KEY, under its own label so the two uses never share a key; MFA_ENCRYPTION_KEY_PREVIOUS
 * still opens what the previous key sealed. The additional data binds a box to its endpoint.
 * Sealed rather than hashed: the worker needs the secret itself to sign.
 *
 * Format: `v1.<key id>.<iv>.<tag>.<ciphertext>` (base64url parts).
 */
export class WebhookSecrets {
  private readonly keys: Array<{ id: string; key: Buffer }>;

  constructor(current: string, previous?: string) {
    this.keys = [current, previous].filter((k): k is string => !!k).map(deriveKey);
  }

  seal(secret: string, endpointId: string): string {
    const { id, key } = this.keys[0];
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', key, iv);
    cipher.setAAD(Buffer.from(endpointId, 'utf8'));
    const ciphertext = Buffer.concat([cipher.update(secret, 'utf8'), cipher.final()]);
    return ['v1', id, iv.toString('base64url'), cipher.getAuthTag().toString('base64url'), ciphertext.toString('base64url')].join('.');
  }

  open(box: string, endpointId: string): string {
    const [version, id, iv, tag, ciphertext, ...rest] = box.split('.');
    if (version !== 'v1' || rest.length > 0 || !ciphertext) throw new Error('Not a sealed webhook secret.');
    const entry = this.keys.find((k) => k.id === id);
    if (!entry)
      throw new Error(`The webhook secret was sealed with key ${id}, which is neither MFA_ENCRYPTION_KEY nor MFA_ENCRYPTION_KEY_PREVIOUS.`);
    const decipher = createDecipheriv('aes-256-gcm', entry.key, Buffer.from(iv, 'base64url'));
    decipher.setAAD(Buffer.from(endpointId, 'utf8'));
    decipher.setAuthTag(Buffer.from(tag, 'base64url'));
    return Buffer.concat([decipher.update(Buffer.from(ciphertext, 'base64url')), decipher.final()]).toString('utf8');
  }
}

function deriveKey(secret: string): { id: string; key: Buffer } {
  const key = Buffer.from(hkdfSync('sha256', Buffer.from(secret, 'utf8'), 'customer-access', 'webhook-secret:aes-256-gcm:v1', 32));
  const id = createHash('sha256').update(key).digest('base64url').slice(0, 8);
  return { id, key };
}
