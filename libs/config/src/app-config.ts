/**
 * The process environment, parsed and validated once at start-up.
 *
 * Every problem is collected before failing, so an operator sees the whole list in one message
 * instead of fixing one variable per restart.
 */
export interface AppConfig {
  nodeEnv: string;
  port: number;
  databaseUrl: string;
  redisUrl: string;
  /** Unset: mail is written as .eml files under mailDir (development default). */
  smtpUrl: string | undefined;
  mailDir: string;
  mailFrom: string;
  /** Base of every link in emails. Never derived from a request's Host header. */
  storefrontUrl: string;
  jwtSecret: string;
  adminTokenTtlSeconds: number;
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
  /** Bound on one database statement (client-side wait = this + 2 s), so a hung database yields 503s. */
  databaseStatementTimeoutMs: number;
  logLevel: string;
  /** Port of the worker's own /metrics server (the worker has no other HTTP); 0 turns it off. */
  workerMetricsPort: number;
  /** When set, GET /metrics (API and worker) answers only `Authorization: Bearer <token>`. */
  metricsToken: string | undefined;
  /** HOSTED_PAGES (default true): serve the storefront pages and the admin console; false: API only. */
  hostedPages: boolean;
}

export class ConfigValidationError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigValidationError';
  }
}

const DEV_JWT_SECRET = 'dev-only-insecure-jwt-secret-change-me';
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

  const storefrontUrl = url('STOREFRONT_URL', production ? undefined : 'http://localhost:8080', ['http:', 'https:']);
  if (!storefrontUrl) problems.push('STOREFRONT_URL is required when NODE_ENV=production');

  const jwtSecret = env.JWT_SECRET || (production ? '' : DEV_JWT_SECRET);
  if (production && (jwtSecret === '' || jwtSecret === DEV_JWT_SECRET)) {
    problems.push('JWT_SECRET is required when NODE_ENV=production (and must not be the development default)');
  } else if (production && jwtSecret.length < 32) {
    problems.push('JWT_SECRET must be at least 32 characters when NODE_ENV=production');
  }

  const logLevel = env.LOG_LEVEL || 'info';
  if (!LOG_LEVELS.includes(logLevel)) problems.push(`LOG_LEVEL must be one of ${LOG_LEVELS.join(', ')}`);

  const metricsToken = env.METRICS_TOKEN || undefined;
  if (metricsToken !== undefined && (metricsToken.length < 16 || /\s/.test(metricsToken))) {
    problems.push('METRICS_TOKEN must be at least 16 characters without spaces (or unset: /metrics open, keep it off the public network)');
  }

  const hostedPagesRaw = (env.HOSTED_PAGES ?? '').trim().toLowerCase();
  if (!['', 'true', 'false'].includes(hostedPagesRaw)) problems.push(`HOSTED_PAGES must be true or false (got "${env.HOSTED_PAGES}")`);

  const mailFrom = env.MAIL_FROM || '"Customer Access" <no-reply@example.com>';

  const config: AppConfig = {
    nodeEnv,
    port: int('PORT', 3000, 0, 65535),
    databaseUrl: url('DATABASE_URL', 'postgres://postgres@127.0.0.1:5432/customer_access', ['postgres:', 'postgresql:'])!,
    redisUrl: url('REDIS_URL', 'redis://127.0.0.1:6379', ['redis:', 'rediss:'])!,
    smtpUrl: url('SMTP_URL', undefined, ['smtp:', 'smtps:']),
    mailDir: env.MAIL_DIR || 'var/mail',
    mailFrom,
    storefrontUrl: (storefrontUrl ?? '').replace(/\/+$/, ''),
    jwtSecret,
    adminTokenTtlSeconds: int('ADMIN_TOKEN_TTL_SECONDS', 900, 60, 86_400),
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
    databaseStatementTimeoutMs: int('DATABASE_STATEMENT_TIMEOUT_MS', 10_000, 100, 600_000),
    logLevel,
    workerMetricsPort: int('WORKER_METRICS_PORT', 9465, 0, 65535),
    metricsToken,
    hostedPages: hostedPagesRaw !== 'false',
  };

  if (problems.length > 0) throw new ConfigValidationError(problems);
  return config;
}
