/**
 * The process environment, parsed and validated once at start-up.
 *
 * Every problem is collected before failing, so an operator sees the whole list in one message
 * instead of fixing one variable per restart.
 */
export interface AppConfig {
  nodeEnv: string;
  port: number;
  /** The address the API and the worker's metrics listen on (HOST, default 0.0.0.0: every interface, as a container needs). */
  host: string;
  databaseUrl: string;
  /**
   * Where `migrate` connects: DATABASE_MIGRATION_URL, else DATABASE_URL. Set it to the server itself
   * when DATABASE_URL points at PgBouncer (creating the database needs the maintenance database).
   */
  databaseMigrationUrl: string;
  /** REDIS_URL; only used when `redis` is the single form. */
  redisUrl: string;
  /** Which of the three Redis forms is in use (see RedisTopology). */
  redis: RedisTopology;
  /** Unset: mail is written as .eml files under mailDir (development default). */
  smtpUrl: string | undefined;
  mailDir: string;
  mailFrom: string;
  /** The service's own public base URL (hosted pages, console), without a trailing slash. */
  publicUrl: string;
  /** Base of every link in emails (default publicUrl). Never derived from a request's Host header. */
  storefrontUrl: string;
  /** Serve the hosted storefront pages and the admin console (HOSTED_PAGES, default true). */
  hostedPages: boolean;
  jwtSecret: string;
  adminTokenTtlSeconds: number;
  /** ADMIN_MFA: `required` (default) asks every admin for a second factor; `optional` only those who enrolled one. */
  adminMfa: 'required' | 'optional';
  /**
   * MFA_ENCRYPTION_KEY: the secret the TOTP secrets' encryption key is derived from (docs/admin-sign-in.md),
   * and MFA_ENCRYPTION_KEY_PREVIOUS, still accepted for decryption while a rotation is under way.
   */
  mfaEncryptionKey: string;
  mfaEncryptionKeyPrevious: string | undefined;
  accessTokenTtlSeconds: number;
  /** How often each process re-reads the settings row (pub/sub makes most changes immediate). */
  settingsRefreshMs: number;
  workerConcurrency: number;
  /** Fastify `trustProxy`: false, or a comma list of addresses/CIDRs of trusted reverse proxies. */
  trustedProxies: string[];
  /**
   * Reset-token guessing limiter (validate and reset routes): wrong tokens allowed per client IP
   * within the window before both routes answer 429 RESET_RATE_LIMITED.
   */
  resetTokenFailuresPerIp: number;
  resetTokenFailureWindowSeconds: number;
  /** Base delay of the mail jobs' exponential backoff (1 s in production; tests shorten it). */
  mailRetryDelayMs: number;
  /**
   * BullMQ stalledInterval and lockDuration of the worker: how soon a job held by a worker that
   * died (SIGKILL, crash) goes back to the queue. BullMQ's default, 30 s; tests shorten it.
   */
  workerStalledIntervalMs: number;
  /**
   * PWNED_PASSWORDS_URL: the Pwned Passwords range API new passwords are checked against (docs/configuration.md);
   * `{url}/range/{5 hex}`. Default https://api.pwnedpasswords.com, or a self-hosted mirror.
   */
  pwnedPasswordsUrl: string;
  /** Bound on one database statement (client-side wait = this + 2 s), so a hung database yields 503s. */
  databaseStatementTimeoutMs: number;
  /**
   * Whether the hot statements (a password reset's) go as named prepared statements, planned once per
   * connection. False behind a pooler in transaction mode that does not keep them (PgBouncer before
   * 1.21 or without max_prepared_statements); the service also falls back by itself on the first refusal.
   */
  databasePreparedStatements: boolean;
  logLevel: string;
  /** LOG_FORMAT: `json` (one JSON object a line; the default outside development) or `pretty` (human-readable; the development default). */
  logFormat: 'json' | 'pretty';
  /** Port of the worker's own /metrics server (the worker has no other HTTP); 0 turns it off. */
  workerMetricsPort: number;
  /** When set, GET /metrics (API and worker) answers only `Authorization: Bearer <token>`. */
  metricsToken: string | undefined;
  /** Data retention (the worker's purge; docs/operations.md "Data retention"). 0 = keep forever. */
  retention: RetentionConfig;
  /** Webhook delivery (docs/webhooks.md). */
  webhooks: WebhooksConfig;
}

