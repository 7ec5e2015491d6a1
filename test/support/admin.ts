import { ChildProcess, execFile, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { ApiRequest, ApiResponse, request } from './http-client';
import { freePort, READY_TIMEOUT_MS, REPO_ROOT, Stack } from './stack';

/**
 * Admin-side helpers for the e2e tests: admin accounts through the real CLI, admin tokens, a
 * second API process, route discovery from the built app's metadata, and a secret scanner.
 */

export type AdminRole = 'administrator' | 'support';

export interface AdminAccount {
  id: string;
  email: string;
  password: string;
  role: AdminRole;
  /** Set once the harness enrolled an authenticator for this admin (through the API). */
  totpSecret?: string;
  /** The last TOTP step the harness used: a code is accepted once, so the next one must be later. */
  lastTotpStep?: number;
  /** The 10 recovery codes returned when the authenticator was enrolled. */
  recoveryCodes?: string[];
}

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs `node dist/apps/cli/main.js ...args` with the stack's environment. */
export function runCli(stack: Stack, args: string[], env: Record<string, string> = {}, stdin?: string): Promise<CliResult> {
  return runBuilt(stack, 'dist/apps/cli/main.js', args, env, stdin);
}

/** Runs a built entry point to its end (killed after 30 s), with the stack's environment. */
export function runBuilt(
  stack: Stack,
  entry: string,
  args: string[],
  env: Record<string, string> = {},
  stdin?: string,
): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [join(REPO_ROOT, entry), ...args], {
      cwd: REPO_ROOT,
      env: { ...stack.env, ...env },
      stdio: [stdin === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'],
    });
    if (stdin !== undefined) child.stdin!.end(stdin);
    let stdout = '';
    let stderr = '';
    child.stdout!.on('data', (c: Buffer) => (stdout += c.toString('utf8')));
    child.stderr!.on('data', (c: Buffer) => (stderr += c.toString('utf8')));
    const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
    child.once('error', reject);
    child.once('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

/** A strong admin password (at least 15 characters, not a common one). */
export function adminPassword(): string {
  return `adm-${randomBytes(12).toString('base64url')}-7`;
}

/** Creates an admin with `npm run cli -- admin:create` (the built CLI), insisting on success. */
export async function createAdmin(stack: Stack, role: AdminRole, label: string = role): Promise<AdminAccount> {
  const email = `${label}-${Date.now().toString(36)}${randomBytes(3).toString('hex')}@admins.example.com`;
  const password = adminPassword();
  const result = await runCli(stack, ['admin:create', '--email', email, '--password', password, '--role', role]);
  if (result.code !== 0) throw new Error(`admin:create exited with ${result.code}:\n${result.stdout}${result.stderr}`);
  const rows = await stack.db.query<{ id: string }>('select id from admin_user where email = $1', [email]);
  if (!rows.rows[0]) throw new Error(`admin:create succeeded but ${email} is not in admin_user`);
  return { id: rows.rows[0].id, email, password, role };
}

export function adminSignIn(
  api: (path: string, init?: ApiRequest) => Promise<ApiResponse>,
  email: string,
  password: string,
): Promise<ApiResponse> {
  return api('/api/v1/admin/auth/token', { json: { email, password } });
}

// ---------------------------------------------------------------------------------------------
// Second factor: TOTP codes come from Debian's oathtool, a program nobody here wrote.

const TOTP_PERIOD_MS = 30_000;
const sleepMs = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** `oathtool --totp -b SECRET` for the step containing `atMs` (default now). */
export function oathtoolCode(secret: string, atMs: number = Date.now()): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile('oathtool', ['--totp', '-b', `--now=@${Math.floor(atMs / 1000)}`, secret], (error, stdout) => {
      if (error) reject(new Error(`oathtool failed (is the oathtool package installed?): ${error.message}`));
      else resolve(stdout.trim());
    });
  });
}

export const totpStepAt = (atMs: number = Date.now()): number => Math.floor(atMs / TOTP_PERIOD_MS);

/**
 * The previous step's code is only taken in the first half of a step: it must still be in the
 * server's window (one step either way) when it arrives, however slow the way there.
 */
const PREVIOUS_STEP_UNTIL_MS = TOTP_PERIOD_MS / 2;

/**
 * A code the server has not seen yet for this admin, from the earliest step the server accepts: the
 * previous step (early in the current one), the current step, the next one; else wait for time to
 * move on. Records the step as used. Three sign-ins a step before any waiting, as an admin whose
 * app shows a code a little late, or a little early, would have them.
 */
