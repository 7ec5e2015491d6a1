import { EntityManager } from '@mikro-orm/postgresql';
import { Logger } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { RetentionConfig } from '@customer-access/config';
import { PurgeSql, PurgeTarget } from '@customer-access/database';
import { MetricsRegistry, RetentionMetrics } from '@customer-access/observability';
import { PURGE_TARGETS } from '../../apps/worker/src/retention/retention-rules';
import { RetentionService } from '../../apps/worker/src/retention/retention.service';
import { createMediumDatabase, MediumDatabase } from './support/database';

/**
 * The retention purge against a real, migrated PostgreSQL: per table, exactly the rows past
 * retention go, none younger; boundaries are crossed by moving timestamps in SQL, never by sleeping.
 */
const DEFAULTS: RetentionConfig = {
  accessTokenHours: 24,
  resetTokenHours: 24,
  emailLogDays: 90,
  auditDays: 365,
  intervalMinutes: 60,
  webhookDeliveryDays: 30,
  batchSize: 5000,
  batchPauseMs: 0,
};

beforeAll(() => Logger.overrideLogger(['error', 'warn']));

let db: MediumDatabase;
let customerId: string;

beforeAll(async () => {
  db = await createMediumDatabase();
  customerId = randomUUID();
  await db.sql(`insert into customer (id, email, password_hash, first_name, last_name) values ($1, 'r@example.com', 'x', 'R', 'T')`, [
    customerId,
  ]);
});
afterAll(() => db?.close());

beforeEach(() => db.sql('truncate access_token, password_reset_token, email_log, admin_audit_event, outbox_message'));

function service(overrides: Partial<RetentionConfig> = {}): { retention: RetentionService; purged: (table: string) => Promise<number> } {
  const metrics = new RetentionMetrics(
    new MetricsRegistry('worker', { defaultMetrics: false }),
    Object.values(PURGE_TARGETS).map((t) => t.table),
  );
  const retention = new RetentionService(db.orm.em as EntityManager, { retention: { ...DEFAULTS, ...overrides } }, metrics);
  return {
    retention,
    purged: async (table) => (await metrics.rowsPurged.get()).values.find((v) => v.labels.table === table)?.value ?? -1,
  };
}

/** Inserts an access token; `expires`/`revoked` are SQL interval offsets from now() (e.g. '-25 hours'). */
async function accessToken(label: string, expires: string, revoked: string | null = null): Promise<void> {
  await db.sql(
    `insert into access_token (id, customer_id, token_hash, created_at, expires_at, revoked_at)
     values ($1, $2, $3, now() - interval '30 days', now() + $4::interval, now() + $5::interval)`,
    [randomUUID(), customerId, label.padEnd(64, '0'), expires, revoked],
  );
}

async function remaining(table: string, labelColumn: string): Promise<string[]> {
  const { rows } = await db.sql(`select ${labelColumn} as label from ${table} order by 1`);
  return rows.map((r: { label: string }) => r.label.trim().replace(/0+$/, ''));
}

