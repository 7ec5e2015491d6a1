'use strict';
/*
 * The admin sign-in's second step and API keys (section "admin" of bench/run.js, docs/performance.md):
 *   - TOTP verification in process (open the sealed secret, check the code: what the route adds per
 *     code), p50 and CPU per verification;
 *   - the TOTP step over HTTP (POST /admin/auth/mfa/totp), one per admin (a code works once), p50 and
 *     the API's CPU per step;
 *   - an admin route (GET /admin/customers) with an API key vs the same route with an admin JWT.
 */
const { execFileSync } = require('node:child_process');
const { randomUUID } = require('node:crypto');
const path = require('node:path');
const { Secret, TOTP } = require('otpauth');
const { DIST } = require('./infra');
const { percentile } = require('./load');

const API = '/api/v1/admin';
const PASSWORD = 'bench-admin-password-0123456789';

const code = (secretBase32, atMs = Date.now()) =>
  new TOTP({ secret: Secret.fromBase32(secretBase32), algorithm: 'SHA1', digits: 6, period: 30 }).generate({ timestamp: atMs });

async function post(baseUrl, route, body, bearer) {
  const headers = { 'content-type': 'application/json', accept: 'application/json' };
  if (bearer) headers.authorization = `Bearer ${bearer}`;
  const t = process.hrtime.bigint();
  const res = await fetch(`${baseUrl}${API}${route}`, { method: 'POST', headers, body: JSON.stringify(body) });
  const ms = Number(process.hrtime.bigint() - t) / 1e6;
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : null, ms };
}

/**
 * `count` administrators with a confirmed authenticator each: the first made by `admin:create`
 * (a real argon2id hash), the others copies of its hash; the secrets sealed as the API seals them.
 * Emails `${prefix}-N@bench.test` (a section of its own picks its own prefix).
 */
async function seedAdmins(stack, db, count, prefix = 'bench-admin') {
  const { SecretBox } = require(path.join(DIST, 'libs/admin/src/mfa/secret-box.js'));
  const { newTotpSecret } = require(path.join(DIST, 'libs/admin/src/mfa/totp.js'));
  const box = new SecretBox(stack.env.MFA_ENCRYPTION_KEY);
  const first = `${prefix}-0@bench.test`;
  execFileSync(
    process.execPath,
    [path.join(DIST, 'apps/cli/main.js'), 'admin:create', '--email', first, '--password', PASSWORD, '--role', 'administrator'],
    {
      env: stack.env,
      stdio: 'ignore',
    },
  );
  const { rows } = await db.query('select password_hash from admin_user where email = $1', [first]);
  const admins = [];
  for (let i = 0; i < count; i++) {
    const email = `${prefix}-${i}@bench.test`;
    let id;
    if (i === 0) id = (await db.query('select id from admin_user where email = $1', [email])).rows[0].id;
    else {
      id = randomUUID();
      await db.query(`insert into admin_user (id, email, password_hash, role) values ($1, $2, $3, 'administrator')`, [
        id,
        email,
        rows[0].password_hash,
      ]);
    }
    const secret = newTotpSecret();
    await db.query(
      `insert into admin_mfa_factor (id, admin_id, kind, name, secret_box, confirmed_at) values ($1, $2, 'totp', 'Authenticator app', $3, now())`,
      [randomUUID(), id, box.seal(secret, id)],
    );
    admins.push({ id, email, secret });
  }
  return admins;
}

/** In process: SecretBox.open + the RFC 6238 check, `n` times; p50 (µs) and CPU (µs) per verification. */
function verifyInProcess(stackEnv, n) {
  const { SecretBox } = require(path.join(DIST, 'libs/admin/src/mfa/secret-box.js'));
  const { newTotpSecret, totpStep } = require(path.join(DIST, 'libs/admin/src/mfa/totp.js'));
  const box = new SecretBox(stackEnv.MFA_ENCRYPTION_KEY);
  const adminId = randomUUID();
  const secret = newTotpSecret();
  const sealed = box.seal(secret, adminId);
  const good = code(secret);
  const samples = [];
  for (let i = 0; i < 500; i++) totpStep(box.open(sealed, adminId), good); // warm-up
  const cpu0 = process.cpuUsage();
  for (let i = 0; i < n; i++) {
    const t = process.hrtime.bigint();
    // Alternate a right and a wrong code: a wrong one checks all three steps of the window.
    const step = totpStep(box.open(sealed, adminId), i % 2 ? good : '000000');
    samples.push(Number(process.hrtime.bigint() - t) / 1000);
    if (i % 2 && step === null) throw new Error('the bench TOTP code was refused');
  }
  const cpu = process.cpuUsage(cpu0);
  samples.sort((a, b) => a - b);
  return { n, p50Us: percentile(samples, 50), p99Us: percentile(samples, 99), cpuUsPerVerification: (cpu.user + cpu.system) / n };
}

/**
 * Over HTTP: the password step for every admin first (its argon2 kept out of the figures), then the
 * TOTP step for each, one at a time; the API's CPU over the TOTP steps only.
 */
async function totpOverHttp(stack, admins) {
  const tokens = [];
  for (const a of admins) {
    const res = await post(stack.baseUrl, '/auth/token', { email: a.email, password: PASSWORD });
    if (res.status !== 200 || !res.body.mfa_token) throw new Error(`admin password step: ${res.status} ${JSON.stringify(res.body)}`);
    tokens.push(res.body.mfa_token);
  }
  const codes = admins.map((a) => code(a.secret));
  const latencies = [];
  let jwt = null;
  const cpu0 = stack.api.cpuMs();
  for (let i = 0; i < admins.length; i++) {
    const res = await post(stack.baseUrl, '/auth/mfa/totp', { mfa_token: tokens[i], code: codes[i] });
    if (res.status !== 200) throw new Error(`TOTP step: ${res.status} ${JSON.stringify(res.body)}`);
    latencies.push(res.ms);
    jwt = res.body.access_token;
  }
  const apiCpuMs = (stack.api.cpuMs() - cpu0) / admins.length;
  latencies.sort((a, b) => a - b);
  return { steps: admins.length, p50Ms: percentile(latencies, 50), p99Ms: percentile(latencies, 99), apiCpuMsPerStep: apiCpuMs, jwt };
}

async function createApiKey(stack, jwt) {
  const res = await post(stack.baseUrl, '/api-keys', { name: 'bench', permissions: ['customers.view'], expiresInDays: 1 }, jwt);
  if (res.status !== 201) throw new Error(`API key: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body.key;
}

module.exports = { API, seedAdmins, verifyInProcess, totpOverHttp, createApiKey };
