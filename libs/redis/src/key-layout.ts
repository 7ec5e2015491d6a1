/**
 * Key layout that is correct on a Redis Cluster as well as on one Redis.
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
