/**
 * Every Redis key and channel name of the service, and a key layout that is correct on a Redis
 * Cluster as well as on one Redis.
 *
 * A multi-key command or script must find all its keys in one hash slot; a `{tag}` in a key makes
 * only the tag count for the slot. Rules of this codebase:
 * - every multi-key script or MULTI gets its keys from one hash tag (see each script);
 * - single-key commands use plain keys, which spread over the cluster;
 * - nothing on a request path lists keys (no KEYS or SCAN): every key is computed.
 */

/**
 * BullMQ's prefix. BullMQ's scripts touch several keys of a queue at once (wait list, job hash,
 * events stream...), so the whole queue must live in one slot: the braces make the prefix the
 * hash tag of every queue key (`{customer-access}:mail:wait`, `{customer-access}:mail:42`...).
 * Every queue of this service (mail, and any later one) shares it, so that a flow or a job moved
 * between queues stays legal too.
 */
export const BULLMQ_PREFIX = '{customer-access}';

/**
 * The forgot-password throttle counters (libs/password-reset). They all carry one hash tag, so
 * they live in one Cluster slot: one script counts all of a request's counters (per IP and per
 * email), and a script may only touch keys of one slot. No narrower tag can work: the IP counter
 * is shared by requests for many emails, and each email counter by many IPs, so the counters form
 * one connected group. Each is a tiny string with a TTL, touched once per forgot request.
 */
export const THROTTLE_KEY_PREFIX = '{customer-access:throttle}:';
export const throttleCounterKey = (throttlerName: string, key: string): string => `${THROTTLE_KEY_PREFIX}${throttlerName}:${key}`;

/** Wrong reset tokens per client network (libs/password-reset), a single-key counter. */
export const RESET_TOKEN_GUESS_KEY_PREFIX = 'customer-access:reset-token-guess:';
export const resetTokenGuessKey = (network: string): string => `${RESET_TOKEN_GUESS_KEY_PREFIX}${network}`;

/** Failed admin sign-ins per admin email and per client IP (libs/admin), single-key counters. */
export const adminSignInFailureKeys = (email: string, ip: string): [byEmail: string, byIp: string] => [
  `customer-access:admin-sign-in:email:${email}`,
  `customer-access:admin-sign-in:ip:${ip}`,
];

/** Test sends of email templates per admin (libs/admin), a single-key counter. */
/** Wrong second-factor codes per admin mfa_token (its id); also marks a spent one. */
export const adminMfaTokenKey = (tokenId: string): string => `customer-access:admin-mfa-token:${tokenId}`;

/**
 * A WebAuthn challenge waiting for its answer (libs/admin), single use: `sign-in:<mfa_token id>` for
 * the second sign-in step, `account:<admin id>` for a key added in My Account.
 */
export const adminWebAuthnChallengeKey = (scope: string): string => `customer-access:admin-webauthn-challenge:${scope}`;

export const emailTestSendsKey = (adminId: string): string => `customer-access:email-test-sends:${adminId}`;

/** A cached Pwned Passwords range (libs/customers): the suffixes of one 5-hex SHA-1 prefix, kept a day. */
export const pwnedRangeKey = (prefix: string): string => `customer-access:pwned-range:${prefix}`;

/** Forgot requests per client network in the current hour, for `resetChallenge` `adaptive` (libs/password-reset). */
export const resetChallengeCountKey = (network: string): string => `customer-access:reset-challenge:count:${network}`;

/** A proof-of-work solution already accepted (its challenge's signature), kept until the challenge expires: a solution counts once. */
export const resetChallengeSpentKey = (signature: string): string => `customer-access:reset-challenge:spent:${signature}`;

/** The live workers, a sorted set of worker id by last beat (libs/observability). */
export const WORKER_HEARTBEAT_KEY = 'customer-access:workers:heartbeat';

/** Pub/sub channel on which a settings change is announced to every process (libs/settings). */
export const SETTINGS_CHANGED_CHANNEL = 'customer-access:settings-changed';
