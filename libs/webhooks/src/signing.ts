import { createHmac } from 'node:crypto';
import { secretKeyBytes } from './webhook-secrets';

export interface SignedHeaders {
  'webhook-id': string;
  'webhook-timestamp': string;
  'webhook-signature': string;
}

/**
 * Standard Webhooks signature: HMAC-SHA256 over `{id}.{timestamp}.{body}` with the base64-decoded
 * `whsec_` secret, sent as `v1,<base64>`. With several secrets (during a rotation), one signature
 * each, separated by a space, as the spec allows; a receiver accepts any one.
 */
export function signWebhook(secrets: readonly string[], id: string, timestampSeconds: number, body: string): SignedHeaders {
  const content = `${id}.${timestampSeconds}.${body}`;
  const signatures = secrets.map((s) => `v1,${createHmac('sha256', secretKeyBytes(s)).update(content).digest('base64')}`);
  return { 'webhook-id': id, 'webhook-timestamp': String(timestampSeconds), 'webhook-signature': signatures.join(' ') };
}