describe('retention purge, per table', () => {
  it('access tokens: deletes those expired or revoked more than 24 h ago, keeps live and younger ones', async () => {
    await accessToken('live', '+1 hour');
    await accessToken('expired23h', '-23 hours');
    await accessToken('expired25h', '-25 hours');
    await accessToken('revoked25hNotExpired', '+29 days', '-25 hours');
    await accessToken('revoked1h', '+1 hour', '-1 hour');
    await accessToken('revoked23hExpired25h', '-25 hours', '-23 hours'); // dead since the earlier of the two
    const { retention, purged } = service();

    const results = await retention.run();

    expect(await remaining('access_token', 'token_hash')).toEqual(['expired23h', 'live', 'revoked1h'].sort());
    expect(results.find((r) => r.table === 'access_token')).toMatchObject({ rows: 3 });
    expect(await purged('access_token')).toBe(3);
  });

  it('access tokens: the 24 h boundary, crossed by moving the timestamps in SQL', async () => {
    await accessToken('expiredJustUnder', '-23 hours -59 minutes -50 seconds');
    await accessToken('revokedJustUnder', '+1 day', '-23 hours -59 minutes -50 seconds');
    const { retention } = service();
    await retention.run();
    expect(await remaining('access_token', 'token_hash')).toEqual(['expiredJustUnder', 'revokedJustUnder']);

    await db.sql(`update access_token set expires_at = expires_at - interval '20 seconds' where token_hash like 'expired%'`);
    await retention.run();
    expect(await remaining('access_token', 'token_hash')).toEqual(['revokedJustUnder']);

    await db.sql(`update access_token set revoked_at = revoked_at - interval '20 seconds'`);
    await retention.run();
    expect(await remaining('access_token', 'token_hash')).toEqual([]);
  });

  it('reset tokens: deletes those expired more than 24 h ago, used or not; keeps younger and live ones', async () => {
    const reset = (label: string, expires: string, used: string | null) =>
      db.sql(
        `insert into password_reset_token (id, customer_id, token_hash, origin, created_at, expires_at, used_at)
         values ($1, $2, $3, 'storefront', now() - interval '3 days', now() + $4::interval, now() + $5::interval)`,
        [randomUUID(), customerId, label.padEnd(64, '0'), expires, used],
      );
    await reset('live', '+1 hour', null);
    await reset('usedLive', '+1 hour', '-1 minute'); // kept until 24 h after its expiry
    await reset('expired23h', '-23 hours', null);
    await reset('expired25h', '-25 hours', null);
    await reset('usedExpired25h', '-25 hours', '-26 hours');
    const { retention, purged } = service();

    await retention.run();

    expect(await remaining('password_reset_token', 'token_hash')).toEqual(['expired23h', 'live', 'usedLive'].sort());
    expect(await purged('password_reset_token')).toBe(2);

    await db.sql(`update password_reset_token set expires_at = expires_at - interval '62 minutes' where token_hash like 'expired23h%'`);
    await retention.run();
    expect(await remaining('password_reset_token', 'token_hash')).toEqual(['live', 'usedLive']);
  });

  it('delivery log: deletes rows requested more than 90 days ago (by requested_at), keeps younger ones', async () => {
    const email = (label: string, requested: string, updated: string) =>
      db.sql(
        `insert into email_log (id, customer_id, template, origin, locale, status, attempts, requested_at, updated_at)
         values ($1, $2, 'password-reset', 'storefront', $3, 'sent', 1, now() - $4::interval, now() - $5::interval)`,
        [randomUUID(), customerId, label, requested, updated],
      );
    await email('d89', '89 days', '89 days');
    await email('d91', '91 days', '1 day'); // updated recently (a late retry): its age is still from the request
    await email('d400', '400 days', '400 days');
    await email('today', '0 days', '0 days');
    const { retention, purged } = service();

    await retention.run();
    expect(await remaining('email_log', 'locale')).toEqual(['d89', 'today']);
    expect(await purged('email_log')).toBe(2);

    await db.sql(`update email_log set requested_at = requested_at - interval '1 day 1 minute' where locale = 'd89'`);
    await retention.run();
    expect(await remaining('email_log', 'locale')).toEqual(['today']);
  });

  it('audit events: deletes those older than 365 days, keeps younger ones', async () => {
    for (const [email, age] of [
      ['d364', '364 days'],
      ['d366', '366 days'],
      ['d3650', '3650 days'],
      ['today', '0 days'],
    ]) {
      await db.sql(`insert into admin_audit_event (admin_email, action, created_at) values ($1, 'access.denied', now() - $2::interval)`, [
        email,
        age,
      ]);
    }
    const { retention, purged } = service();

    await retention.run();
    expect(await remaining('admin_audit_event', 'admin_email')).toEqual(['d364', 'today']);
    expect(await purged('admin_audit_event')).toBe(2);

    await db.sql(`update admin_audit_event set created_at = created_at - interval '1 day 1 minute' where admin_email = 'd364'`);
    await retention.run();
    expect(await remaining('admin_audit_event', 'admin_email')).toEqual(['today']);
  });

  it('outbox: deletes messages relayed more than 24 h ago; never one still pending, however old', async () => {
    const outbox = (name: string, created: string, relayed: string | null) =>
      db.sql(
        `insert into outbox_message (id, job_name, payload, created_at, relayed_at) values ($1, $2, '{}', now() + $3::interval, now() + $4::interval)`,
        [randomUUID(), name, created, relayed],
      );
    await outbox('pendingOld', '-30 days', null);
    await outbox('relayed23h', '-23 hours', '-23 hours');
    await outbox('relayed25h', '-25 hours', '-25 hours');
    const { retention, purged } = service();

    await retention.run();

    expect(await remaining('outbox_message', 'job_name')).toEqual(['pendingOld', 'relayed23h']);
    expect(await purged('outbox_message')).toBe(1);
  });

  it('webhook deliveries: deletes those created more than 30 days ago, of every endpoint, through small batches; reports the oldest', async () => {
    await db.sql('truncate webhook_endpoint cascade');
    const endpoints = [randomUUID(), randomUUID(), randomUUID()];
    for (const id of endpoints) {
      await db.sql(`insert into webhook_endpoint (id, url, events, secret_sealed) values ($1, 'https://example.com/h', '[]', 'x')`, [id]);
    }
    // Per endpoint, interleaved in time: 7 past retention (3 sharing one instant, across endpoints) and 2 younger;
    // the third endpoint has only young ones.
    const delivery = (endpoint: string, type: string, created: string) =>
      db.sql(
        `insert into webhook_delivery (id, event_id, endpoint_id, type, payload, status, created_at)
         values (gen_random_uuid(), gen_random_uuid(), $1, $2, '{}', 'delivered', $3::timestamptz)`,
        [endpoint, type, created],
      );
    for (const [e, endpoint] of endpoints.slice(0, 2).entries()) {
      for (let i = 1; i <= 4; i++) await delivery(endpoint, `old${e}`, `${2020 + e}-0${i}-01T00:00:00Z`);
      for (let i = 0; i < 3; i++) await delivery(endpoint, `old${e}`, '2019-06-01T00:00:00Z');
    }
    for (const endpoint of endpoints) {
      await delivery(endpoint, 'young', new Date(Date.now() - 29 * 86_400_000).toISOString());
      await delivery(endpoint, 'young', new Date().toISOString());
    }
    const { retention, purged } = service({ batchSize: 4 });
    const ages = await retention.oldestRowAges();
    expect(ages.webhook_delivery).toBeGreaterThan((Date.now() - Date.parse('2019-06-01T00:00:00Z')) / 1000 - 60);

    const results = await retention.run();

    expect(results.find((r) => r.table === 'webhook_delivery')).toMatchObject({ rows: 14 });
    expect(await remaining('webhook_delivery', 'type')).toEqual(Array(6).fill('young'));
    expect(await purged('webhook_delivery')).toBe(14);
    const after = await retention.oldestRowAges();
    expect(after.webhook_delivery).toBeGreaterThan(29 * 86_400 - 60);
    expect(after.webhook_delivery).toBeLessThan(29 * 86_400 + 60);
    await db.sql('truncate webhook_endpoint cascade');
    expect((await retention.oldestRowAges()).webhook_delivery).toBe(0);
  });

  it('0 = keep forever: nothing is deleted from a table whose retention is 0, however old', async () => {
    await accessToken('expiredLongAgo', '-3650 days');
    await db.sql(
      `insert into password_reset_token (id, customer_id, token_hash, origin, expires_at) values ($1, $2, $3, 'admin', now() - interval '3650 days')`,
      [randomUUID(), customerId, 'old'.padEnd(64, '0')],
    );
    await db.sql(
      `insert into admin_audit_event (admin_email, action, created_at) values ('old', 'access.denied', now() - interval '3650 days')`,
    );
    await db.sql(
      `insert into email_log (id, customer_id, template, origin, locale, status, attempts, requested_at, updated_at)
       values ($1, $2, 'password-changed', 'system', 'en', 'sent', 1, now() - interval '3650 days', now())`,
      [randomUUID(), customerId],
    );
    const { retention, purged } = service({ accessTokenHours: 0, resetTokenHours: 0, emailLogDays: 0, auditDays: 0 });

    const results = await retention.run();

    expect((await db.sql('select count(*)::int as n from access_token')).rows[0].n).toBe(1);
    expect((await db.sql('select count(*)::int as n from password_reset_token')).rows[0].n).toBe(1);
    expect((await db.sql('select count(*)::int as n from admin_audit_event')).rows[0].n).toBe(1);
    expect((await db.sql('select count(*)::int as n from email_log')).rows[0].n).toBe(1);
    expect(results.filter((r) => r.note === 'kept forever').map((r) => r.table)).toEqual([
      'access_token',
      'password_reset_token',
      'email_log',
      'admin_audit_event',
    ]);
    expect(await purged('access_token')).toBe(0);
  });
});