export interface WebhooksConfig {
  /**
   * WEBHOOK_ALLOWED_HOSTS: destinations allowed although private, loopback or link-local. A host
   * (`hooks.internal`, `127.0.0.1`) matches the URL's host as written; a CIDR (`10.1.0.0/16`) matches
   * the address the host resolves to.
   */
  allowedHosts: string[];
  /** WEBHOOK_TIMEOUT_MS: one delivery attempt's bound, connection to full answer (10 s; tests shorten it). */
  timeoutMs: number;
  /** WEBHOOK_RETRY_DELAY_MS: base of the exponential backoff between attempts (5 s; tests shorten it). */
  retryDelayMs: number;
  /** WEBHOOK_RETRY_WINDOW_HOURS is fixed at 24 (the design); the value in hours, kept here for one source. */
  retryWindowHours: number;
  /** WEBHOOK_CONCURRENCY: deliveries in flight per worker (32), apart from the mail queue's. */
  concurrency: number;
}

export interface RetentionConfig {
  /** Expired or revoked access tokens are deleted this long after their expiry or revocation. */
  accessTokenHours: number;
  /** Reset tokens (used, superseded or not) are deleted this long after their expiry. */
  resetTokenHours: number;
  /** Delivery-log rows are deleted this long after the email was requested. */
  emailLogDays: number;
  /** Admin audit events are deleted this long after they happened (a compliance decision). */
  auditDays: number;
  /** How often the purge runs; the first run comes within a minute of a worker's start. */
  intervalMinutes: number;
  /** Rows per DELETE statement: small enough that each statement holds its row locks for milliseconds. */
  batchSize: number;
  /** Pause between two batches, leaving the database to live traffic. */
  batchPauseMs: number;
  /** Webhook delivery rows are deleted this long after the event (WEBHOOK_DELIVERY_RETENTION_DAYS, 30). */
  webhookDeliveryDays: number;
}

export interface RedisNode {
  host: string;
  port: number;
}

/**
 * The three Redis forms (docs/operations.md, "Running several instances"): one server (REDIS_URL), a Redis Cluster
 * (REDIS_CLUSTER_NODES, seed nodes) or a Sentinel-managed primary (REDIS_SENTINELS with
 * REDIS_SENTINEL_NAME). libs/redis turns this into connections.
 */
export type RedisTopology =
  { kind: 'single'; url: string } | { kind: 'cluster'; nodes: RedisNode[] } | { kind: 'sentinel'; sentinels: RedisNode[]; name: string };

export class ConfigValidationError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigValidationError';
  }
}

const DEV_JWT_SECRET = 'dev-only-insecure-jwt-secret-change-me';
const DEV_MFA_ENCRYPTION_KEY = 'dev-only-insecure-mfa-encryption-key';
const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];

