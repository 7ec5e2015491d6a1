import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { WebhookSecrets } from '../libs/webhooks/src/webhook-secrets';
import { adminSignIn, adminToken, createAdmin, runCli, signInWithMfa, startExtraApi } from './support/admin';
import { forgot, NO_RESET_THROTTLING, registerCustomer, resetPassword, strongPassword, uniqueEmail } from './support/helpers';
import { request } from './support/http-client';
import { until } from './support/ops';
import {
  claimRedisDb,
  freePort,
  ManagedProcess,
  REPO_ROOT,
  Stack,
  startProcess,
  startStack,
  stopProcess,
  waitUntil,
} from './support/stack';

const PG_URL = process.env.E2E_PG_URL ?? 'postgres://postgres@127.0.0.1:5432';

/**
 * The operator's commands against the built CLI and a real stack (issue 24 findings 11, 13, 15):
 * mail:last over the .eml files the worker writes when SMTP_URL is unset, no database created by
 * anything but migrate, and admin:set-password / admin:unlock with their audit events.
 */
describe('operator commands (e2e)', () => {
  let stack: Stack;
  const mailDir = mkdtempSync(join(tmpdir(), 'ca-e2e-mail-'));

  beforeAll(async () => {
    // SMTP_URL empty: the development transport writes .eml files under MAIL_DIR.
    stack = await startStack({ settings: NO_RESET_THROTTLING, env: { SMTP_URL: '', MAIL_DIR: mailDir } });
  });

  afterAll(async () => {
    await stack?.stop();
    rmSync(mailDir, { recursive: true, force: true });
  });

  describe('mail:last', () => {
    it('prints the subject, recipient and working reset link of the newest email to an address', async () => {
      const customer = await registerCustomer(stack, { label: 'mail-last' });
      expect((await forgot(stack, customer.email)).status).toBe(202);
      const file = await until('the reset email as an .eml file', () =>
        readdirSync(mailDir).find((name) => readFileSync(join(mailDir, name), 'latin1').includes(customer.email)),
      );
      // The body is encoded: the README's old grep for the link found nothing.
      expect(readFileSync(join(mailDir, file!), 'latin1')).not.toMatch(/token=[A-Za-z0-9_-]{20,}/);

      const result = await runCli(stack, ['mail:last', '--to', customer.email]);
      expect(result).toMatchObject({ code: 0, stderr: '' });
      expect(result.stdout).toMatch(/^Subject: .*[Rr]eset.*$/m);
      expect(result.stdout).toContain(`To:      ${customer.email}`);
      const link = /^Link: +(\S+)$/m.exec(result.stdout)?.[1];
      expect(link).toMatch(/\/customer\/account\/createPassword\?token=/);

      // The printed link is the real one: its token resets the password.
      const token = new URL(link!).searchParams.get('token')!;
      expect((await resetPassword(stack, token, strongPassword('MailLast'))).status).toBe(200);
    });

    it('exits non-zero with a clear message when no email went to the address', async () => {
      const result = await runCli(stack, ['mail:last', '--to', uniqueEmail('nobody')]);
      expect(result.code).toBe(1);
      expect(result.stderr).toContain(`No email to `);
      expect(result.stderr).toContain(mailDir);
    });
  });

  describe('a missing database is reported, and created only by migrate', () => {
    const missing = `ca_e2e_missing_${process.pid}_${Date.now()}`;
    const databaseExists = async (): Promise<boolean> => {
      const client = new Client({ connectionString: new URL('/postgres', stack.databaseUrl).toString() });
      await client.connect();
      try {
        return ((await client.query('select 1 from pg_database where datname = $1', [missing])).rowCount ?? 0) > 0;
      } finally {
        await client.end();
      }
    };
    const missingUrl = () => new URL(`/${missing}`, stack.databaseUrl).toString();

    afterAll(async () => {
      const client = new Client({ connectionString: new URL('/postgres', stack.databaseUrl).toString() });
      await client.connect();
      await client.query(`drop database if exists "${missing}" with (force)`);
      await client.end();
    });

    it.each([
      ['admin:create', ['--email', 'someone@shop.e2e.test', '--role', 'support', '--password', 'a-long-enough-admin-password-1'], {}],
      ['admin:set-password', ['--email', 'someone@shop.e2e.test'], {}],
      ['admin:unlock', ['--email', 'someone@shop.e2e.test'], {}],
      // demo:seed refuses production (the stack's mode) before it connects.
      ['demo:seed', ['--count', '1'], { NODE_ENV: 'development' }],
    ])('%s names the database it tried, says it is missing, exits 1 and creates nothing', async (command, args, env) => {
      const result = await runCli(stack, [command, ...args], { ...env, DATABASE_URL: missingUrl() }, 'a-long-enough-admin-password-1\n');
      expect(result.code).toBe(1);
      expect(result.stderr).toContain(`the database "${missing}" on `);
      expect(result.stderr).toContain('does not exist');
      expect(result.stderr).toContain('npm run migrate');
      expect(await databaseExists()).toBe(false);
    });

    it('migrate creates it', async () => {
      const result = await runCli(stack, ['migrate'], { DATABASE_URL: missingUrl(), DATABASE_MIGRATION_URL: missingUrl() });
      expect(result.code).toBe(0);
      expect(result.stdout).toContain(`Created database ${missing}`);
      expect(await databaseExists()).toBe(true);
    });
  });

  describe('admin:set-password and admin:unlock', () => {
    const auditFor = async (adminId: string) =>
      (
        await stack.db.query<{ admin_id: string | null; admin_email: string; action: string; details: Record<string, unknown> }>(
          "select admin_id, admin_email, action, details from admin_audit_event where details->>'targetAdminId' = $1 order by id",
          [adminId],
        )
      ).rows;

    it('sets a forgotten admin password from standard input; the old one stops working; audited as the CLI', async () => {
      const admin = await createAdmin(stack, 'support');
      const newPassword = `New-admin-password-${Date.now()}`;
      const result = await runCli(stack, ['admin:set-password', '--email', admin.email.toUpperCase()], {}, `${newPassword}\n`);
      expect(result).toMatchObject({ code: 0, stderr: '' });
      expect(result.stdout).toContain(`Set the password of support ${admin.email}`);
      expect(result.stdout + result.stderr).not.toContain(newPassword);

      expect((await adminSignIn(stack.api, admin.email, admin.password)).status).toBe(401);
      expect((await adminSignIn(stack.api, admin.email, newPassword)).status).toBe(200);
      expect(await auditFor(admin.id)).toEqual([
        {
          admin_id: null,
          admin_email: 'cli',
          action: 'admin.password_set',
          details: { targetAdminId: admin.id, targetAdminEmail: admin.email },
        },
      ]);
    });

    it('refuses a weak password, an unknown admin and --password, changing nothing', async () => {
      const admin = await createAdmin(stack, 'support');
      const weak = await runCli(stack, ['admin:set-password', '--email', admin.email], {}, 'short\n');
      expect(weak.code).toBe(1);
      expect(weak.stderr).toContain('Weak password');
      const unknown = await runCli(
        stack,
        ['admin:set-password', '--email', uniqueEmail('no-admin')],
        {},
        'a-long-enough-admin-password-1\n',
      );
      expect(unknown.code).toBe(1);
      expect(unknown.stderr).toContain('No admin has the email');
      const flag = await runCli(stack, ['admin:set-password', '--email', admin.email, '--password', 'a-long-enough-admin-password-1']);
      expect(flag.code).toBe(1);
      expect(flag.stderr).toContain('--password is not accepted');

      expect((await adminSignIn(stack.api, admin.email, admin.password)).status).toBe(200);
      expect(await auditFor(admin.id)).toEqual([]);
    });

    it('unlocks an admin locked out by failed sign-ins; audited as the CLI', async () => {
      const admin = await createAdmin(stack, 'administrator');
      for (let i = 0; i < 10; i++) expect((await adminSignIn(stack.api, admin.email, 'wrong-password-guess')).status).toBe(401);
      // Locked: even the right password is refused.
      expect((await adminSignIn(stack.api, admin.email, admin.password)).status).toBe(429);

      const result = await runCli(stack, ['admin:unlock', '--email', admin.email]);
      expect(result).toMatchObject({ code: 0, stderr: '' });
      expect(result.stdout).toContain(`Unlocked ${admin.email}`);
      expect((await adminSignIn(stack.api, admin.email, admin.password)).status).toBe(200);

      const again = await runCli(stack, ['admin:unlock', '--email', admin.email]);
      expect(again.stdout).toContain('was not locked out');
      expect(await auditFor(admin.id)).toEqual([
        {
          admin_id: null,
          admin_email: 'cli',
          action: 'admin.unlocked',
          details: { targetAdminId: admin.id, targetAdminEmail: admin.email, wasLocked: true },
        },
        {
          admin_id: null,
          admin_email: 'cli',
          action: 'admin.unlocked',
          details: { targetAdminId: admin.id, targetAdminEmail: admin.email, wasLocked: false },
        },
      ]);
    });
  });

  describe('admin:mfa-reset and admin:mfa-rekey', () => {
    const factorsOf = async (adminId: string) =>
      (await stack.db.query<{ n: string }>('select count(*) as n from admin_mfa_factor where admin_id = $1', [adminId])).rows[0].n;
    const codesOf = async (adminId: string) =>
      (await stack.db.query<{ n: string }>('select count(*) as n from admin_recovery_code where admin_id = $1', [adminId])).rows[0].n;
    const secretOf = async (adminId: string) =>
      (
        await stack.db.query<{ secret_box: string }>("select secret_box from admin_mfa_factor where admin_id = $1 and kind = 'totp'", [
          adminId,
        ])
      ).rows[0].secret_box;

    it('mfa-reset removes the factors and recovery codes, is audited, and the admin must enroll again', async () => {
      const admin = await createAdmin(stack, 'administrator', 'mfa-reset');
      expect((await signInWithMfa(stack.api, admin)).status).toBe(200);
      expect(admin.recoveryCodes).toHaveLength(10);
      expect([await factorsOf(admin.id), await codesOf(admin.id)]).toEqual(['1', '10']);

      const result = await runCli(stack, ['admin:mfa-reset', '--email', admin.email.toUpperCase()]);
      expect(result).toMatchObject({ code: 0, stderr: '' });
      expect(result.stdout).toContain(`Removed 1 factor(s) and 10 recovery code(s) of ${admin.email}`);
      expect([await factorsOf(admin.id), await codesOf(admin.id)]).toEqual(['0', '0']);
      const audit = await stack.db.query<{ admin_id: string | null; admin_email: string; details: Record<string, unknown> }>(
        "select admin_id, admin_email, details from admin_audit_event where action = 'admin.mfa_reset' and details->>'targetAdminId' = $1",
        [admin.id],
      );
      expect(audit.rows).toEqual([
        {
          admin_id: null,
          admin_email: 'cli',
          details: { targetAdminId: admin.id, targetAdminEmail: admin.email, operator: expect.any(String), factors: 1, recoveryCodes: 10 },
        },
      ]);

      // The password now leads to enrolment; the old recovery codes and authenticator are worth nothing.
      const first = await adminSignIn(stack.api, admin.email, admin.password);
      expect(first.body).toEqual({ mfa_required: true, mfa_token: expect.any(String), enrolled: false, methods: ['totp', 'webauthn'] });
      const oldCode = await stack.api('/api/v1/admin/auth/mfa/recovery', {
        json: { mfa_token: first.body.mfa_token, code: admin.recoveryCodes![0] },
      });
      expect([oldCode.status, oldCode.body.code]).toEqual([401, 'MFA_INVALID']);
      admin.totpSecret = undefined;
      const again = await signInWithMfa(stack.api, admin);
      expect(again.status).toBe(200);
      expect(again.body.recovery_codes).toHaveLength(10);

      const unknown = await runCli(stack, ['admin:mfa-reset', '--email', uniqueEmail('no-admin')]);
      expect(unknown.code).toBe(1);
      expect(unknown.stderr).toContain('There is no admin with the email');
    });

    it('mfa-rekey re-encrypts every secret under the new key, webhook signing secrets too: an API with only the new key signs the admin in', async () => {
      const admin = await createAdmin(stack, 'administrator', 'mfa-rekey');
      expect((await signInWithMfa(stack.api, admin)).status).toBe(200);
      const before = await secretOf(admin.id);
      // A webhook endpoint with a rotated secret: its current and previous secrets are sealed under
      // the same MFA_ENCRYPTION_KEY (docs/webhooks.md, Secrets at rest). `webhook.test` only: nothing is sent.
      const jwt = await adminToken(stack, admin);
      const created = await stack.api('/api/v1/admin/webhooks', {
        bearer: jwt,
        json: { url: 'https://hooks.example.com/customer-access', events: ['webhook.test'] },
      });
      expect(created.status).toBe(201);
      const endpointId: string = created.body.id;
      const rotatedSecret = await stack.api(`/api/v1/admin/webhooks/${endpointId}/rotate-secret`, { bearer: jwt, method: 'POST' });
      expect(rotatedSecret.status).toBe(200);
      const webhookSecrets: string[] = [rotatedSecret.body.secret, created.body.secret];
      const sealedWebhook = async () =>
        (
          await stack.db.query<{ secret_sealed: string; previous_secret_sealed: string }>(
            'select secret_sealed, previous_secret_sealed from webhook_endpoint where id = $1',
            [endpointId],
          )
        ).rows[0];
      const webhookBefore = await sealedWebhook();
      const opened = (box: WebhookSecrets, sealed: { secret_sealed: string; previous_secret_sealed: string }) => [
        box.open(sealed.secret_sealed, endpointId),
        box.open(sealed.previous_secret_sealed, endpointId),
      ];

      const oldKey = stack.env.MFA_ENCRYPTION_KEY;
      const newKey = `e2e-mfa-rotated-${Date.now()}-0123456789abcdef`;
      const rotated = { MFA_ENCRYPTION_KEY: newKey, MFA_ENCRYPTION_KEY_PREVIOUS: oldKey };

      const result = await runCli(stack, ['admin:mfa-rekey'], rotated);
      expect(result).toMatchObject({ code: 0, stderr: '' });
      expect(result.stdout).toMatch(
        /Re-encrypted [1-9]\d* secret\(s\) \([1-9]\d* TOTP, 1 webhook endpoint\(s\)\); 0 already used the current key/,
      );
      const after = await secretOf(admin.id);
      expect(after).not.toBe(before);
      expect(after).not.toContain(admin.totpSecret!);
      // Both webhook boxes re-sealed: they open with the new key alone (as a worker with only the new
      // key would open them to sign), no longer with the old one, and hold the same secrets.
      const webhookAfter = await sealedWebhook();
      expect(webhookAfter.secret_sealed).not.toBe(webhookBefore.secret_sealed);
      expect(webhookAfter.previous_secret_sealed).not.toBe(webhookBefore.previous_secret_sealed);
      expect(opened(new WebhookSecrets(newKey), webhookAfter)).toEqual(webhookSecrets);
      expect(() => new WebhookSecrets(oldKey).open(webhookAfter.secret_sealed, endpointId)).toThrow(/neither MFA_ENCRYPTION_KEY/);
      // Idempotent: nothing left to do.
      expect((await runCli(stack, ['admin:mfa-rekey'], rotated)).stdout).toMatch(
        /Re-encrypted 0 secret\(s\) \(0 TOTP, 0 webhook endpoint\(s\)\); [1-9]\d* already used/,
      );

      // The old key is no longer needed: an API with the new key alone opens the secret.
      const rotatedApi = await startExtraApi(stack, { MFA_ENCRYPTION_KEY: newKey, MFA_ENCRYPTION_KEY_PREVIOUS: '' });
      try {
        expect((await signInWithMfa(rotatedApi.api, admin)).status).toBe(200);
      } finally {
        await rotatedApi.stop();
      }
      // Back to the stack's key for whatever runs next (a rotation the other way round).
      const back = await runCli(stack, ['admin:mfa-rekey'], { MFA_ENCRYPTION_KEY: oldKey, MFA_ENCRYPTION_KEY_PREVIOUS: newKey });
      expect(back.code).toBe(0);
      expect(opened(new WebhookSecrets(oldKey), await sealedWebhook())).toEqual(webhookSecrets);
      expect((await signInWithMfa(stack.api, admin)).status).toBe(200);
    });

    it('mfa-rekey changes nothing when one secret opens with neither key (one transaction)', async () => {
      const admin = await createAdmin(stack, 'administrator', 'mfa-rekey-all-or-nothing');
      expect((await signInWithMfa(stack.api, admin)).status).toBe(200);
      const jwt = await adminToken(stack, admin);
      const created = await stack.api('/api/v1/admin/webhooks', {
        bearer: jwt,
        json: { url: 'https://hooks.example.com/all-or-nothing', events: ['webhook.test'] },
      });
      expect(created.status).toBe(201);
      const boxes = async () =>
        (
          await stack.db.query<{ box: string }>('select secret_box as box from admin_mfa_factor where secret_box is not null order by id')
        ).rows
          .map((r) => r.box)
          .concat(
            (await stack.db.query<{ box: string }>('select secret_sealed as box from webhook_endpoint order by id')).rows.map((r) => r.box),
          );
      const before = await boxes();
      // Neither key is the stack's: the first box read does not open, and nothing may have been re-sealed.
      const strangers = { MFA_ENCRYPTION_KEY: `e2e-mfa-stranger-${Date.now()}-0123456789abcdef`, MFA_ENCRYPTION_KEY_PREVIOUS: '' };
      const result = await runCli(stack, ['admin:mfa-rekey'], strangers);
      expect(result.code).toBe(1);
      expect(result.stderr).toMatch(/neither MFA_ENCRYPTION_KEY nor MFA_ENCRYPTION_KEY_PREVIOUS/);
      expect(await boxes()).toEqual(before);
      expect((await stack.api(`/api/v1/admin/webhooks/${created.body.id}`, { bearer: jwt, method: 'DELETE' })).status).toBe(204);
    });
  });
});

