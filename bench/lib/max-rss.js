'use strict';
// Preloaded (node --require) into a process under measurement: prints its peak RSS when it exits.
process.on('exit', () => {
  require('node:fs').writeSync(2, `\nBENCH_MAX_RSS_KB=${process.resourceUsage().maxRSS}\n`);
});