export function loadConfig(env: NodeJS.ProcessEnv = process.env): AppConfig {
  const problems: string[] = [];
  const nodeEnv = env.NODE_ENV ?? 'development';
  const production = nodeEnv === 'production';

  const int = (name: string, fallback: number, min: number, max: number): number => {
    const raw = env[name];
    if (raw === undefined || raw === '') return fallback;
    const value = Number(raw);
    if (!Number.isInteger(value) || value < min || value > max) {
      problems.push(`${name} must be an integer from ${min} to ${max} (got "${raw}")`);
      return fallback;
    }
    return value;
  };

  const url = (name: string, fallback: string | undefined, protocols: string[]): string | undefined => {
    const raw = env[name];
    if (raw === undefined || raw === '') return fallback;
    try {
      const parsed = new URL(raw);
      if (!protocols.includes(parsed.protocol)) {
        problems.push(`${name} must use ${protocols.join(' or ')} (got "${parsed.protocol}")`);
      }
    } catch {
      problems.push(`${name} is not a valid URL`);
    }
    return raw;
  };

  const bool = (name: string, fallback: boolean): boolean => {
    const raw = env[name];
    if (raw === undefined || raw === '') return fallback;
    if (raw === 'true' || raw === 'false') return raw === 'true';
    problems.push(`${name} must be true or false (got "${raw}")`);
    return fallback;
  };

  const port = int('PORT', 3000, 0, 65535);
  // Development works out of the box on localhost; production must say where it is reachable, since
  // links and cookies (Secure on https) depend on it and a guess from the Host header is not safe.
  const publicUrl = url('PUBLIC_URL', production ? undefined : `http://localhost:${port}`, ['http:', 'https:']);
  if (!publicUrl) problems.push('PUBLIC_URL is required when NODE_ENV=production');
  // Default: the hosted pages of this service, so that a fresh `npm start` sends links that open.
  const storefrontUrl = url('STOREFRONT_URL', publicUrl, ['http:', 'https:']);

  const jwtSecret = env.JWT_SECRET || (production ? '' : DEV_JWT_SECRET);
  if (production && (jwtSecret === '' || jwtSecret === DEV_JWT_SECRET)) {
    problems.push('JWT_SECRET is required when NODE_ENV=production (and must not be the development default)');
  } else if (production && jwtSecret.length < 32) {
    problems.push('JWT_SECRET must be at least 32 characters when NODE_ENV=production');
  }

  const adminMfa = env.ADMIN_MFA || 'required';
  if (adminMfa !== 'required' && adminMfa !== 'optional') problems.push(`ADMIN_MFA must be required or optional (got "${adminMfa}")`);
  const mfaEncryptionKey = env.MFA_ENCRYPTION_KEY || (production ? '' : DEV_MFA_ENCRYPTION_KEY);
  if (production && (mfaEncryptionKey === '' || mfaEncryptionKey === DEV_MFA_ENCRYPTION_KEY)) {
    problems.push('MFA_ENCRYPTION_KEY is required when NODE_ENV=production (and must not be the development default)');
  } else if (production && mfaEncryptionKey.length < 32) {
    problems.push('MFA_ENCRYPTION_KEY must be at least 32 characters when NODE_ENV=production');
  }
  const mfaEncryptionKeyPrevious = env.MFA_ENCRYPTION_KEY_PREVIOUS || undefined;
  if (mfaEncryptionKeyPrevious !== undefined && mfaEncryptionKeyPrevious === mfaEncryptionKey) {
    problems.push('MFA_ENCRYPTION_KEY_PREVIOUS must differ from MFA_ENCRYPTION_KEY (unset it when no rotation is under way)');
  }

  const logLevel = env.LOG_LEVEL || 'info';
  if (!LOG_LEVELS.includes(logLevel)) problems.push(`LOG_LEVEL must be one of ${LOG_LEVELS.join(', ')}`);
  const logFormat = env.LOG_FORMAT || (nodeEnv === 'development' ? 'pretty' : 'json');
  if (logFormat !== 'json' && logFormat !== 'pretty') problems.push('LOG_FORMAT must be json or pretty');

  const metricsToken = env.METRICS_TOKEN || undefined;
  if (metricsToken !== undefined && (metricsToken.length < 16 || /\s/.test(metricsToken))) {
    problems.push('METRICS_TOKEN must be at least 16 characters without spaces (or unset: /metrics open, keep it off the public network)');
  }

  const redisUrl = url('REDIS_URL', 'redis://127.0.0.1:6379', ['redis:', 'rediss:'])!;
  const redis = redisTopology(env, redisUrl, problems);

  // An address alone: the emails are signed with the store's name (the storeName setting).
  const mailFrom = env.MAIL_FROM || 'no-reply@example.com';

  const databaseUrl = url('DATABASE_URL', 'postgres://postgres@127.0.0.1:5432/customer_access', ['postgres:', 'postgresql:'])!;

  const config: AppConfig = {
    nodeEnv,
    port,
    host: env.HOST || '0.0.0.0',
    databaseUrl,
    databaseMigrationUrl: url('DATABASE_MIGRATION_URL', databaseUrl, ['postgres:', 'postgresql:'])!,
    redisUrl,
    redis,
    smtpUrl: url('SMTP_URL', undefined, ['smtp:', 'smtps:']),
    mailDir: env.MAIL_DIR || 'var/mail',
    mailFrom,
    publicUrl: (publicUrl ?? '').replace(/\/+$/, ''),
    storefrontUrl: (storefrontUrl ?? '').replace(/\/+$/, ''),
    hostedPages: bool('HOSTED_PAGES', true),
    jwtSecret,
    adminTokenTtlSeconds: int('ADMIN_TOKEN_TTL_SECONDS', 900, 60, 86_400),
    adminMfa: adminMfa === 'optional' ? 'optional' : 'required',
    mfaEncryptionKey,
    mfaEncryptionKeyPrevious,
    accessTokenTtlSeconds: int('ACCESS_TOKEN_TTL_SECONDS', 3600, 60, 30 * 86_400),
    settingsRefreshMs: int('SETTINGS_REFRESH_MS', 5000, 50, 600_000),
    workerConcurrency: int('WORKER_CONCURRENCY', 16, 1, 256),
    trustedProxies: (env.TRUSTED_PROXIES ?? '')
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean),
    resetTokenFailuresPerIp: int('RESET_TOKEN_FAILURES_PER_IP', 20, 1, 1_000_000),
    resetTokenFailureWindowSeconds: int('RESET_TOKEN_FAILURE_WINDOW_SECONDS', 900, 1, 86_400),
    mailRetryDelayMs: int('MAIL_RETRY_DELAY_MS', 1000, 10, 600_000),
    workerStalledIntervalMs: int('WORKER_STALLED_INTERVAL_MS', 30_000, 500, 600_000),
    pwnedPasswordsUrl: (url('PWNED_PASSWORDS_URL', 'https://api.pwnedpasswords.com', ['http:', 'https:']) ?? '').replace(/\/+$/, ''),
    databaseStatementTimeoutMs: int('DATABASE_STATEMENT_TIMEOUT_MS', 10_000, 100, 600_000),
    databasePreparedStatements: bool('DATABASE_PREPARED_STATEMENTS', true),
    logLevel,
    logFormat: logFormat as AppConfig['logFormat'],
    workerMetricsPort: int('WORKER_METRICS_PORT', 9465, 0, 65535),
    metricsToken,
    retention: {
      accessTokenHours: int('ACCESS_TOKEN_RETENTION_HOURS', 24, 0, 87_600),
      resetTokenHours: int('RESET_TOKEN_RETENTION_HOURS', 24, 0, 87_600),
      emailLogDays: int('EMAIL_LOG_RETENTION_DAYS', 90, 0, 36_500),
      auditDays: int('AUDIT_RETENTION_DAYS', 365, 0, 36_500),
      intervalMinutes: int('RETENTION_INTERVAL_MINUTES', 60, 1, 10_080),
      batchSize: int('RETENTION_BATCH_SIZE', 5000, 1, 100_000),
      batchPauseMs: int('RETENTION_BATCH_PAUSE_MS', 200, 0, 60_000),
      webhookDeliveryDays: int('WEBHOOK_DELIVERY_RETENTION_DAYS', 30, 0, 36_500),
    },
    webhooks: {
      allowedHosts: (env.WEBHOOK_ALLOWED_HOSTS ?? '')
        .split(',')
        .map((s) => s.trim().toLowerCase())
        .filter(Boolean),
      timeoutMs: int('WEBHOOK_TIMEOUT_MS', 10_000, 100, 60_000),
      retryDelayMs: int('WEBHOOK_RETRY_DELAY_MS', 5000, 10, 3_600_000),
      retryWindowHours: 24,
      concurrency: int('WEBHOOK_CONCURRENCY', 32, 1, 512),
    },
  };

  if (problems.length > 0) throw new ConfigValidationError(problems);
  return config;
}