/**
 * `npm start` in development (issue 24 finding 12): readable logs instead of JSON, and one banner
 * once both the API and the worker are ready, with the real public URL and mail folder.
 */
describe('npm start in development (e2e)', () => {
  const mailDir = mkdtempSync(join(tmpdir(), 'ca-e2e-start-mail-'));
  const database = `ca_e2e_start_${process.pid}_${Date.now()}`;
  let start: ManagedProcess | undefined;
  let redisClaim: Awaited<ReturnType<typeof claimRedisDb>> | undefined;
  let port: number;

  beforeAll(async () => {
    port = await freePort();
    redisClaim = await claimRedisDb();
    const env: Record<string, string> = { ...(process.env as Record<string, string>) };
    for (const name of ['NODE_ENV', 'PUBLIC_URL', 'STOREFRONT_URL', 'SMTP_URL', 'JWT_SECRET', 'LOG_FORMAT', 'DATABASE_MIGRATION_URL'])
      delete env[name];
    Object.assign(env, {
      PORT: String(port),
      DATABASE_URL: `${new URL(`/${database}`, PG_URL)}`,
      REDIS_URL: `redis://127.0.0.1:6379/${redisClaim.index}`,
      MAIL_DIR: mailDir,
      WORKER_METRICS_PORT: '0',
      HOST: '127.0.0.1',
    });
    start = startProcess('npm-start', [join(REPO_ROOT, 'scripts/start-all.js')], env);
    await waitUntil('the ready banner', start, 60_000, () => start!.output.join('').includes('customer-access is ready'));
  });

  afterAll(async () => {
    await stopProcess(start);
    await redisClaim?.release();
    const client = new Client({ connectionString: `${new URL('/postgres', PG_URL)}` });
    await client.connect();
    await client.query(`drop database if exists "${database}" with (force)`);
    await client.end();
    rmSync(mailDir, { recursive: true, force: true });
  });

  it('prints one banner with the public URL, what is there, and the mail folder', async () => {
    // Give any late line a moment: the banner must still be printed only once.
    await new Promise((r) => setTimeout(r, 500));
    const output = start!.output.join('');
    expect(output.match(/customer-access is ready/g)).toHaveLength(1);
    expect(output).toContain(
      `customer-access is ready: http://localhost:${port}/ (storefront pages, /admin, /docs; emails in ${mailDir}/)`,
    );
    // It comes after both apps said they were ready.
    const banner = output.indexOf('customer-access is ready');
    expect(output.indexOf('API listening on port')).toBeLessThan(banner);
    expect(output.indexOf('Worker ready')).toBeLessThan(banner);
    // And the URL it names answers.
    expect((await request(`http://127.0.0.1:${port}`, '/')).status).toBe(200);
  });

  it('logs one readable line per entry, not JSON', () => {
    const lines = start!.output
      .join('')
      .split('\n')
      .filter((line) => /\b(INFO|WARN|ERROR)\b/.test(line));
    expect(lines.length).toBeGreaterThan(5);
    expect(lines.some((line) => /^\[?\d\d:\d\d:\d\d\]? INFO: api \[Bootstrap\] API listening on port \d+/.test(line))).toBe(true);
    expect(lines.some((line) => /INFO: worker .*Worker ready/.test(line))).toBe(true);
    expect(
      start!.output
        .join('')
        .split('\n')
        .filter((line) => line.startsWith('{"')),
    ).toEqual([]);
  });
});
