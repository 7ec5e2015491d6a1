import { Client } from 'pg';
import { registerCustomer, requestResetToken, strongPassword } from '../support/helpers';
import { Stack, startStack, waitUntil } from '../support/stack';

const STATEMENT_TIMEOUT_MS = 1000;

/**
 * What transaction pooling changes, beyond the e2e suites that the `pgbouncer` project runs through
 * PgBouncer: no session state survives between transactions, so the statement timeout must come
 * from something every server connection starts with, and a statement that runs into it must
 * still be a 503 (not a 500, not a hang) with the pool fine afterwards.
 */
describe('PgBouncer in transaction mode: statement timeout and 503 (infra)', () => {
  let stack: Stack;

  beforeAll(async () => {
    stack = await startStack({ postgresVia: 'pgbouncer', env: { DATABASE_STATEMENT_TIMEOUT_MS: String(STATEMENT_TIMEOUT_MS) } });
  });

  afterAll(async () => {
    await stack?.stop();
  });

  it('runs the apps through PgBouncer, where every server connection carries the statement timeout', async () => {
    const viaBouncer = new URL(stack.env.DATABASE_URL);
    expect(viaBouncer.port).not.toBe(new URL(stack.databaseUrl).port);
    // Several clients at once, so that PgBouncer hands out several server connections.
    const clients = Array.from({ length: 4 }, () => new Client({ connectionString: stack.env.DATABASE_URL }));
    try {
      await Promise.all(clients.map((c) => c.connect()));
      const seen = await Promise.all(clients.map(async (c) => (await c.query('show statement_timeout')).rows[0].statement_timeout));
      expect(new Set(seen)).toEqual(new Set(['1s']));
    } finally {
      await Promise.all(clients.map((c) => c.end().catch(() => undefined)));
    }
  });

  it('answers 503 when the reset statement runs into the timeout, and the next reset works', async () => {
    const customer = await registerCustomer(stack, { label: 'bouncer-timeout' });
    const { token } = await requestResetToken(stack, customer.email);
    const password = strongPassword('Bouncer');

    // Hold the customer's row locked from outside, so the single-statement reset must wait for it.
    const locker = new Client({ connectionString: stack.databaseUrl });
    await locker.connect();
    try {
      await locker.query('begin');
      await locker.query('select id from customer where id = $1 for update', [customer.id]);
      const blocked = await stack.api('/api/v1/customers/password/reset', { json: { token, password, passwordConfirmation: password } });
      expect({ status: blocked.status, code: blocked.body?.code }).toEqual({ status: 503, code: 'SERVICE_UNAVAILABLE' });
      // PostgreSQL's own timeout acted, not only the client-side bound (timeout + 2 s, "Query read timeout").
      // The API's log reaches us through a pipe, not the HTTP socket: it may arrive just after the answer.
      await waitUntil('the statement-timeout log line', stack.processes.api, 5000, () =>
        stack.logs.api.join('').includes('canceling statement due to statement timeout'),
      );
    } finally {
      await locker.query('rollback').catch(() => undefined);
      await locker.end();
    }

    // Nothing was half done: the token still works once, through the same pool.
    const reset = await stack.api('/api/v1/customers/password/reset', { json: { token, password, passwordConfirmation: password } });
    expect(reset.status).toBe(200);
  });
});