export async function nextTotpCode(admin: AdminAccount): Promise<string> {
  if (!admin.totpSecret) throw new Error(`${admin.email} has no authenticator enrolled by the harness`);
  for (;;) {
    const at = Date.now();
    const now = totpStepAt(at);
    const steps = at - now * TOTP_PERIOD_MS < PREVIOUS_STEP_UNTIL_MS ? [now - 1, now, now + 1] : [now, now + 1];
    const step = steps.find((s) => admin.lastTotpStep === undefined || s > admin.lastTotpStep);
    if (step !== undefined) {
      admin.lastTotpStep = step;
      return oathtoolCode(admin.totpSecret, step * TOTP_PERIOD_MS);
    }
    await sleepMs((now + 1) * TOTP_PERIOD_MS - Date.now() + 50);
  }
}

type Api = (path: string, init?: ApiRequest) => Promise<ApiResponse>;

/**
 * The whole sign-in as the console does it: the password, then (a second factor being required)
 * enrolling an authenticator through the API on the first sign-in, or a code of the enrolled one.
 * Answers the last step's response (200 with the access token on success).
 */
export async function signInWithMfa(api: Api, admin: AdminAccount): Promise<ApiResponse> {
  const first = await adminSignIn(api, admin.email, admin.password);
  if (first.status !== 200 || !first.body?.mfa_required) return first;
  const mfaToken: string = first.body.mfa_token;
  if (!first.body.enrolled) {
    const setup = await api('/api/v1/admin/auth/mfa/totp/setup', { json: { mfa_token: mfaToken } });
    if (setup.status !== 200) return setup;
    admin.totpSecret = setup.body.secret;
    admin.lastTotpStep = undefined;
  }
  const res = await api('/api/v1/admin/auth/mfa/totp', { json: { mfa_token: mfaToken, code: await nextTotpCode(admin) } });
  if (res.status === 200 && Array.isArray(res.body?.recovery_codes)) admin.recoveryCodes = res.body.recovery_codes;
  return res;
}

/**
 * Admin JWTs already issued on a stack, per admin: a test that needs "a token of this admin" gets
 * the same one while it has more than a minute left, instead of a sign-in (and a TOTP step) each.
 */
const tokenCache = new Map<string, { token: string; expiresAt: number }>();

/** An admin JWT (through the second factor); throws unless sign-in succeeds. */
export async function adminToken(
  stack: Pick<Stack, 'api' | 'baseUrl'>,
  admin: AdminAccount,
  options: { fresh?: boolean } = {},
): Promise<string> {
  const key = `${stack.baseUrl} ${admin.email}`;
  const cached = tokenCache.get(key);
  if (!options.fresh && cached && cached.expiresAt - 60_000 > Date.now()) return cached.token;
  const res = await signInWithMfa(stack.api, admin);
  if (res.status !== 200 || typeof res.body?.access_token !== 'string') {
    throw new Error(`admin sign-in for ${admin.email} expected 200, got ${res.status}: ${res.text}`);
  }
  tokenCache.set(key, { token: res.body.access_token, expiresAt: Date.now() + res.body.expires_in * 1000 });
  return res.body.access_token;
}

// ---------------------------------------------------------------------------------------------
// Recording admin responses, and scanning them for secrets

export interface RecordedResponse {
  method: string;
  path: string;
  status: number;
  body: unknown;
}

/**
 * Wraps an `api` function so that every answer of an admin route is kept for a final secret scan:
 * a test that forgets to look at a field still has that field checked.
 */
export function recordingApi(
  api: (path: string, init?: ApiRequest) => Promise<ApiResponse>,
  log: RecordedResponse[],
): <T = any>(path: string, init?: ApiRequest) => Promise<ApiResponse<T>> {
  return async (path, init = {}) => {
    const res = await api(path, init);
    if (path.startsWith('/api/v1/admin')) {
      const method = init.method ?? (init.json !== undefined || init.form !== undefined || init.body !== undefined ? 'POST' : 'GET');
      log.push({ method, path, status: res.status, body: res.body });
    }
    return res;
  };
}

