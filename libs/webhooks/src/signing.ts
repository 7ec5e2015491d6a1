import { createHmac, createSecretKey, KeyObject } from 'node:crypto';
import { secretKeyBytes } from './webhook-secrets';

/** A type, not an interface: it is a Record<string, string> as the sender takes its headers (no copy to make it one). */
export type SignedHeaders = {
  'webhook-id': string;
  'webhook-timestamp': string;
  'webhook-signature': string;
};

/** A `whsec_` secret as a key object, made once and reused for every signature (the deliverer keeps it per endpoint). */
export function signingKey(secret: string): KeyObject {
  return createSecretKey(secretKeyBytes(secret));
}

/**
 * Standard Webhooks signature: HMAC-SHA256 over `{id}.{timestamp}.{body}` with the base64-decoded
 * `whsec_` secret, sent as `v1,<base64>`. With several secrets (during a rotation), one signature
 * each, separated by a space, as the spec allows; a receiver accepts any one. A secret may be given
 * as its `signingKey`.
 */
export function signWebhook(secrets: readonly (string | KeyObject)[], id: string, timestampSeconds: number, body: string): SignedHeaders {
  const content = `${id}.${timestampSeconds}.${body}`;
  let signature = '';
  for (const secret of secrets) {
    const key = typeof secret === 'string' ? secretKeyBytes(secret) : secret;
    signature += `${signature ? ' ' : ''}v1,${createHmac('sha256', key).update(content).digest('base64')}`;
  }
  return { 'webhook-id': id, 'webhook-timestamp': String(timestampSeconds), 'webhook-signature': signature };
}
