import { TableNotFoundException, UniqueConstraintViolationException } from '@mikro-orm/core';
import { EntityManager } from '@mikro-orm/postgresql';
import { getQueueToken } from '@nestjs/bullmq';
import type { Queue } from 'bullmq';
import { ErrorCode, generateToken, hashToken } from '@customer-access/common';
import { pooledRows, preparedRows, preparingStatements, selectRows, sql, usePreparedStatements } from '@customer-access/database';
import { PasswordHasher } from '@customer-access/customers';
import { mailQueueConnection, OutboxService, QueueName } from '@customer-access/notification';
import { CompletePasswordReset, PasswordResetModule, PasswordResetService } from '@customer-access/password-reset';
import { SettingsModule, SettingsService } from '@customer-access/settings';
import { PasswordResetTokenRepository } from '../../libs/password-reset/src/password-reset-token.repository';
import { insertCustomer, Medium, startMedium } from './support/medium';

/** libs/password-reset against PostgreSQL and Redis: issuing, checking and completing a reset. */
describe('password-reset (medium)', () => {
  let medium: Medium;
  let passwordReset: PasswordResetService;
  let completeReset: CompletePasswordReset;
  const newPassword = 'Fresh-Passw0rd';

  beforeAll(async () => {
    medium = await startMedium({ imports: [SettingsModule, mailQueueConnection('producer'), PasswordResetModule] });
    passwordReset = medium.get(PasswordResetService);
    completeReset = medium.get(CompletePasswordReset);
  });
  afterAll(() => medium?.close());

  const tokens = async (customerId: string) =>
    (
      await medium.db.query(
        'select token_hash, used_at, superseded_at from password_reset_token where customer_id = $1 order by created_at, id',
        [customerId],
      )
    ).rows;
  const liveAccessTokens = async (customerId: string) =>
    Number(
      (await medium.db.query('select count(*) from access_token where customer_id = $1 and revoked_at is null', [customerId])).rows[0]
        .count,
    );
  const addAccessToken = (customerId: string) =>
    medium.db.query(
      `insert into access_token (id, customer_id, token_hash, expires_at) values (gen_random_uuid(), $1, $2, now() + interval '1 hour')`,
      [customerId, hashToken(generateToken())],
    );

  it('issues a token stored as its hash only, and a newer one supersedes the older', async () => {
    const customer = await insertCustomer(medium.db);
    const first = await passwordReset.issueForEmail(customer.email);
    const second = await passwordReset.issueForCustomer(customer.id);
    expect(first!.customer.id).toBe(customer.id);
    const rows = await tokens(customer.id);
    expect(rows.map((r) => r.token_hash)).toEqual([hashToken(first!.rawToken), hashToken(second!.rawToken)]);
    expect(rows[0].superseded_at).toBeInstanceOf(Date);
    expect(rows[1].superseded_at).toBeNull();
    await expect(passwordReset.validate(first!.rawToken)).rejects.toMatchObject({ code: ErrorCode.ResetTokenInvalid, reason: 'spent' });
    // A usable token also tells the language and email stored on its account (the reset page speaks
    // the one and names the account to password managers with the other).
    await expect(passwordReset.validate(second!.rawToken)).resolves.toEqual({
      customerLocale: second!.customer.locale,
      customerEmail: second!.customer.email,
    });
    expect(await passwordReset.issueForEmail('nobody@medium.test')).toBeNull();
  });

  it('writes customer.password_reset.requested with the token, relayed and fanned out by the same statement', async () => {
    const endpoint = async (events: string[], enabled = true) =>
      (
        await medium.db.query(
          `insert into webhook_endpoint (id, url, events, enabled, secret_sealed) values (gen_random_uuid(), 'https://hooks.medium.test/', $1::jsonb, $2, 'sealed') returning id`,
          [JSON.stringify(events), enabled],
        )
      ).rows[0].id as string;
    const eventsOf = async (customerId: string) =>
      (
        await medium.db.query(
          `select o.id, o.relayed_at as "relayedAt", array(select d.endpoint_id from webhook_delivery d where d.event_id = o.id) as endpoints
           from outbox_message o where o.job_name = 'webhook-event' and o.payload->>'type' = 'customer.password_reset.requested'
             and o.payload->'data'->>'customerId' = $1::text`,
          [customerId],
        )
      ).rows as { id: string; relayedAt: Date | null; endpoints: string[] }[];
    try {
      // No endpoint wants it: the event is written relayed, with no delivery.
      const alone = await insertCustomer(medium.db);
      await passwordReset.issueForEmail(alone.email);
      expect(await eventsOf(alone.id)).toEqual([{ id: expect.any(String), relayedAt: expect.any(Date), endpoints: [] }]);

      // One subscribed endpoint (of three): one pending delivery, written with the token.
      const wanted = await endpoint(['customer.password_reset.requested']);
      await endpoint(['customer.password_reset.requested'], false);
      await endpoint(['customer.locked']);
      const customer = await insertCustomer(medium.db);
      await passwordReset.issueForCustomer(customer.id);
      const [event] = await eventsOf(customer.id);
      expect(event).toEqual({ id: expect.any(String), relayedAt: expect.any(Date), endpoints: [wanted] });
      const [delivery] = (await medium.db.query(`select status, payload from webhook_delivery where event_id = $1`, [event.id])).rows;
      expect(delivery).toMatchObject({
        status: 'pending',
        payload: { type: 'customer.password_reset.requested', data: { customerId: customer.id } },
      });

      // No account, no token and no event.
      expect(await passwordReset.issueForEmail('nobody-event@medium.test')).toBeNull();
    } finally {
      await medium.db.query('delete from webhook_endpoint');
    }
  });

  /** A statement with a number, a quote and a question mark, and a time among its parameters, and what it reads. */
  const sampleQuery = () =>
    sql<{
      n: number;
      s: string;
      at: string;
    }>`select ${41}::int + 1 as n, ${"it's ?"}::text as s, ${new Date('2026-01-02T03:04:05.678Z')}::timestamptz::text as at`;
  const SAMPLE_ROWS = [{ n: 42, s: "it's ?", at: '2026-01-02 03:04:05.678+00' }];

  it('pooledRows (the issue statement runs through it) reads what selectRows reads, converts errors like the ORM, and refuses a transaction', async () => {
    const em = medium.get(EntityManager).fork();
    const query = sampleQuery();
    expect(await pooledRows(em, query)).toEqual(await selectRows(em, query));
    expect(await pooledRows(em, query)).toEqual(SAMPLE_ROWS);
    await expect(pooledRows(em, sql`select * from no_such_table`)).rejects.toBeInstanceOf(TableNotFoundException);
    await expect(em.transactional((tx) => pooledRows(tx, sql`select 1`))).rejects.toThrow(/outside transactions/);
  });

  it('preparedRows (the reset statements run through it) reads what selectRows reads, converts errors, and in a transaction runs there', async () => {
    const em = medium.get(EntityManager).fork();
    const query = sampleQuery();
    const expected = SAMPLE_ROWS;
    expect(await selectRows(em, query)).toEqual(expected);
    // Parsed on the first call, the prepared statement's later calls only bind and execute.
    for (let i = 0; i < 7; i++) expect(await preparedRows(em, query)).toEqual(expected);
    const prepared = await preparedRows(
      em,
      sql<{ n: number }>`select count(*)::int as n from pg_prepared_statements where statement = ${query.text}`,
    );
    expect(prepared).toEqual([{ n: 1 }]);
    await expect(preparedRows(em, sql`select * from no_such_table where id = ${1}`)).rejects.toBeInstanceOf(TableNotFoundException);
    await expect(em.transactional((tx) => preparedRows(tx, query))).resolves.toEqual(expected);
    expect(preparingStatements()).toBe(true);
  });

  it('preparedRows falls back to inlined statements for good when the server session lost its statement (a pooler in transaction mode)', async () => {
    const em = medium.get(EntityManager).fork();
    const query = sql<{ n: number }>`select ${20}::int + 1 as n`;
    try {
      // What PgBouncer before 1.21 does: the next transaction lands on a server connection that never
      // saw the Parse, and PostgreSQL refuses the Bind (26000). DEALLOCATE makes this connection one.
      for (let i = 0; i < 10 && preparingStatements(); i++) {
        expect(await preparedRows(em, query)).toEqual([{ n: 21 }]);
        await pooledRows(em, sql`deallocate all`);
        expect(await preparedRows(em, query)).toEqual([{ n: 21 }]);
      }
      expect(preparingStatements()).toBe(false);
      expect(await preparedRows(em, query)).toEqual([{ n: 21 }]);
    } finally {
      usePreparedStatements(true);
    }
  });

  it("issues concurrent jobs' tokens in one commit; one customer twice ends as one at a time would; a failing issue fails only itself", async () => {
    const repository = medium.get(PasswordResetTokenRepository);
    const [a, b, c] = [await insertCustomer(medium.db), await insertCustomer(medium.db), await insertCustomer(medium.db)];
    const hashes = [a, b, b, c].map(() => hashToken(generateToken()));
    const issued = await Promise.all([
      repository.issueForCustomer({ id: a.id }, hashes[0], 'admin', 1),
      repository.issueForCustomer({ email: b.email, websiteCode: 'base' }, hashes[1], 'storefront', 1),
      repository.issueForCustomer({ id: b.id }, hashes[2], 'admin', 1),
      repository.issueForCustomer({ email: 'nobody-group@medium.test', websiteCode: 'base' }, hashToken(generateToken()), 'storefront', 1),
      repository.issueForCustomer({ id: c.id }, hashes[3], 'admin', 1),
    ]);
    expect(issued.map((one) => one?.customer.id ?? null)).toEqual([a.id, b.id, b.id, null, c.id]);
    // One transaction: now() is the same for every token of the group.
    const created = (await medium.db.query('select distinct created_at from password_reset_token where token_hash = any($1)', [hashes]))
      .rows;
    expect(created).toHaveLength(1);
    // b's second token superseded the first, as if issued one after the other.
    const bTokens = new Map((await tokens(b.id)).map((row) => [row.token_hash, row.superseded_at]));
    expect(bTokens.size).toBe(2);
    expect(bTokens.get(hashes[1])).toBeInstanceOf(Date);
    expect(bTokens.get(hashes[2])).toBeNull();

    // A failing issue (a token hash already stored) among good ones: it alone fails; the others are
    // issued once each, with one webhook event each.
    const [d, e] = [await insertCustomer(medium.db), await insertCustomer(medium.db)];
    const [dHash, eHash] = [hashToken(generateToken()), hashToken(generateToken())];
    const outcomes = await Promise.allSettled([
      repository.issueForCustomer({ id: d.id }, dHash, 'admin', 1),
      repository.issueForCustomer({ id: c.id }, hashes[3], 'admin', 1),
      repository.issueForCustomer({ id: e.id }, eHash, 'admin', 1),
    ]);
    expect(outcomes.map((outcome) => outcome.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect((outcomes[1] as PromiseRejectedResult).reason).toBeInstanceOf(UniqueConstraintViolationException);
    for (const [customer, hash] of [
      [d, dHash],
      [e, eHash],
    ] as const) {
      expect((await tokens(customer.id)).map((row) => [row.token_hash, row.superseded_at])).toEqual([[hash, null]]);
      const events = await medium.db.query(
        `select count(*)::int as n from outbox_message where job_name = 'webhook-event' and payload->'data'->>'customerId' = $1::text`,
        [customer.id],
      );
      expect(events.rows[0].n).toBe(1);
    }
    // c kept its one token, unsuperseded by the failed issue.
    expect((await tokens(c.id)).map((row) => [row.token_hash, row.superseded_at])).toEqual([[hashes[3], null]]);
  });

  it('tells unknown, expired and usable tokens apart', async () => {
    const customer = await insertCustomer(medium.db);
    const issued = await passwordReset.issueForCustomer(customer.id);
    await expect(passwordReset.validate(generateToken())).rejects.toMatchObject({ code: ErrorCode.ResetTokenInvalid, reason: 'unknown' });
    await expect(passwordReset.validate('not a token')).rejects.toMatchObject({ code: ErrorCode.ResetTokenInvalid });
    await medium.db.query(`update password_reset_token set expires_at = now() - interval '1 second' where token_hash = $1`, [
      hashToken(issued!.rawToken),
    ]);
    await expect(passwordReset.validate(issued!.rawToken)).rejects.toMatchObject({ code: ErrorCode.ResetTokenExpired });
  });

  it('completes a reset in one statement: token used, others superseded, hash stored, lockout lifted, access tokens revoked, outbox row', async () => {
    const customer = await insertCustomer(medium.db, { failedLoginCount: 4, lockedUntil: new Date(Date.now() + 60_000) });
    await addAccessToken(customer.id);
    await addAccessToken(customer.id);
    const issued = await passwordReset.issueForCustomer(customer.id);
    // An outstanding token that somehow escaped superseding (e.g. written by an older version).
    await medium.db.query(
      `insert into password_reset_token (id, customer_id, token_hash, origin, expires_at) values (gen_random_uuid(), $1, $2, 'admin', now() + interval '1 hour')`,
      [customer.id, hashToken(generateToken())],
    );

    const result = await completeReset.execute({ token: issued!.rawToken, password: newPassword, passwordConfirmation: newPassword });
    expect(result).toEqual({ customerId: customer.id });

    const rows = await tokens(customer.id);
    const used = rows.find((r) => r.token_hash === hashToken(issued!.rawToken))!;
    expect(used.used_at).toBeInstanceOf(Date);
    expect(used.superseded_at).toBeNull();
    expect(rows.filter((r) => r !== used).every((r) => r.used_at === null && r.superseded_at instanceof Date)).toBe(true);

    const row = (await medium.db.query('select password_hash, failed_login_count, locked_until from customer where id = $1', [customer.id]))
      .rows[0];
    expect(row.failed_login_count).toBe(0);
    expect(row.locked_until).toBeNull();
    expect(await medium.get(PasswordHasher).verify(row.password_hash, newPassword)).toBe(true);
    expect(await liveAccessTokens(customer.id)).toBe(0);

    // The confirmation email's row is committed pending: the request adds no job, the worker's sweep relays it.
    const outboxRows = () =>
      medium.db.query("select id, job_name, payload, relayed_at from outbox_message where payload->>'customerId' = $1", [customer.id]);
    const outbox = await outboxRows();
    expect(outbox.rows).toEqual([
      { id: expect.any(String), job_name: 'password-changed', payload: { customerId: customer.id }, relayed_at: null },
    ]);
    const outboxId = outbox.rows[0].id as string;
    const queue = medium.get<Queue>(getQueueToken(QueueName.Mail));
    expect(await queue.getJob(`outbox-${outboxId}`)).toBeUndefined();
    expect(await medium.get(OutboxService).relay([outboxId])).toBe(1);
    expect(await queue.getJob(`outbox-${outboxId}`)).toMatchObject({
      name: 'password-changed',
      data: { customerId: customer.id },
    });
    expect((await outboxRows()).rows[0].relayed_at).toBeInstanceOf(Date);

    await expect(
      completeReset.execute({ token: issued!.rawToken, password: newPassword, passwordConfirmation: newPassword }),
    ).rejects.toMatchObject({ code: ErrorCode.ResetTokenInvalid, reason: 'spent' });
  });

  it("fans the reset's webhook events out in its own statement: recorded relayed, one pending delivery per subscribed endpoint", async () => {
    const endpoint = (events: string[], enabled: boolean) =>
      medium.db.query(
        `insert into webhook_endpoint (id, url, events, enabled, secret_sealed) values (gen_random_uuid(), 'https://hooks.medium.test/', $1, $2, 'sealed') returning id`,
        [JSON.stringify(events), enabled],
      );
    const subscribed = (await endpoint(['customer.password.changed', 'customer.tokens.revoked'], true)).rows[0].id;
    await endpoint(['customer.password.changed'], false);
    await endpoint(['customer.locked'], true);
    try {
      const customer = await insertCustomer(medium.db);
      await addAccessToken(customer.id);
      const issued = await passwordReset.issueForCustomer(customer.id);
      await completeReset.execute({ token: issued!.rawToken, password: newPassword, passwordConfirmation: newPassword });

      const events = await medium.db.query(
        `select payload->>'type' as type, payload->'data' as data, relayed_at from outbox_message
         where job_name = 'webhook-event' and payload->'data'->>'customerId' = $1 and payload->>'type' <> 'customer.password_reset.requested'
         order by payload->>'type'`,
        [customer.id],
      );
      expect(events.rows).toEqual([
        expect.objectContaining({ type: 'customer.password.changed', relayed_at: expect.any(Date) }),
        {
          type: 'customer.tokens.revoked',
          data: expect.objectContaining({ reason: 'password_reset', revoked: 1 }),
          relayed_at: expect.any(Date),
        },
      ]);
      const deliveries = await medium.db.query(
        `select d.endpoint_id, d.type, d.status from webhook_delivery d join outbox_message m on (m.payload->>'id')::uuid = d.event_id
         where m.payload->'data'->>'customerId' = $1 order by d.type`,
        [customer.id],
      );
      expect(deliveries.rows).toEqual([
        { endpoint_id: subscribed, type: 'customer.password.changed', status: 'pending' },
        { endpoint_id: subscribed, type: 'customer.tokens.revoked', status: 'pending' },
      ]);
    } finally {
      await medium.db.query('delete from webhook_delivery');
      await medium.db.query('delete from webhook_endpoint');
    }
  });

  it('keeps access tokens when revokeTokensOnReset is off', async () => {
    const settings = medium.get(SettingsService);
    await settings.update({ revokeTokensOnReset: false });
    try {
      const customer = await insertCustomer(medium.db);
      await addAccessToken(customer.id);
      const issued = await passwordReset.issueForCustomer(customer.id);
      await completeReset.execute({ token: issued!.rawToken, password: newPassword, passwordConfirmation: newPassword });
      expect(await liveAccessTokens(customer.id)).toBe(1);
    } finally {
      await settings.update({ revokeTokensOnReset: true });
    }
  });

  it('lets exactly one of concurrent resets with one token win; the others are refused as spent', async () => {
    const customer = await insertCustomer(medium.db);
    const issued = await passwordReset.issueForCustomer(customer.id);
    const outcomes = await Promise.allSettled(
      Array.from({ length: 6 }, (_, i) =>
        completeReset.execute({ token: issued!.rawToken, password: `${newPassword}-${i}`, passwordConfirmation: `${newPassword}-${i}` }),
      ),
    );
    expect(outcomes.filter((o) => o.status === 'fulfilled')).toHaveLength(1);
    for (const o of outcomes.filter((o): o is PromiseRejectedResult => o.status === 'rejected')) {
      expect(o.reason).toMatchObject({ code: ErrorCode.ResetTokenInvalid, reason: 'spent' });
    }
    const outbox = await medium.db.query("select count(*)::int as n from outbox_message where payload->>'customerId' = $1", [customer.id]);
    expect(outbox.rows[0].n).toBe(1);
  });

  it('checks the policy and the confirmation before touching the token', async () => {
    const customer = await insertCustomer(medium.db);
    const issued = await passwordReset.issueForCustomer(customer.id);
    await expect(
      completeReset.execute({ token: issued!.rawToken, password: 'short', passwordConfirmation: 'short' }),
    ).rejects.toMatchObject({
      code: ErrorCode.PasswordPolicy,
      messageKey: 'policy.tooShort',
    });
    await expect(
      completeReset.execute({ token: issued!.rawToken, password: newPassword, passwordConfirmation: `${newPassword}x` }),
    ).rejects.toMatchObject({ code: ErrorCode.PasswordMismatch });
    expect((await tokens(customer.id))[0].used_at).toBeNull();
  });
});
