import { createHash } from 'node:crypto';
import { AdminAccount, adminToken, createAdmin, findSecrets, RecordedResponse, recordingApi } from './support/admin';
import { registerCustomer, RegisteredCustomer } from './support/helpers';
import { logsFlushed, Stack, startStack } from './support/stack';

/** API keys for automation (docs/admin-sign-in.md): scoped, bounded by the creator, revocable, audited. */
describe('admin API keys (e2e)', () => {
  const log: RecordedResponse[] = [];
  const keys: string[] = [];
  let stack: Stack;
  let api: ReturnType<typeof recordingApi>;
  let administrator: AdminAccount;
  let adminJwt: string;
  let customer: RegisteredCustomer;

  beforeAll(async () => {
    stack = await startStack({ worker: false });
    api = recordingApi(stack.api, log);
    administrator = await createAdmin(stack, 'administrator', 'keys-admin');
    adminJwt = await adminToken(stack, administrator);
    customer = await registerCustomer(stack, { label: 'api-keys' });
  });

  afterAll(async () => {
    await stack?.stop();
  });

  async function newKey(jwt: string, body: Record<string, unknown>): Promise<{ id: string; key: string }> {
    const res = await api('/api/v1/admin/api-keys', { json: body, bearer: jwt });
    expect(res.status).toBe(201);
    keys.push(res.body.key);
    return res.body;
  }
  const viewCustomers = (bearer: string) => api('/api/v1/admin/customers', { bearer });
  const settings = (bearer: string) => api('/api/v1/admin/config/customer-password', { bearer });

  it('creates a key shown once (ca_ + 32 random bytes, base64url), stores only its hash, lists it with its last use', async () => {
    const created = await newKey(adminJwt, { name: 'back office', permissions: ['customers.view'], expiresInDays: 30 });
    expect(created).toEqual({ id: expect.any(String), key: expect.stringMatching(/^ca_[A-Za-z0-9_-]{43}$/) });
    const row = await stack.db.query('select key_hash, permissions, expires_at from admin_api_key where id = $1', [created.id]);
    expect(row.rows[0].key_hash).toBe(createHash('sha256').update(created.key).digest('hex'));
    expect(row.rows[0].permissions).toEqual(['customers.view']);
    const days = (new Date(row.rows[0].expires_at).getTime() - Date.now()) / 86_400_000;
    expect(days).toBeGreaterThan(29.9);
    expect(days).toBeLessThanOrEqual(30);

    let listed = (await api('/api/v1/admin/api-keys', { bearer: adminJwt })).body.items.find((k: any) => k.id === created.id);
    expect(listed).toEqual({
      id: created.id,
      name: 'back office',
      permissions: ['customers.view'],
      createdBy: { id: administrator.id, email: administrator.email },
      createdAt: expect.any(String),
      expiresAt: expect.any(String),
      lastUsedAt: null,
      revokedAt: null,
    });
    expect((await viewCustomers(created.key)).status).toBe(200);
    listed = (await api('/api/v1/admin/api-keys', { bearer: adminJwt })).body.items.find((k: any) => k.id === created.id);
    expect(listed.lastUsedAt).toEqual(expect.any(String));
  });

  it('works on its permissions and answers 403 beyond them', async () => {
    const { key } = await newKey(adminJwt, { name: 'viewer', permissions: ['customers.view'], expiresInDays: 1 });
    expect((await viewCustomers(key)).status).toBe(200);
    expect((await api(`/api/v1/admin/customers/${customer.id}`, { bearer: key })).status).toBe(200);
    const beyond = await settings(key);
    expect(beyond.status).toBe(403);
    expect(beyond.body).toEqual({
      statusCode: 403,
      code: 'FORBIDDEN',
      message: 'This API key does not have the config.manage permission.',
    });
    expect((await api(`/api/v1/admin/customers/${customer.id}/force-sign-in`, { method: 'POST', bearer: key })).status).toBe(403);
  });

  it('stops the moment it is revoked or expired', async () => {
    const revoked = await newKey(adminJwt, { name: 'to revoke', permissions: ['customers.view'], expiresInDays: 7 });
    expect((await viewCustomers(revoked.key)).status).toBe(200);
    expect((await api(`/api/v1/admin/api-keys/${revoked.id}`, { method: 'DELETE', bearer: adminJwt })).status).toBe(204);
    expect((await viewCustomers(revoked.key)).status).toBe(401);
    expect((await api(`/api/v1/admin/api-keys/${revoked.id}`, { method: 'DELETE', bearer: adminJwt })).status).toBe(404);

    const expiring = await newKey(adminJwt, { name: 'to expire', permissions: ['customers.view'], expiresInDays: 1 });
    expect((await viewCustomers(expiring.key)).status).toBe(200);
    await stack.db.query(`update admin_api_key set expires_at = now() - interval '1 second' where id = $1`, [expiring.id]);
    expect((await viewCustomers(expiring.key)).status).toBe(401);
  });

  it("is never worth more than its creator: it shrinks with a demotion and stops with the creator's deletion", async () => {
    const creator = await createAdmin(stack, 'administrator', 'keys-creator');
    const jwt = await adminToken(stack, creator);
    const { key } = await newKey(jwt, { name: 'ops', permissions: ['customers.view', 'config.manage'], expiresInDays: 30 });
    expect((await settings(key)).status).toBe(200);
    await stack.db.query(`update admin_user set role = 'support' where id = $1`, [creator.id]);
    expect((await settings(key)).status).toBe(403);
    expect((await viewCustomers(key)).status).toBe(200);
    await stack.db.query('delete from admin_user where id = $1', [creator.id]);
    expect((await viewCustomers(key)).status).toBe(401);
  });

  it('refuses keys beyond the creator, bad input, and API keys on key management and the queue dashboard', async () => {
    const support = await createAdmin(stack, 'support', 'keys-support');
    const supportJwt = await adminToken(stack, support);
    expect(
      (await api('/api/v1/admin/api-keys', { json: { name: 'x', permissions: ['customers.view'], expiresInDays: 1 }, bearer: supportJwt }))
        .status,
    ).toBe(403);
    for (const body of [
      { name: 'x', permissions: ['customers.view'], expiresInDays: 0 },
      { name: 'x', permissions: ['customers.view'], expiresInDays: 366 },
      { name: 'x', permissions: [], expiresInDays: 1 },
      { name: 'x', permissions: ['root'], expiresInDays: 1 },
      { name: 'x', permissions: ['api_keys.manage'], expiresInDays: 1 },
      { name: '', permissions: ['customers.view'], expiresInDays: 1 },
    ]) {
      const res = await api('/api/v1/admin/api-keys', { json: body, bearer: adminJwt });
      expect({ body, status: res.status, code: res.body.code }).toEqual({ body, status: 400, code: 'VALIDATION' });
    }
    const { key } = await newKey(adminJwt, { name: 'all it can', permissions: ['customers.view', 'config.manage'], expiresInDays: 1 });
    expect((await api('/api/v1/admin/api-keys', { bearer: key })).status).toBe(403);
    expect(
      (await api('/api/v1/admin/api-keys', { json: { name: 'y', permissions: ['customers.view'], expiresInDays: 1 }, bearer: key })).status,
    ).toBe(403);
    expect((await api('/api/v1/admin/queue-dashboard/session', { method: 'POST', bearer: key })).status).toBe(403);
  });

  it('audits key creation, first use and revocation, and actions done with a key as "API key {name} of {admin}"', async () => {
    const { id, key } = await newKey(adminJwt, {
      name: 'auditor',
      permissions: ['customers.view', 'customers.reset_password'],
      expiresInDays: 1,
    });
    expect((await viewCustomers(key)).status).toBe(200);
    expect((await viewCustomers(key)).status).toBe(200);
    expect((await api(`/api/v1/admin/customers/${customer.id}/password-reset`, { method: 'POST', bearer: key })).status).toBe(202);
    expect((await api(`/api/v1/admin/api-keys/${id}`, { method: 'DELETE', bearer: adminJwt })).status).toBe(204);
    const events = (await api('/api/v1/admin/audit-events?pageSize=100', { bearer: adminJwt })).body.items.filter(
      (e: any) => e.details?.apiKeyId === id,
    );
    const actions = events.map((e: any) => e.action).reverse();
    expect(actions).toEqual(['api_key.created', 'api_key.first_used', 'customer.password_reset_sent', 'api_key.revoked']);
    const reset = events.find((e: any) => e.action === 'customer.password_reset_sent');
    expect(reset).toMatchObject({
      adminId: administrator.id,
      adminEmail: `API key auditor of ${administrator.email}`,
      customerId: customer.id,
    });
  });

  it('never shows a key again: not in any admin answer after creation, the audit log, or the logs', async () => {
    const afterCreation = log.filter((e) => !(e.method === 'POST' && e.path === '/api/v1/admin/api-keys'));
    expect(findSecrets(afterCreation, keys)).toEqual([]);
    const audit = await stack.db.query('select row_to_json(e)::text as row from admin_audit_event e');
    await logsFlushed(stack);
    for (const key of keys) {
      expect(audit.rows.some((r) => r.row.includes(key))).toBe(false);
      expect(stack.allOutput()).not.toContain(key);
    }
  });
});
