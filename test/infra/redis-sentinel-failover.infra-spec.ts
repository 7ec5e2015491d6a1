import { allOf, isResetMail, sentTo, uniqueEmail } from '../support/helpers';
import { ApiRequest, ApiResponse } from '../support/http-client';
import { ExtraApi, ProcessGroup } from '../support/processes';
import { SentinelGroup, startSentinelGroup, stopServer, until } from '../support/redis-servers';
import { Stack, startStack } from '../support/stack';

type Api = (path: string, init?: ApiRequest) => Promise<ApiResponse>;

const EMAIL_CAP = 3;
/** Bounds of the load: requests per API, pause between them, and how long it may run in all. */
const MAX_REQUESTS_PER_API = 150;
const PAUSE_MS = 100;
const LOAD_BEFORE_KILL_MS = 1500;
const LOAD_AFTER_RECOVERY_MS = 2000;
const RECOVERY_LIMIT_MS = 30_000;
/** Mail of the accepted requests: jobs that were active on the dead primary come back after 2 s. */
const EMAILS_WITHIN_MS = 45_000;

interface Sent {
  api: number;
  email: string;
  status: number;
  /** When the request was sent (a request sent before the kill may be answered after it). */
  startedAt: number;
  at: number;
}

/**
 * A Sentinel-managed Redis (primary, replica, 3 sentinels on 127.0.0.1) under a steady forgot load
 * from 2 APIs, and the primary is killed (SIGKILL). No accepted request may be lost: every 202 gets
 * its email; during the switch the only 5xx is 503; the cap per email still holds afterwards. The
 * recovery time (kill to the first 202, and to both APIs answering 202) is printed.
 */
describe('Redis Sentinel failover under load from 2 APIs (infra)', () => {
  let sentinel: SentinelGroup;
  let stack: Stack;
  let group: ProcessGroup;
  let second: ExtraApi;

  beforeAll(async () => {
    sentinel = await startSentinelGroup();
    stack = await startStack({
      redis: sentinel,
      // A job that was active on the dead primary goes back to the queue within 2 s.
      env: { WORKER_STALLED_INTERVAL_MS: '2000', MAIL_RETRY_DELAY_MS: '200' },
      settings: { resetProtectionType: 'email', maxResetRequestsPerHour: EMAIL_CAP, minSecondsBetweenResetRequests: 0 },
    });
    group = new ProcessGroup(stack);
    second = await group.api('api-2');
  });

  afterAll(async () => {
    await group?.stopAll();
    await stack?.stop();
    await sentinel?.stop();
  });

  /** Customers inserted directly (no argon2 per customer): a forgot only needs the row. */
  async function customers(n: number, label: string): Promise<string[]> {
    const emails = Array.from({ length: n }, (_, i) => uniqueEmail(`${label}-${i}`).toLowerCase());
    await stack.db.query(
      `insert into customer (id, email, password_hash, first_name, last_name)
       select gen_random_uuid(), e, 'not-a-real-hash', 'Load', 'Test' from unnest($1::text[]) as e`,
      [emails],
    );
    return emails;
  }

  const forgot = (api: Api, email: string) => api('/api/v1/customers/password/forgot', { json: { email }, timeoutMs: 10_000 });

  it('loses no accepted request when the primary dies, answers 503 meanwhile, and keeps the cap', async () => {
    const apis: Api[] = [stack.api, second.api];
    const pool = await customers(2 * MAX_REQUESTS_PER_API, 'sentinel-load');
    const capEmail = (await customers(1, 'sentinel-cap'))[0];
    const since = stack.sink.mark();

    // Two requests against the cap before the failover (one per API), confirmed on the replica.
    expect((await forgot(apis[0], capEmail)).status).toBe(202);
    expect((await forgot(apis[1], capEmail)).status).toBe(202);

    const oldPrimaryPort = await sentinel.primaryPort();
    const sent: Sent[] = [];
    let next = 0;
    let killedAt = 0;
    let stopAt = Date.now() + LOAD_BEFORE_KILL_MS + RECOVERY_LIMIT_MS;
    const bothRecovered = () =>
      killedAt > 0 && [0, 1].every((api) => sent.some((s) => s.api === api && s.status === 202 && s.startedAt > killedAt));

    const load = async (api: number) => {
      for (let i = 0; i < MAX_REQUESTS_PER_API && Date.now() < stopAt; i++) {
        const email = pool[next++];
        const startedAt = Date.now();
        let status: number;
        try {
          status = (await forgot(apis[api], email)).status;
        } catch {
          status = -1; // no answer at all (counted as a failure below)
        }
        sent.push({ api, email, status, startedAt, at: Date.now() });
        if (bothRecovered()) stopAt = Math.min(stopAt, Date.now() + LOAD_AFTER_RECOVERY_MS);
        await new Promise((r) => setTimeout(r, PAUSE_MS));
      }
    };
    const running = Promise.all([load(0), load(1)]);
    await new Promise((r) => setTimeout(r, LOAD_BEFORE_KILL_MS));
    killedAt = Date.now();
    await stopServer(sentinel.primary, 'SIGKILL');
    await running;

    // Sentinel promoted the replica.
    await until('the sentinels name a new primary', 10_000, async () => (await sentinel.primaryPort()) !== oldPrimaryPort);

    const after = sent.filter((s) => s.startedAt > killedAt);
    const firstAccepted = (api?: number) => after.find((s) => s.status === 202 && (api === undefined || s.api === api))?.at;
    const recovery = {
      firstAcceptedMs: (firstAccepted() ?? NaN) - killedAt,
      bothApisMs: Math.max(firstAccepted(0) ?? NaN, firstAccepted(1) ?? NaN) - killedAt,
      lastRefusedMs: Math.max(0, ...after.filter((s) => s.status !== 202).map((s) => s.at - killedAt)),
      requests: sent.length,
      accepted: sent.filter((s) => s.status === 202).length,
      refused503: sent.filter((s) => s.status === 503).length,
    };
    console.log(`Sentinel failover recovery: ${JSON.stringify(recovery)}`);

    // Only 202 and 503, and the APIs did recover.
    expect([...new Set(sent.map((s) => s.status))].filter((s) => s !== 202 && s !== 503)).toEqual([]);
    expect(bothRecovered()).toBe(true);

    // Every 202 yields its email (jobs accepted before the kill included).
    const accepted = sent.filter((s) => s.status === 202);
    const missing = () => accepted.filter((s) => stack.sink.find(allOf(sentTo(s.email), isResetMail), since).length === 0);
    const waitStarted = Date.now();
    await until('every accepted request has its email', EMAILS_WITHIN_MS, async () => missing().length === 0).catch(() => undefined);
    console.log(`Sentinel failover: all accepted emails in ${Date.now() - waitStarted} ms after the load ended`);
    expect(missing().map((s) => ({ email: s.email, at: s.at - killedAt }))).toEqual([]);

    // The cap per email held across the failover: one more accepted (3 in all), then 429.
    expect((await forgot(apis[0], capEmail)).status).toBe(202);
    expect((await forgot(apis[1], capEmail)).status).toBe(429);
    expect((await forgot(apis[0], capEmail)).status).toBe(429);

    // Both APIs report ready again on the new primary.
    for (const api of apis) {
      await until('ready after the failover', 20_000, async () => (await api('/health/ready')).status === 200);
    }
    // Bounds above: setup, load <= 1.5 + 30 s, mail <= 45 s, readiness <= 2 x 20 s (slow on a busy machine).
  }, 180_000);
});
