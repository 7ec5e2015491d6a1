'use strict';

/**
 * Waiting on a count that a bench child's messages raise (emails at the SMTP sink, deliveries at the
 * webhook receiver): `waitFor(n)` until the count reaches n, `settle()` until it stops moving.
 * The owner calls `arrived()` after each message that raised the count.
 */
function arrivalCounter(count, defaultQuietMs) {
  let waiters = [];
  return {
    /** Resolves true when the count reaches `n`, or false after timeoutMs. */
    waitFor(n, timeoutMs) {
      if (count() >= n) return Promise.resolve(true);
      return new Promise((resolve) => {
        const w = { n, resolve };
        w.timer = setTimeout(() => {
          waiters = waiters.filter((x) => x !== w);
          resolve(false);
        }, timeoutMs);
        waiters.push(w);
      });
    },
    /** Waits until the count did not move for `quietMs` (max timeoutMs). */
    async settle(quietMs = defaultQuietMs, timeoutMs = 30000) {
      const end = Date.now() + timeoutMs;
      let last = -1;
      let since = Date.now();
      while (Date.now() < end) {
        if (count() !== last) {
          last = count();
          since = Date.now();
        } else if (Date.now() - since >= quietMs) return;
        await new Promise((r) => setTimeout(r, 100));
      }
    },
    /** Resolves the waiters the current count satisfies. */
    arrived() {
      const now = count();
      for (const w of waiters.filter((x) => now >= x.n)) {
        clearTimeout(w.timer);
        w.resolve(true);
      }
      waiters = waiters.filter((x) => now < x.n);
    },
  };
}

module.exports = { arrivalCounter };