/** `host:port,host:port` (IPv6 hosts in brackets: `[::1]:6379`). Problems are pushed, not thrown. */
function parseNodeList(name: string, raw: string, problems: string[]): RedisNode[] {
  const nodes: RedisNode[] = [];
  for (const item of raw.split(',').map((s) => s.trim())) {
    const match = /^(\[[0-9a-fA-F:]+\]|[^\s:[\]]+):(\d{1,5})$/.exec(item);
    const port = match ? Number(match[2]) : 0;
    if (!match || port < 1 || port > 65535) {
      problems.push(`${name} must be a comma-separated list of host:port (got "${item}" in "${raw}")`);
      continue;
    }
    nodes.push({ host: match[1].replace(/^\[|\]$/g, ''), port });
  }
  return nodes;
}

/**
 * At most one form: REDIS_CLUSTER_NODES, or REDIS_SENTINELS with REDIS_SENTINEL_NAME, or else
 * REDIS_URL (which has a default, so it is simply ignored by the other two forms, as docs/configuration.md says).
 * A bad combination is one problem with one message that names the variables and the fix.
 */
function redisTopology(env: NodeJS.ProcessEnv, redisUrl: string, problems: string[]): RedisTopology {
  const clusterNodes = env.REDIS_CLUSTER_NODES?.trim() || undefined;
  const sentinels = env.REDIS_SENTINELS?.trim() || undefined;
  const sentinelName = env.REDIS_SENTINEL_NAME?.trim() || undefined;
  const fallback: RedisTopology = { kind: 'single', url: redisUrl };
  const forms =
    'set REDIS_URL alone (one Redis), or REDIS_CLUSTER_NODES (Redis Cluster), or REDIS_SENTINELS together with REDIS_SENTINEL_NAME (Sentinel)';
  if (clusterNodes && (sentinels || sentinelName)) {
    problems.push(`REDIS_CLUSTER_NODES cannot be combined with REDIS_SENTINELS/REDIS_SENTINEL_NAME: ${forms}`);
    return fallback;
  }
  if (!!sentinels !== !!sentinelName) {
    problems.push(
      `${sentinels ? 'REDIS_SENTINELS is set without REDIS_SENTINEL_NAME' : 'REDIS_SENTINEL_NAME is set without REDIS_SENTINELS'}: ${forms}`,
    );
    return fallback;
  }
  if (clusterNodes) return { kind: 'cluster', nodes: parseNodeList('REDIS_CLUSTER_NODES', clusterNodes, problems) };
  if (sentinels && sentinelName)
    return { kind: 'sentinel', sentinels: parseNodeList('REDIS_SENTINELS', sentinels, problems), name: sentinelName };
  return fallback;
}
