import { loadConfig } from '@customer-access/config';
import { DeliveryOutcome, WebhookDeliveries } from './webhook-deliveries';
import { AttemptRow, ClaimedDeliveryRow } from './webhook-delivery.queries';
import { WebhookRepository } from './webhook.repository';
import { SendResult, WebhookSender } from './webhook-sender';
import { generateWebhookSecret, WebhookSecrets } from './webhook-secrets';

/**
 * The deliverer's batching with the database and the network replaced: claims fill the free slots
 * and come back once half are free, outcomes of concurrent attempts share a statement, and a
 * receiver that never answers holds only its own slot.
 */
describe('WebhookDeliveries (claims and outcomes)', () => {
  const KEY = 'k'.repeat(40);
  const secrets = new WebhookSecrets(KEY);
  const sealed = secrets.seal(generateWebhookSecret(), 'e1');

  function setup(due: number, answer: (url: string) => Promise<SendResult>) {
    const rows: ClaimedDeliveryRow[] = Array.from({ length: due }, (_, i) => ({
      id: `d${i}`,
      eventId: `ev${i}`,
      payload: { type: 'customer.created', timestamp: '2026-12-06T10:00:00.000Z', data: { customerId: `c${i}` } },
      attempts: 0,
      createdAt: new Date().toISOString(),
      lease: 'lease',
      endpointId: 'e1',
      url: i === 0 ? 'https://hang.example/' : 'https://ok.example/',
      enabled: true,
      secretSealed: sealed,
      previousSecretSealed: null,
    }));
    const claims: number[] = [];
    const statements: AttemptRow[][] = [];
    const repository = {
      claimDue: async (limit: number) => {
        claims.push(limit);
        return rows.splice(0, limit);
      },
      recordAttempts: async (attempts: AttemptRow[]) => {
        statements.push(attempts);
        await new Promise((resolve) => setImmediate(resolve));
      },
      disableEndpoint: async () => true,
    } as unknown as WebhookRepository;
    let inFlight = 0;
    let maxInFlight = 0;
    const sender = {
      send: async (url: string) => {
        maxInFlight = Math.max(maxInFlight, ++inFlight);
        try {
          return await answer(url);
        } finally {
          inFlight--;
        }
      },
    } as unknown as WebhookSender;
    const config = loadConfig({ NODE_ENV: 'test', WEBHOOK_CONCURRENCY: '8', MFA_ENCRYPTION_KEY: KEY });
    const deliveries = new WebhookDeliveries(repository, sender, secrets, config);
    const outcomes: DeliveryOutcome['kind'][] = [];
    deliveries.onOutcome((outcome) => void outcomes.push(outcome.kind));
    return { deliveries, claims, statements, outcomes, maxInFlight: () => maxInFlight };
  }

  const until = async (check: () => boolean) => {
    for (let i = 0; i < 500 && !check(); i++) await new Promise((resolve) => setTimeout(resolve, 2));
    expect(check()).toBe(true);
  };

  it('keeps at most WEBHOOK_CONCURRENCY in flight, claims again once half are free, and writes outcomes together', async () => {
    let calls = 0;
    const t = setup(100, async () => {
      await new Promise((resolve) => setTimeout(resolve, 1 + (calls++ % 4)));
      return { kind: 'response', status: 204 };
    });
    await t.deliveries.pump();
    await until(() => t.outcomes.length === 100);
    expect(t.outcomes.every((o) => o === 'delivered')).toBe(true);
    expect(t.maxInFlight()).toBeLessThanOrEqual(8);
    expect(t.claims[0]).toBe(8);
    // Refills are batches of at least half the slots, not one claim per finished delivery.
    expect(t.claims.every((n) => n >= 4)).toBe(true);
    expect(t.claims.length).toBeLessThanOrEqual(100 / 4 + 1);
    expect(
      t.statements
        .flat()
        .map((a) => a.id)
        .sort(),
    ).toEqual(Array.from({ length: 100 }, (_, i) => `d${i}`).sort());
    expect(t.statements.length).toBeLessThan(100);
  });

  it('a receiver that never answers holds its own slot only: the others are delivered and recorded meanwhile', async () => {
    let release!: () => void;
    const hung = new Promise<SendResult>((resolve) => (release = () => resolve({ kind: 'error', message: 'no answer within 10000 ms' })));
    const t = setup(20, (url) => (url.includes('hang') ? hung : Promise.resolve({ kind: 'response', status: 204 })));
    await t.deliveries.pump();
    await until(() => t.outcomes.length === 19);
    expect(t.deliveries.active).toBe(1);
    expect(t.statements.flat().some((a) => a.id === 'd0')).toBe(false);
    release();
    await until(() => t.outcomes.length === 20);
    const hangRecord = t.statements.flat().find((a) => a.id === 'd0');
    expect(hangRecord).toMatchObject({ status: 'pending', error: 'no answer within 10000 ms', lease: 'lease' });
    expect(t.outcomes.filter((o) => o === 'retry')).toHaveLength(1);
  });
});
