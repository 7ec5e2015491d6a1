import { SecretBox as SealedSecrets } from '@customer-access/common';

/**
 * The TOTP secrets at rest (docs/admin-sign-in.md, "Keys and rotation"): the common SecretBox under
 * the MFA label, each box bound to its admin's id; `admin:mfa-rekey` re-seals under the current key.
 */
export class SecretBox extends SealedSecrets {
  constructor(current: string, previous?: string) {
    super({ label: 'admin-mfa-secret:aes-256-gcm:v1', name: 'MFA secret' }, current, previous);
  }
}
