'use strict';
const { fork } = require('node:child_process');
const path = require('node:path');

/** Starts the SMTP sink child; `arrivals` maps recipient -> arrival times (ms since epoch). */
async function startSink() {
  const child = fork(path.join(__dirname, 'sink-child.js'), [], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const sink = {
    child,
    port: 0,
    count: 0,
    arrivals: new Map(),
    waiters: [],
    reset() {
      this.count = 0;
      this.arrivals = new Map();
    },
    /** Resolves when `n` messages have arrived since the last reset, or after timeoutMs. */
    waitFor(n, timeoutMs) {
      if (this.count >= n) return Promise.resolve(true);
      return new Promise((resolve) => {
        const w = { n, resolve };
        w.timer = setTimeout(() => {
          this.waiters = this.waiters.filter((x) => x !== w);
          resolve(false);
        }, timeoutMs);
        this.waiters.push(w);
      });
    },
    /** Waits until no message arrived for `quietMs` (max timeoutMs). */
    async settle(quietMs = 1500, timeoutMs = 30000) {
      const end = Date.now() + timeoutMs;
      let last = -1;
      let since = Date.now();
      while (Date.now() < end) {
        if (this.count !== last) {
          last = this.count;
          since = Date.now();
        } else if (Date.now() - since >= quietMs) return;
        await new Promise((r) => setTimeout(r, 100));
      }
    },
    stop() {
      child.kill('SIGTERM');
    },
  };
  child.on('message', (m) => {
    if (m.type !== 'mail') return;
    for (const [to, at] of m.items) {
      const list = sink.arrivals.get(to);
      if (list) list.push(at);
      else sink.arrivals.set(to, [at]);
    }
    sink.count += m.items.length;
    for (const w of [...sink.waiters]) {
      if (sink.count >= w.n) {
        clearTimeout(w.timer);
        sink.waiters = sink.waiters.filter((x) => x !== w);
        w.resolve(true);
      }
    }
  });
  sink.port = await new Promise((resolve, reject) => {
    child.once('message', (m) => (m.type === 'ready' ? resolve(m.port) : reject(new Error('sink did not start'))));
    child.once('exit', () => reject(new Error('sink exited')));
  });
  return sink;
}

module.exports = { startSink };