describe('retention purge, in batches', () => {
  it('deletes everything due through many small batches, rows sharing one instant included, and nothing else', async () => {
    // 23 rows past retention, 10 of them expired at the very same instant (a batch boundary falls inside them).
    await db.sql(
      `insert into access_token (id, customer_id, token_hash, expires_at)
       select gen_random_uuid(), $1, lpad(i::text, 64, 'x'), case when i <= 10 then timestamptz '2020-01-01 00:00:00+00' else now() - i * interval '1 day' end
       from generate_series(1, 23) i`,
      [customerId],
    );
    await accessToken('live', '+1 hour');
    const { retention, purged } = service({ batchSize: 4 });

    const [result] = await retention.run();

    expect(result).toMatchObject({ table: 'access_token', rows: 23 });
    expect(await remaining('access_token', 'token_hash')).toEqual(['live']);
    expect(await purged('access_token')).toBe(23);
  });

  it('stops between two batches when the worker shuts down; the next run carries on', async () => {
    await db.sql(
      `insert into access_token (id, customer_id, token_hash, expires_at)
       select gen_random_uuid(), $1, lpad(i::text, 64, 'x'), now() - interval '2 days' - i * interval '1 minute' from generate_series(1, 10) i`,
      [customerId],
    );
    const { retention } = service({ batchSize: 3, batchPauseMs: 60_000 });
    const stop = new AbortController();

    const running = retention.run(stop.signal);
    setTimeout(() => stop.abort(), 200);
    const results = await running;

    expect(results).toEqual([expect.objectContaining({ table: 'access_token', rows: 3, note: 'stopped' })]);
    expect((await db.sql('select count(*)::int as n from access_token')).rows[0].n).toBe(7);
    await service({ batchSize: 3 }).retention.run();
    expect((await db.sql('select count(*)::int as n from access_token')).rows[0].n).toBe(0);
  });

  it('reports the age of each table’s oldest row since it started to age (0 when none has)', async () => {
    await accessToken('live', '+1 hour');
    await db.sql(
      `insert into admin_audit_event (admin_email, action, created_at) values ('a', 'access.denied', now() - interval '10 days')`,
    );
    const ages = await service().retention.oldestRowAges();
    expect(ages.access_token).toBe(0);
    expect(ages.password_reset_token).toBe(0);
    expect(ages.admin_audit_event).toBeGreaterThan(10 * 86_400 - 60);
    expect(ages.admin_audit_event).toBeLessThan(10 * 86_400 + 60);
  });
});