const SECRET_KEY = /password|hash|token/i;
/** Keys allowed despite matching SECRET_KEY, and where. docs/api.md fixes these names. */
const ALLOWED_SECRET_LOOKING_KEYS: Array<{ key: string; path: RegExp }> = [
  { key: 'activeTokenCount', path: /^\/api\/v1\/admin\/customers/ },
  { key: 'access_token', path: /^\/api\/v1\/admin\/auth\/(token|mfa\/[a-z]+)$/ },
  { key: 'token_type', path: /^\/api\/v1\/admin\/auth\/(token|mfa\/[a-z]+)$/ },
  // Between the password and the second factor: a 5-minute token for the MFA calls only.
  { key: 'mfa_token', path: /^\/api\/v1\/admin\/auth\/token$/ },
  // Setting names (docs/api.md, Settings): a length and a switch, not secrets.
  { key: 'minPasswordLength', path: /^\/api\/v1\/admin\/config\/customer-password$/ },
  { key: 'revokeTokensOnReset', path: /^\/api\/v1\/admin\/config\/customer-password$/ },
  { key: 'breachedPasswordCheck', path: /^\/api\/v1\/admin\/config\/customer-password$/ },
  // The customer's data export (docs/api.md): the names of tables and dates; their values are still scanned.
  { key: 'passwordChangedAt', path: /^\/api\/v1\/admin\/customers\/[^/]+\/export$/ },
  { key: 'accessTokens', path: /^\/api\/v1\/admin\/customers\/[^/]+\/export$/ },
  { key: 'passwordResetTokens', path: /^\/api\/v1\/admin\/customers\/[^/]+\/export$/ },
];

/**
 * Every place in the recorded answers where a secret could be: a key that looks like one (beyond
 * the allowed list), an argon2 hash, a SHA-256 hex digest, or one of the known secret values.
 */
export function findSecrets(log: RecordedResponse[], knownSecrets: string[]): string[] {
  const secrets = new Set(knownSecrets.filter((s) => s && s.length >= 8));
  const problems: string[] = [];
  for (const entry of log) {
    const route = entry.path.split('?')[0];
    const walk = (value: unknown, at: string): void => {
      if (typeof value === 'string') {
        if (/\$argon2/i.test(value)) problems.push(`${entry.method} ${entry.path} ${at}: an argon2 hash`);
        if (/\b[0-9a-f]{64}\b/i.test(value)) problems.push(`${entry.method} ${entry.path} ${at}: a SHA-256 digest`);
        for (const secret of secrets)
          if (value.includes(secret)) problems.push(`${entry.method} ${entry.path} ${at}: a known secret value`);
        return;
      }
      if (Array.isArray(value)) return value.forEach((v, i) => walk(v, `${at}[${i}]`));
      if (value && typeof value === 'object') {
        for (const [key, v] of Object.entries(value)) {
          const allowed = ALLOWED_SECRET_LOOKING_KEYS.some((a) => a.key === key && a.path.test(route));
          if (SECRET_KEY.test(key) && !allowed) problems.push(`${entry.method} ${entry.path} ${at}.${key}: a secret-looking field`);
          // The one secret an admin route may return is the sign-in route's own access_token.
          if (allowed && (key === 'access_token' || key === 'mfa_token')) continue;
          walk(v, `${at}.${key}`);
        }
      }
    };
    walk(entry.body, 'body');
  }
  return problems;
}

// ---------------------------------------------------------------------------------------------
// Route discovery

export interface DiscoveredRoute {
  method: string;
  /** Full path with the global prefix, e.g. /api/v1/admin/customers/:id */
  path: string;
  controller: string;
  handler: string;
  permission: string | null;
  public: boolean;
}

/**
 * Walks the built API's module graph (dist/, exactly what the stack runs) and lists every
 * controller route from Nest's own metadata (MODULE_METADATA, PATH_METADATA, METHOD_METADATA).
 * Runs in a child process so that importing the app has no side effects on the test process.
 */
