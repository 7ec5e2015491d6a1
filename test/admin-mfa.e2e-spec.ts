import {
  AdminAccount,
  adminSignIn,
  adminToken,
  createAdmin,
  findSecrets,
  nextTotpCode,
  oathtoolCode,
  RecordedResponse,
  recordingApi,
  runBuilt,
  signInWithMfa,
  startExtraApi,
  totpStepAt,
} from './support/admin';
import { logsFlushed, Stack, startStack } from './support/stack';

/**
 * The admin's second factor (docs/admin-sign-in.md): TOTP codes come from Debian's oathtool, not
 * from this code base. Each case that depends on which steps were used gets its own admin.
 */
describe('admin second factor (e2e)', () => {
  const log: RecordedResponse[] = [];
  const secrets: string[] = [];
  let stack: Stack;
  let api: ReturnType<typeof recordingApi>;
  let observer: AdminAccount;
  let observerJwt: string;

  const STEP_MS = 30_000;
  /** Codes of a neighbouring step are only safe to test away from a step boundary. */
  async function awayFromStepBoundary(): Promise<void> {
    const intoStep = Date.now() % STEP_MS;
    if (intoStep > STEP_MS - 4000) await new Promise((r) => setTimeout(r, STEP_MS - intoStep + 100));
  }
  const codeAtStep = (admin: AdminAccount, offset: number) => oathtoolCode(admin.totpSecret!, (totpStepAt() + offset) * STEP_MS);

  async function mfaToken(admin: AdminAccount): Promise<string> {
    const res = await adminSignIn(api, admin.email, admin.password);
    expect(res.status).toBe(200);
    expect(res.body.mfa_required).toBe(true);
    secrets.push(res.body.mfa_token);
    return res.body.mfa_token;
  }
  const totp = (token: string, code: string) => api('/api/v1/admin/auth/mfa/totp', { json: { mfa_token: token, code } });
  const recovery = (token: string, code: string) => api('/api/v1/admin/auth/mfa/recovery', { json: { mfa_token: token, code } });

  /** An administrator with an authenticator enrolled through the API. */
  async function enrolledAdmin(label: string): Promise<AdminAccount> {
    const admin = await createAdmin(stack, 'support', label);
    const res = await signInWithMfa(api, admin);
    expect(res.status).toBe(200);
    secrets.push(admin.totpSecret!, res.body.access_token, ...(admin.recoveryCodes ?? []));
    return admin;
  }

  async function auditOf(adminId: string): Promise<Array<{ action: string; adminEmail: string; clientIp: string; details: any }>> {
    const res = await api('/api/v1/admin/audit-events?pageSize=100', { bearer: observerJwt });
    expect(res.status).toBe(200);
    return res.body.items.filter((e: any) => e.adminId === adminId);
  }

  beforeAll(async () => {
    stack = await startStack({ worker: false });
    api = recordingApi(stack.api, log);
    observer = await createAdmin(stack, 'administrator', 'observer');
    observerJwt = await adminToken(stack, observer);
  });

  afterAll(async () => {
    await stack?.stop();
  });

  it('enrolls an authenticator on the first sign-in: a QR-able secret, a code, then 10 recovery codes shown once', async () => {
    const admin = await createAdmin(stack, 'administrator', 'first');
    const first = await adminSignIn(api, admin.email, admin.password);
    expect(first.body).toEqual({ mfa_required: true, mfa_token: expect.any(String), enrolled: false, methods: ['totp', 'webauthn'] });
    expect(first.body).not.toHaveProperty('access_token');

    const setup = await api('/api/v1/admin/auth/mfa/totp/setup', { json: { mfa_token: first.body.mfa_token } });
    expect(setup.status).toBe(200);
    expect(setup.body.secret).toMatch(/^[A-Z2-7]{32}$/);
    const url = new URL(setup.body.otpauth_url);
    expect(url.protocol).toBe('otpauth:');
    expect(url.searchParams.get('secret')).toBe(setup.body.secret);
    expect(url.searchParams.get('digits')).toBe('6');
    expect(url.searchParams.get('period')).toBe('30');
    expect(url.searchParams.get('algorithm')).toBe('SHA1');
    admin.totpSecret = setup.body.secret;
    secrets.push(setup.body.secret);

    // Stored sealed (AES-256-GCM), never as the secret itself.
    const stored = await stack.db.query('select secret_box, confirmed_at from admin_mfa_factor where admin_id = $1', [admin.id]);
    expect(stored.rows).toHaveLength(1);
    expect(stored.rows[0].secret_box).toMatch(/^v1\./);
    expect(stored.rows[0].secret_box).not.toContain(setup.body.secret);
    expect(stored.rows[0].confirmed_at).toBeNull();

    const done = await totp(first.body.mfa_token, await nextTotpCode(admin));
    expect(done.status).toBe(200);
    expect(done.body.access_token).toEqual(expect.any(String));
    expect(done.body.recovery_codes).toHaveLength(10);
    expect(new Set(done.body.recovery_codes).size).toBe(10);
    for (const code of done.body.recovery_codes) expect(code).toMatch(/^[a-z2-9]{4}-[a-z2-9]{4}-[a-z2-9]{4}$/);
    secrets.push(done.body.access_token, ...done.body.recovery_codes);
    const hashes = await stack.db.query('select code_hash from admin_recovery_code where admin_id = $1', [admin.id]);
    expect(hashes.rowCount).toBe(10);
    for (const row of hashes.rows) expect(done.body.recovery_codes).not.toContain(row.code_hash);

    // Enrolled now: the next sign-in asks for the code, shows no secret, and sends no recovery codes.
    const second = await mfaToken(admin);
    const again = await api('/api/v1/admin/auth/mfa/totp/setup', { json: { mfa_token: second } });
    expect(again.status).toBe(403);
    const next = await totp(second, await nextTotpCode(admin));
    expect(next.status).toBe(200);
    expect(next.body).not.toHaveProperty('recovery_codes');
    expect((await auditOf(admin.id)).map((e) => e.action)).toContain('admin.mfa_enrolled');
  });

  /**
   * An admin part-way through enrolment (password given, secret set up, no code accepted yet): no
   * step has been used, so any step the server takes or refuses is down to the window alone.
   */
  async function enrolling(label: string): Promise<{ admin: AdminAccount; token: string }> {
    const admin = await createAdmin(stack, 'support', label);
    const token = await mfaToken(admin);
    const setup = await api('/api/v1/admin/auth/mfa/totp/setup', { json: { mfa_token: token } });
    expect(setup.status).toBe(200);
    admin.totpSecret = setup.body.secret;
    secrets.push(setup.body.secret);
    return { admin, token };
  }

  it('accepts a good code, and codes of the previous and the next step', async () => {
    const [current, previous, following] = await Promise.all([enrolling('current'), enrolling('previous'), enrolling('following')]);
    await awayFromStepBoundary();
    const [c, p, f] = await Promise.all([codeAtStep(current.admin, 0), codeAtStep(previous.admin, -1), codeAtStep(following.admin, 1)]);
    expect((await totp(current.token, c)).status).toBe(200);
    expect((await totp(previous.token, p)).status).toBe(200);
    expect((await totp(following.token, f)).status).toBe(200);
  });

  it('refuses codes two steps away, with 401 MFA_INVALID', async () => {
    const { admin, token } = await enrolling('two-away');
    await awayFromStepBoundary();
    for (const offset of [-2, 2]) {
      const res = await totp(token, await codeAtStep(admin, offset));
      expect(res.status).toBe(401);
      expect(res.body).toEqual({ statusCode: 401, code: 'MFA_INVALID', message: 'The authentication code is not valid.' });
    }
    // The same token still works with a code in the window: the two refusals were the window's.
    expect((await totp(token, await codeAtStep(admin, 0))).status).toBe(200);
  });

  it('refuses a replayed code, and a code of a step before the last one used', async () => {
    const { admin, token } = await enrolling('replay');
    await awayFromStepBoundary();
    const code = await codeAtStep(admin, 0);
    expect((await totp(token, code)).status).toBe(200);
    const replay = await totp(await mfaToken(admin), code);
    expect(replay.status).toBe(401);
    expect(replay.body.code).toBe('MFA_INVALID');
    // Still in the window, but before the step already accepted: refused too.
    expect((await totp(await mfaToken(admin), await codeAtStep(admin, -1))).status).toBe(401);
    // The next step's code is new: accepted.
    expect((await totp(await mfaToken(admin), await codeAtStep(admin, 1))).status).toBe(200);
    const events = await auditOf(admin.id);
    expect(events.filter((e) => e.action === 'admin.mfa_failed')).toHaveLength(2);
    expect(events.find((e) => e.action === 'admin.mfa_failed')).toMatchObject({ clientIp: '127.0.0.1', details: { method: 'totp' } });
  });

  it('ends the mfa_token after 5 wrong codes: a good code on it is then refused', async () => {
    const admin = await enrolledAdmin('five-wrong');
    const token = await mfaToken(admin);
    const good = await nextTotpCode(admin);
    const wrong = String((Number(good) + 1) % 1_000_000).padStart(6, '0');
    for (let i = 0; i < 5; i++) expect((await totp(token, wrong)).status).toBe(401);
    const refused = await totp(token, good);
    expect(refused.status).toBe(401);
    expect(refused.body.code).toBe('MFA_INVALID');
    // A new sign-in with the same good code works: the code was never spent.
    expect((await totp(await mfaToken(admin), good)).status).toBe(200);
    const failed = (await auditOf(admin.id)).filter((e) => e.action === 'admin.mfa_failed');
    expect(failed).toHaveLength(5);
    expect(failed.filter((e) => e.details.signInEnded)).toHaveLength(1);
  });

  it('takes 5 attempts per mfa_token even when 20 codes arrive at once, and signs in once when two good answers race', async () => {
    const admin = await enrolledAdmin('burst');
    const token = await mfaToken(admin);
    const good = await nextTotpCode(admin);
    const wrong = String((Number(good) + 1) % 1_000_000).padStart(6, '0');
    const burst = await Promise.all(Array.from({ length: 20 }, () => totp(token, wrong)));
    expect(burst.map((r) => r.status)).toEqual(Array(20).fill(401));
    // Only five codes were checked (each audited); the other fifteen were refused before any check.
    const failed = (await auditOf(admin.id)).filter((e) => e.action === 'admin.mfa_failed');
    expect(failed).toHaveLength(5);
    expect((await totp(token, good)).status).toBe(401);

    // A code and a recovery code on one token at once: one signs in, the other is refused.
    const other = await enrolledAdmin('race');
    const raced = await mfaToken(other);
    const answers = await Promise.all([totp(raced, await nextTotpCode(other)), recovery(raced, other.recoveryCodes![0])]);
    expect(answers.map((r) => r.status).sort()).toEqual([200, 401]);
    expect(answers.filter((r) => typeof r.body.access_token === 'string')).toHaveLength(1);
    secrets.push(...answers.map((r) => r.body.access_token).filter(Boolean));
  });

  it('spends an mfa_token on success, and takes neither a made-up token nor an admin JWT as one', async () => {
    const admin = await enrolledAdmin('spent');
    const token = await mfaToken(admin);
    const ok = await totp(token, await nextTotpCode(admin));
    expect(ok.status).toBe(200);
    const reused = await totp(token, await codeAtStep(admin, 0));
    expect(reused.body).toEqual({
      statusCode: 401,
      code: 'MFA_INVALID',
      message: 'Too many wrong codes, or this sign-in is already complete. Sign in again.',
    });
    for (const bad of ['not-a-token', ok.body.access_token, observerJwt]) {
      const res = await totp(bad, '123456');
      expect(res.status).toBe(401);
      expect(res.body.code).toBe('MFA_INVALID');
    }
    expect((await api('/api/v1/admin/auth/mfa/totp', { json: { mfa_token: token } })).status).toBe(400);
  });

  it('accepts a recovery code once, and refuses it the second time', async () => {
    const admin = await enrolledAdmin('recovery');
    const [code] = admin.recoveryCodes!;
    const first = await recovery(await mfaToken(admin), code.toUpperCase());
    expect(first.status).toBe(200);
    expect(first.body.access_token).toEqual(expect.any(String));
    const second = await recovery(await mfaToken(admin), code);
    expect(second.status).toBe(401);
    expect(second.body.code).toBe('MFA_INVALID');
    // Another admin's code is no use either.
    const other = await enrolledAdmin('recovery-other');
    expect((await recovery(await mfaToken(admin), other.recoveryCodes![0])).status).toBe(401);
    const used = (await auditOf(admin.id)).find((e) => e.action === 'admin.recovery_code_used');
    expect(used).toMatchObject({ details: { remaining: 9 } });
  });

  it('counts wrong codes in the per-admin sign-in limiter: the password step is then refused too', async () => {
    const admin = await enrolledAdmin('limited');
    for (let round = 0; round < 2; round++) {
      const token = await mfaToken(admin);
      for (let i = 0; i < 5; i++) expect((await totp(token, '000000')).status).toBe(401);
    }
    const blocked = await adminSignIn(api, admin.email, admin.password);
    expect(blocked.status).toBe(429);
    expect(Number(blocked.headers['retry-after'])).toBeGreaterThan(0);
  });

  it('with ADMIN_MFA=optional: warns in production, signs in an admin without a factor, still asks one with a factor', async () => {
    const optional = await startExtraApi(stack, { ADMIN_MFA: 'optional' });
    try {
      await optional.waitForOutput('ADMIN_MFA=optional');
      const plain = await createAdmin(stack, 'support', 'optional');
      const res = await optional.api('/api/v1/admin/auth/token', { json: { email: plain.email, password: plain.password } });
      expect(res.status).toBe(200);
      expect(res.body.access_token).toEqual(expect.any(String));
      secrets.push(res.body.access_token);
      const enrolled = await enrolledAdmin('optional-enrolled');
      const asked = await optional.api('/api/v1/admin/auth/token', { json: { email: enrolled.email, password: enrolled.password } });
      expect(asked.body).toMatchObject({ mfa_required: true, enrolled: true, methods: ['totp'] });
    } finally {
      await optional.stop();
    }
  });

  it('refuses to start in production without MFA_ENCRYPTION_KEY, or with a short one', async () => {
    for (const [key, message] of [
      ['', /MFA_ENCRYPTION_KEY is required when NODE_ENV=production/],
      ['short-key', /MFA_ENCRYPTION_KEY must be at least 32 characters/],
    ] as const) {
      const res = await runBuilt(stack, 'dist/apps/api/main.js', [], { MFA_ENCRYPTION_KEY: key, PORT: '0' });
      expect(res.code).toBe(1);
      expect(res.stdout + res.stderr).toMatch(message);
    }
  });

  it('never put a secret, a code or a token in an answer beyond the sign-in steps, nor in the logs', async () => {
    // The sign-in steps are where the secret and the recovery codes are shown, once.
    expect(
      findSecrets(
        log.filter((e) => !e.path.startsWith('/api/v1/admin/auth/')),
        secrets,
      ),
    ).toEqual([]);
    await logsFlushed(stack);
    const output = stack.allOutput();
    for (const secret of secrets.filter((s) => s.length >= 8)) expect(output).not.toContain(secret);
  });
});
