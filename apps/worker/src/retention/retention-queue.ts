/** The worker's own maintenance queue. Persisted in Redis: never rename, only add. */
export const RETENTION_QUEUE = 'retention';
/** Job name of a purge run, and id of the job scheduler that creates one every interval. */
export const RETENTION_JOB = 'purge';
export const RETENTION_SCHEDULER_ID = 'retention-purge';
/** Deduplication id of the run a starting worker asks for (one pending at a time). */
export const RETENTION_ON_START_ID = 'retention-purge-on-start';
/** The first run comes within this long of a worker's start (docs/configuration.md, RETENTION_INTERVAL_MINUTES). */
export const FIRST_RUN_WITHIN_MS = 60_000;
/** Delay of that run: lets the worker settle first. */
export const FIRST_RUN_DELAY_MS = 5_000;