export async function discoverRoutes(): Promise<DiscoveredRoute[]> {
  const script = `
    require('reflect-metadata');
    const { MODULE_METADATA, PATH_METADATA, METHOD_METADATA } = require('@nestjs/common/constants');
    const { RequestMethod } = require('@nestjs/common');
    const { ApiModule } = require('./dist/apps/api/src/api.module');
    const { REQUIRED_PERMISSION, PUBLIC_ADMIN_ROUTE } = require('./dist/libs/admin/src/access/require-permission.decorator');
    (async () => {
      const seen = new Set();
      const controllers = new Set();
      const visit = async (entry) => {
        if (!entry) return;
        if (entry instanceof Promise) entry = await entry;
        if (typeof entry === 'object' && typeof entry.forwardRef === 'function') entry = entry.forwardRef();
        if (seen.has(entry)) return;
        seen.add(entry);
        const cls = typeof entry === 'function' ? entry : entry.module;
        const list = (key) => [...(Reflect.getMetadata(key, cls) || []), ...((typeof entry === 'object' && entry[key]) || [])];
        for (const c of list(MODULE_METADATA.CONTROLLERS)) controllers.add(c);
        for (const i of list(MODULE_METADATA.IMPORTS)) await visit(i);
      };
      await visit(ApiModule);
      const routes = [];
      for (const controller of controllers) {
        const bases = [].concat(Reflect.getMetadata(PATH_METADATA, controller) ?? '/');
        const names = new Set();
        for (let p = controller.prototype; p && p !== Object.prototype; p = Object.getPrototypeOf(p)) {
          for (const n of Object.getOwnPropertyNames(p)) if (n !== 'constructor') names.add(n);
        }
        for (const name of names) {
          const handler = controller.prototype[name];
          if (typeof handler !== 'function') continue;
          const method = Reflect.getMetadata(METHOD_METADATA, handler);
          if (method === undefined) continue;
          for (const base of bases) {
            for (const sub of [].concat(Reflect.getMetadata(PATH_METADATA, handler) ?? '/')) {
              const path = ('/api/v1/' + base + '/' + sub).replace(/\\/+/g, '/').replace(/(.)\\/$/, '$1');
              routes.push({
                method: RequestMethod[method],
                path,
                controller: controller.name,
                handler: name,
                permission: Reflect.getMetadata(REQUIRED_PERMISSION, handler) ?? Reflect.getMetadata(REQUIRED_PERMISSION, controller) ?? null,
                public: Boolean(Reflect.getMetadata(PUBLIC_ADMIN_ROUTE, handler)),
              });
            }
          }
        }
      }
      process.stdout.write(JSON.stringify(routes));
      process.exit(0);
    })().catch((e) => { console.error(e); process.exit(1); });
  `;
  const output = await new Promise<string>((resolve, reject) => {
    const child = spawn(process.execPath, ['-e', script], { cwd: REPO_ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout!.on('data', (c: Buffer) => (out += c.toString('utf8')));
    child.stderr!.on('data', (c: Buffer) => (err += c.toString('utf8')));
    child.once('error', reject);
    child.once('exit', (code) => (code === 0 ? resolve(out) : reject(new Error(`route discovery exited with ${code}: ${err}`))));
  });
  return JSON.parse(output) as DiscoveredRoute[];
}

// ---------------------------------------------------------------------------------------------
// A second API instance

export interface ExtraApi {
  baseUrl: string;
  api<T = any>(path: string, init?: ApiRequest): Promise<ApiResponse<T>>;
  output: string[];
  /**
   * Waits until the process has printed `text`. The readiness probe can answer before a line
   * logged at bootstrap has come through the pipe, so tests of a startup line wait for it.
   */
  waitForOutput(text: string, timeoutMs?: number): Promise<void>;
  stop(): Promise<void>;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Starts another API process on the stack's database and Redis (as a second instance behind a
 * load balancer would run), with optional environment overrides.
 */
export async function startExtraApi(stack: Stack, env: Record<string, string> = {}, readyTimeoutMs = READY_TIMEOUT_MS): Promise<ExtraApi> {
  const port = await freePort();
  const child: ChildProcess = spawn(process.execPath, [join(REPO_ROOT, 'dist/apps/api/main.js')], {
    cwd: REPO_ROOT,
    env: { ...stack.env, ...env, PORT: String(port) },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const output: string[] = [];
  child.stdout!.on('data', (c: Buffer) => output.push(c.toString('utf8')));
  child.stderr!.on('data', (c: Buffer) => output.push(c.toString('utf8')));
  let exited = false;
  const exit = new Promise<void>((resolve) => child.once('exit', () => ((exited = true), resolve())));
  const kill = () => !exited && child.kill('SIGKILL');
  process.once('exit', kill);
  const baseUrl = `http://127.0.0.1:${port}`;

  const stop = async (): Promise<void> => {
    if (!exited) {
      child.kill('SIGTERM');
      let timer: NodeJS.Timeout | undefined;
      // A cleared timer, so that a prompt exit leaves nothing keeping jest alive.
      await Promise.race([exit, new Promise<void>((r) => (timer = setTimeout(r, 5000)))]);
      clearTimeout(timer);
      kill();
      await exit;
    }
    process.removeListener('exit', kill);
  };

  const deadline = Date.now() + readyTimeoutMs;
  for (;;) {
    if (exited) throw new Error(`second API exited before it was ready:\n${output.join('').slice(-4000)}`);
    const ready = await request(baseUrl, '/health/live', { timeoutMs: 1000 }).then(
      (r) => r.status === 200,
      () => false,
    );
    if (ready) break;
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`second API not ready within ${readyTimeoutMs} ms:\n${output.join('').slice(-4000)}`);
    }
    await sleep(100);
  }
  const waitForOutput = async (text: string, timeoutMs = 10_000): Promise<void> => {
    const until = Date.now() + timeoutMs;
    while (!output.join('').includes(text)) {
      if (Date.now() > until)
        throw new Error(`second API did not print "${text}" within ${timeoutMs} ms:\n${output.join('').slice(-4000)}`);
      await sleep(50);
    }
  };
  return { baseUrl, api: (path, init) => request(baseUrl, path, init), output, waitForOutput, stop };
}
