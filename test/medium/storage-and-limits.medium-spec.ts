import { getQueueToken } from '@nestjs/bullmq';
import { Queue } from 'bullmq';
import { Entity, PrimaryKey, Property } from '@mikro-orm/core';
import { EntityManager } from '@mikro-orm/postgresql';
import { ErrorCode, resetTokenInvalid } from '@customer-access/common';
import { schemaDrift } from '@customer-access/database';
import { MailJob, mailQueueConnection, NotificationModule, OutboxService, QueueName } from '@customer-access/notification';
import { SettingsModule } from '@customer-access/settings';
import { RedisThrottlerStorage } from '../../libs/password-reset/src/storefront/redis-throttler.storage';
import { ResetTokenGuessLimiter } from '../../libs/password-reset/src/storefront/reset-token-guess-limiter';
import { SCHEMA_ENTITIES } from '../../apps/cli/src/schema-entities';
import { insertCustomer, Medium, startMedium } from './support/medium';

/** An entity without a migration, as a developer would add one before running migration:create. */
@Entity({ tableName: 'customer_nickname' })
class Nickname {
  @PrimaryKey({ type: 'uuid' })
  id!: string;

  @Property({ type: 'text' })
  nickname!: string;
}

/** The outbox (libs/notification), the storefront limiters (libs/password-reset) and db:check (libs/database). */
describe('outbox, limiter and schema check (medium)', () => {
  let medium: Medium;
  let outbox: OutboxService;
  let queue: Queue;

  beforeAll(async () => {
    medium = await startMedium({
      env: { RESET_TOKEN_FAILURES_PER_IP: '3' },
      imports: [SettingsModule, mailQueueConnection('producer'), NotificationModule],
      providers: [ResetTokenGuessLimiter, RedisThrottlerStorage],
    });
    outbox = medium.get(OutboxService);
    queue = medium.get(getQueueToken(QueueName.Mail));
  });
  afterAll(() => medium?.close());

  it('relays a message added in a transaction exactly once, as one job, whoever relays it', async () => {
    const customer = await insertCustomer(medium.db);
    const em = medium.get(EntityManager).fork();
    const id = await em.transactional((tx) => outbox.add(tx, MailJob.PasswordChanged, { customerId: customer.id }));
    await outbox.relayCommitted(id);
    expect(await outbox.relay()).toBe(0);
    await outbox.relayCommitted(id);
    const job = await queue.getJob(`outbox-${id}`);
    expect(job).toMatchObject({ name: MailJob.PasswordChanged, data: { customerId: customer.id } });
    expect((await medium.db.query('select relayed_at from outbox_message where id = $1', [id])).rows[0].relayed_at).toBeInstanceOf(Date);
  });

  it('leaves a message of a rolled-back transaction unsent, and the sweep relays what a crash left', async () => {
    const customer = await insertCustomer(medium.db);
    const em = medium.get(EntityManager).fork();
    await expect(
      em.transactional(async (tx) => {
        await outbox.add(tx, MailJob.PasswordChanged, { customerId: customer.id });
        throw new Error('rolled back');
      }),
    ).rejects.toThrow('rolled back');
    const left = await em.transactional((tx) => outbox.add(tx, MailJob.PasswordResetRequested, { email: 'left@medium.test' }));
    expect(await outbox.relay()).toBe(1);
    expect(await queue.getJob(`outbox-${left}`)).toBeTruthy();
    expect(
      (await medium.db.query("select count(*)::int as n from outbox_message where payload->>'customerId' = $1", [customer.id])).rows[0].n,
    ).toBe(0);
  });

  describe('wrong-token limiter', () => {
    const limiter = () => medium.get(ResetTokenGuessLimiter);
    const guess = (ip: string, error = resetTokenInvalid('unknown')) =>
      limiter()
        .run(ip, () => Promise.reject(error))
        .catch((e: { code: string }) => e.code);

    it('counts one IPv6 /64 as one client', async () => {
      for (let i = 1; i <= 3; i++) expect(await guess(`2001:db8:7:1::${i}`)).toBe(ErrorCode.ResetTokenInvalid);
      expect(await guess('2001:db8:7:1:ffff::1')).toBe(ErrorCode.ResetRateLimited);
      expect(await guess('2001:db8:7:2::1')).toBe(ErrorCode.ResetTokenInvalid);
    });

    it('does not charge a spent token (a reused link, the loser of a race)', async () => {
      for (let i = 0; i < 5; i++) expect(await guess('198.51.100.20', resetTokenInvalid('spent'))).toBe(ErrorCode.ResetTokenInvalid);
      expect(await limiter().run('198.51.100.20', async () => 'looked up')).toBe('looked up');
    });
  });

  describe('forgot throttle storage', () => {
    const storage = () => medium.get(RedisThrottlerStorage);
    const counter = (throttlerName: string, key: string, limit: number) => ({ throttlerName, key, limit, ttl: 60_000 });

    it('counts in order and stops at the first counter over its limit, so the ones after it are not counted', async () => {
      const ip = counter('medium-ip', 'ip-1', 2);
      const email = (n: number) => counter('medium-email', `email-${n}`, 2);
      expect((await storage().incrementInOrder([ip, email(1)])).map((r) => r.totalHits)).toEqual([1, 1]);
      expect((await storage().incrementInOrder([ip, email(2)])).map((r) => r.isBlocked)).toEqual([false, false]);
      const blocked = await storage().incrementInOrder([ip, email(3)]);
      expect(blocked).toEqual([{ totalHits: 3, timeToExpire: 60, isBlocked: true, timeToBlockExpire: 60 }]);
      // email-3 was not counted: its first count is 1.
      expect((await storage().increment('email-3', 60_000, 2, 60_000, 'medium-email')).totalHits).toBe(1);
    });
  });

  it('db:check finds nothing for the committed migrations, and the SQL of an entity no migration created', async () => {
    expect(await schemaDrift(medium.config.databaseUrl, SCHEMA_ENTITIES)).toBe('');
    const drift = await schemaDrift(medium.config.databaseUrl, [...SCHEMA_ENTITIES, Nickname]);
    expect(drift).toMatch(/create table "customer_nickname" \("id" uuid not null, "nickname" text not null/);
  });
});