describe('retention purge plans', () => {
  /** EXPLAIN of a batch with sequential scans priced out: any table scan left means no usable index. */
  async function plan(target: PurgeTarget, keyset: boolean): Promise<string> {
    const parent = target.per ? randomUUID() : null;
    const { text: sql, params } = PurgeSql.batch(target, 86_400, 5000, keyset ? '2020-01-01T00:00:00Z' : null, parent);
    await db.sql('begin');
    try {
      await db.sql('set local enable_seqscan = off');
      const { rows } = await db.sql(`explain ${sql}`, [...params]);
      return rows.map((r: { 'QUERY PLAN': string }) => r['QUERY PLAN']).join('\n');
    } finally {
      await db.sql('rollback');
    }
  }

  it.each(Object.values(PURGE_TARGETS).map((t) => [t.table, t] as const))(
    '%s: each batch reads the index on its age column and finds rows by primary key, no sequential scan',
    async (_table, target: PurgeTarget) => {
      for (const keyset of [false, true]) {
        const text = await plan(target, keyset);
        expect(text).not.toMatch(/Seq Scan/);
        // Tiny tables get a bitmap scan; at scale it is a plain index scan (docs/performance.md). Either reads the
        // index (backward for webhook_delivery's per-endpoint one, newest first), once: one parent's rows per batch.
        expect(text).toMatch(new RegExp(`Index (Only )?Scan (Backward )?(using|on) ${target.index}\\b`));
        expect(text.match(new RegExp(`(using|on) ${target.index}\\b`, 'g'))).toHaveLength(1);
        if (target.per) expect(text).not.toMatch(new RegExp(`\\b${target.per.table}\\b`));
        expect(text).toMatch(new RegExp(`Index Scan (using|on) ${target.table}_pkey\\b`));
      }
    },
  );
});
