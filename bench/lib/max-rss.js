'use strict';
// Preloaded (node --require) into a process under measurement: prints its peak RSS and its CPU time
// (user + system, microseconds) when it exits.
process.on('exit', () => {
  const usage = process.resourceUsage();
  require('node:fs').writeSync(2, `\nBENCH_MAX_RSS_KB=${usage.maxRSS}\nBENCH_CPU_US=${usage.userCPUTime + usage.systemCPUTime}\n`);
});
