'use strict';
// Preloaded (node --require) into a process under measurement: prints its peak RSS and its CPU time
// (user + system, microseconds, all threads) when it exits. Node also preloads it into each worker
// thread, whose exit must not print the process's figures early: the main thread's alone count.
if (require('node:worker_threads').isMainThread) {
  process.on('exit', () => {
    const usage = process.resourceUsage();
    require('node:fs').writeSync(2, `\nBENCH_MAX_RSS_KB=${usage.maxRSS}\nBENCH_CPU_US=${usage.userCPUTime + usage.systemCPUTime}\n`);
  });
}
