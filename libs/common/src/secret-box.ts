import { createCipheriv, createDecipheriv, createHash, hkdfSync, randomBytes } from 'node:crypto';

/** What a box holds: the HKDF label its key is derived under, and its name in error messages. */
export interface SealPurpose {
  /** e.g. `admin-mfa-secret:aes-256-gcm:v1`: each purpose its own key, never shared. */
  label: string;
  /** e.g. `MFA secret`. */
  name: string;
}

/**
 * AES-256-GCM for secrets the service must read back (TOTP secrets, webhook signing secrets).
 *
 * The AES key is derived with HKDF-SHA256 from MFA_ENCRYPTION_KEY under the purpose's label, so the
 * environment variable can be any long random string and one secret never keys two purposes. Each
 * box names its key by a short fingerprint, so MFA_ENCRYPTION_KEY_PREVIOUS keeps decrypting what
 * the previous key sealed while it is re-sealed. The additional data binds a box to its owner (an
 * admin's id, an endpoint's id): a box copied onto another row does not open.
 *
 * Format: `v1.<key id>.<iv>.<tag>.<ciphertext>` (base64url parts).
 */
export class SecretBox {
  private readonly keys: Array<{ id: string; key: Buffer }>;

  constructor(
    private readonly purpose: SealPurpose,
    current: string,
    previous?: string,
  ) {
    this.keys = [current, previous].filter((k): k is string => !!k).map((secret) => deriveKey(secret, purpose.label));
  }

  /** The id of the key new boxes are sealed with. */
  get currentKeyId(): string {
    return this.keys[0].id;
  }

  seal(plaintext: string, boundTo: string): string {
    const { id, key } = this.keys[0];
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', key, iv);
    cipher.setAAD(Buffer.from(boundTo, 'utf8'));
    const ciphertext = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
    return ['v1', id, iv.toString('base64url'), cipher.getAuthTag().toString('base64url'), ciphertext.toString('base64url')].join('.');
  }

  /** The plaintext, or throws when the box is malformed, sealed with an unknown key, or tampered with. */
  open(box: string, boundTo: string): string {
    const [version, id, iv, tag, ciphertext, ...rest] = box.split('.');
    if (version !== 'v1' || rest.length > 0 || !ciphertext) throw new Error(`Not a sealed ${this.purpose.name}.`);
    const entry = this.keys.find((k) => k.id === id);
    if (!entry) {
      throw new Error(
        `The ${this.purpose.name} was sealed with key ${id}, which is neither MFA_ENCRYPTION_KEY nor MFA_ENCRYPTION_KEY_PREVIOUS.`,
      );
    }
    const decipher = createDecipheriv('aes-256-gcm', entry.key, Buffer.from(iv, 'base64url'));
    decipher.setAAD(Buffer.from(boundTo, 'utf8'));
    decipher.setAuthTag(Buffer.from(tag, 'base64url'));
    return Buffer.concat([decipher.update(Buffer.from(ciphertext, 'base64url')), decipher.final()]).toString('utf8');
  }

  /** The id of the key a box was sealed with (for re-keying). */
  static keyIdOf(box: string): string | undefined {
    return box.split('.')[1];
  }
}

function deriveKey(secret: string, label: string): { id: string; key: Buffer } {
  const key = Buffer.from(hkdfSync('sha256', Buffer.from(secret, 'utf8'), 'customer-access', label, 32));
  // A fingerprint of the derived key (not of the secret), so that it reveals nothing usable.
  const id = createHash('sha256').update(key).digest('base64url').slice(0, 8);
  return { id, key };
}
