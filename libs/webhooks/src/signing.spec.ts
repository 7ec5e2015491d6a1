import { Webhook } from 'standardwebhooks';
import { signingKey, signWebhook } from './signing';
import { generateWebhookSecret, WebhookSecrets } from './webhook-secrets';

/** Our signatures checked by the spec's reference library (standardwebhooks), not by our own code. */
describe('Standard Webhooks signing', () => {
  const body = JSON.stringify({ type: 'customer.created', timestamp: '2026-12-06T10:00:00.000Z', data: { customerId: 'c1' } });

  it('verifies with standardwebhooks', () => {
    const secret = generateWebhookSecret();
    expect(secret).toMatch(/^whsec_[A-Za-z0-9+/]{32}$/);
    const headers = signWebhook([secret], 'msg_1', Math.floor(Date.now() / 1000), body);
    expect(headers['webhook-signature']).toMatch(/^v1,[A-Za-z0-9+/]+=*$/);
    expect(new Webhook(secret).verify(body, { ...headers })).toEqual(JSON.parse(body));
  });

  it('during a rotation both signatures are sent, and either secret verifies', () => {
    const [current, previous] = [generateWebhookSecret(), generateWebhookSecret()];
    const headers = signWebhook([current, previous], 'msg_2', Math.floor(Date.now() / 1000), body);
    expect(headers['webhook-signature'].split(' ')).toHaveLength(2);
    expect(() => new Webhook(current).verify(body, { ...headers })).not.toThrow();
    expect(() => new Webhook(previous).verify(body, { ...headers })).not.toThrow();
    expect(() => new Webhook(generateWebhookSecret()).verify(body, { ...headers })).toThrow();
  });

  it('a key object made once signs as the secret itself does, alone or beside a secret', () => {
    const [current, previous] = [generateWebhookSecret(), generateWebhookSecret()];
    const now = Math.floor(Date.now() / 1000);
    expect(signWebhook([signingKey(current), signingKey(previous)], 'msg_5', now, body)).toEqual(
      signWebhook([current, previous], 'msg_5', now, body),
    );
    expect(() => new Webhook(previous).verify(body, { ...signWebhook([signingKey(current), previous], 'msg_5', now, body) })).not.toThrow();
  });

  it('a changed body, id or timestamp does not verify', () => {
    const secret = generateWebhookSecret();
    const now = Math.floor(Date.now() / 1000);
    const headers = signWebhook([secret], 'msg_3', now, body);
    const wh = new Webhook(secret);
    expect(() => wh.verify(body.replace('c1', 'c2'), { ...headers })).toThrow();
    expect(() => wh.verify(body, { ...headers, 'webhook-id': 'msg_4' })).toThrow();
    expect(() => wh.verify(body, { ...headers, 'webhook-timestamp': String(now + 1) })).toThrow();
  });

  it('the secret at rest is sealed, bound to its endpoint', () => {
    const box = new WebhookSecrets('k'.repeat(40));
    const secret = generateWebhookSecret();
    const sealed = box.seal(secret, 'endpoint-1');
    expect(sealed).not.toContain(secret.slice(6));
    expect(box.open(sealed, 'endpoint-1')).toBe(secret);
    expect(() => box.open(sealed, 'endpoint-2')).toThrow();
    // A key rotation: the previous key still opens it.
    expect(new WebhookSecrets('n'.repeat(40), 'k'.repeat(40)).open(sealed, 'endpoint-1')).toBe(secret);
  });
});
