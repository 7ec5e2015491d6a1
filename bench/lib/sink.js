'use strict';
const { fork } = require('node:child_process');
const path = require('node:path');
const { arrivalCounter } = require('./arrival-counter');

/** Starts the SMTP sink child; `arrivals` maps recipient -> arrival times (ms since epoch). */
async function startSink() {
  const child = fork(path.join(__dirname, 'sink-child.js'), [], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const sink = {
    child,
    port: 0,
    count: 0,
    arrivals: new Map(),
    reset() {
      this.count = 0;
      this.arrivals = new Map();
    },
    /** Resolves when `n` messages have arrived since the last reset, or after timeoutMs. */
    waitFor: (n, timeoutMs) => counter.waitFor(n, timeoutMs),
    /** Waits until no message arrived for `quietMs` (max timeoutMs). */
    settle: (quietMs, timeoutMs) => counter.settle(quietMs, timeoutMs),
    stop() {
      child.kill('SIGTERM');
    },
  };
  const counter = arrivalCounter(() => sink.count, 1500);
  child.on('message', (m) => {
    if (m.type !== 'mail') return;
    for (const [to, at] of m.items) {
      const list = sink.arrivals.get(to);
      if (list) list.push(at);
      else sink.arrivals.set(to, [at]);
    }
    sink.count += m.items.length;
    counter.arrived();
  });
  sink.port = await new Promise((resolve, reject) => {
    child.once('message', (m) => (m.type === 'ready' ? resolve(m.port) : reject(new Error('sink did not start'))));
    child.once('exit', () => reject(new Error('sink exited')));
  });
  return sink;
}

module.exports = { startSink };
