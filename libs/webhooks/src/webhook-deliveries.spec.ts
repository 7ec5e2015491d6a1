import { loadConfig } from '@customer-access/config';
import { DeliveryOutcome, WebhookDeliveries } from './webhook-deliveries';
import { AttemptRow, ClaimedDeliveryRow } from './webhook-delivery.queries';
import { WebhookRepository } from './webhook.repository';
import { SendResult, WebhookSender } from './webhook-sender';
import { generateWebhookSecret, WebhookSecrets } from './webhook-secrets';

/**
 * The deliverer's batching with the database and the network replaced: claims are batches of at
 * least WEBHOOK_CONCURRENCY, taken while the slots are still full (at most twice that held), outcomes
 * share statements, a receiver that never answers holds only its own slot, a stopping deliverer hands
 * back what it did not start, and a 410 keeps the endpoint's waiting deliveries from being sent.
 */
describe('WebhookDeliveries (claims and outcomes)', () => {
  const KEY = 'k'.repeat(40);
  const secrets = new WebhookSecrets(KEY);
  const sealed = secrets.seal(generateWebhookSecret(), 'e1');

  function setup(
    due: number,
    answer: (url: string) => Promise<SendResult>,
    urlOf = (i: number): string => (i === 0 ? 'https://hang.example/' : 'https://ok.example/'),
  ) {
    const rows: ClaimedDeliveryRow[] = Array.from({ length: due }, (_, i) => ({
      id: `d${i}`,
      eventId: `ev${i}`,
      payload: { type: 'customer.created', timestamp: '2026-12-06T10:00:00.000Z', data: { customerId: `c${i}` } },
      attempts: 0,
      createdAt: new Date().toISOString(),
      lease: 'lease',
      endpointId: 'e1',
      url: urlOf(i),
      enabled: true,
      secretSealed: sealed,
      previousSecretSealed: null,
    }));
    const claims: number[] = [];
    /** POSTs in flight when each claim was made. */
    const inFlightAtClaims: number[] = [];
    const released: string[] = [];
    const statements: AttemptRow[][] = [];
    let inFlight = 0;
    let maxInFlight = 0;
    let sends = 0;
    const repository = {
      claimDue: async (limit: number) => {
        claims.push(limit);
        inFlightAtClaims.push(inFlight);
        await new Promise((resolve) => setImmediate(resolve));
        return rows.splice(0, limit);
      },
      releaseClaims: async (claimed: Array<{ id: string }>) => void released.push(...claimed.map((c) => c.id)),
      recordAttempts: async (attempts: AttemptRow[]) => {
        statements.push(attempts);
        await new Promise((resolve) => setImmediate(resolve));
      },
      disableEndpoint: async () => true,
    } as unknown as WebhookRepository;
    const sender = {
      send: async (url: string) => {
        sends++;
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
    return {
      deliveries,
      rows,
      claims,
      inFlightAtClaims,
      released,
      statements,
      outcomes,
      maxInFlight: () => maxInFlight,
      sends: () => sends,
    };
  }

  const until = async (check: () => boolean) => {
    for (let i = 0; i < 500 && !check(); i++) await new Promise((resolve) => setTimeout(resolve, 2));
    expect(check()).toBe(true);
  };

  it('keeps at most WEBHOOK_CONCURRENCY in flight, claims batches before the slots run low, and writes outcomes together', async () => {
    let calls = 0;
    const t = setup(100, async () => {
      await new Promise((resolve) => setTimeout(resolve, 1 + (calls++ % 4)));
      return { kind: 'response', status: 204 };
    });
    await t.deliveries.pump();
    await until(() => t.outcomes.length === 100);
    expect(t.outcomes.every((o) => o === 'delivered')).toBe(true);
    expect(t.maxInFlight()).toBe(8);
    // Twice the slots at first (8 sent, 8 waiting), then batches of at least the slots.
    expect(t.claims[0]).toBe(16);
    expect(t.claims.every((n) => n >= 8)).toBe(true);
    expect(t.claims.length).toBeLessThanOrEqual(Math.ceil((100 - 16) / 8) + 3);
    // Pipelined: every refill was claimed while all 8 slots were still busy.
    expect(t.inFlightAtClaims.slice(1, -1).every((n) => n === 8)).toBe(true);
    expect(
      t.statements
        .flat()
        .map((a) => a.id)
        .sort(),
    ).toEqual(Array.from({ length: 100 }, (_, i) => `d${i}`).sort());
    // Grouped by WEBHOOK_CONCURRENCY (or 20 ms), not one statement per outcome: about 14 here, and
    // never more than a quarter of the outcomes even when a loaded machine runs the timers late.
    expect(t.statements.length).toBeLessThanOrEqual(100 / 4);
  });

  it('a stopping deliverer hands back the deliveries it claimed and did not start, and waits for the attempts in flight to be recorded', async () => {
    let release!: () => void;
    const hung = new Promise<SendResult>((resolve) => (release = () => resolve({ kind: 'response', status: 204 })));
    const t = setup(20, () => hung);
    await t.deliveries.pump();
    expect(t.deliveries.active).toBe(8);
    let stopped = false;
    const stopping = t.deliveries.stop().then(() => (stopped = true));
    await until(() => t.released.length === 8);
    expect(t.released).toEqual(Array.from({ length: 8 }, (_, i) => `d${8 + i}`));
    expect(stopped).toBe(false);
    release();
    await stopping;
    expect(t.outcomes).toEqual(Array(8).fill('delivered'));
    expect(t.sends()).toBe(8);
  });

  it('a 410 disables the endpoint, and its deliveries waiting for a slot fail without being sent', async () => {
    let release!: () => void;
    const hung = new Promise<SendResult>((resolve) => (release = () => resolve({ kind: 'response', status: 204 })));
    const t = setup(
      16,
      (url) => (url.includes('gone') ? Promise.resolve({ kind: 'response', status: 410 }) : hung),
      (i) => (i === 0 ? 'https://gone.example/' : 'https://slow.example/'),
    );
    await t.deliveries.pump();
    await until(() => t.outcomes.includes('gone'));
    release();
    await until(() => t.outcomes.length === 16);
    expect(t.sends()).toBe(8);
    expect(t.outcomes.filter((o) => o === 'failed')).toHaveLength(8);
    expect(t.statements.flat().filter((a) => a.error === 'the endpoint is disabled')).toHaveLength(8);
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

  it('deliveries a fan-out claimed for it are sent without a claim statement, within the room it reserved (twice WEBHOOK_CONCURRENCY held)', async () => {
    let release!: () => void;
    const hung = new Promise<SendResult>((resolve) => (release = () => resolve({ kind: 'response', status: 204 })));
    const t = setup(30, () => hung);
    const first = t.deliveries.reserve();
    expect(first).toEqual({ room: 16, leaseMs: t.deliveries.leaseMs });
    // Reserved for the statement in progress: a second fan-out, or a claim, gets no room meanwhile.
    expect(t.deliveries.reserve().room).toBe(0);
    t.deliveries.adopt([], 0);
    await t.deliveries.pump();
    expect(t.claims).toEqual([]);
    // The statement claimed 12 of its 16: 8 start, 4 wait; the room left is 4.
    t.deliveries.adopt(t.rows.splice(0, 12), first.room);
    expect(t.deliveries.active).toBe(8);
    expect(t.sends()).toBe(8);
    const second = t.deliveries.reserve();
    expect(second.room).toBe(4);
    t.deliveries.adopt(t.rows.splice(0, 4), second.room);
    expect(t.deliveries.reserve().room).toBe(0);
    release();
    await until(() => t.outcomes.length === 30);
    expect(t.claims.length).toBeGreaterThan(0);
    expect(t.statements.flat()).toHaveLength(30);
  });

  it('a stopped deliverer hands back what a fan-out claimed for it, and reserves no room', async () => {
    const t = setup(4, async () => ({ kind: 'response', status: 204 }));
    const { room } = t.deliveries.reserve();
    await t.deliveries.stop();
    t.deliveries.adopt(t.rows.splice(0, 4), room);
    await until(() => t.released.length === 4);
    expect(t.sends()).toBe(0);
    expect(t.deliveries.reserve().room).toBe(0);
  });
});
