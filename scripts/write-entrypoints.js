// After tsc: stable entry points dist/apps/<app>/main.js (tsc mirrors the source tree, which puts
// the compiled file at dist/apps/<app>/src/main.js). Docker, scripts and tests use these.
const { writeFileSync } = require('node:fs');
const { join } = require('node:path');
for (const app of ['api', 'worker', 'cli']) {
  writeFileSync(join(__dirname, '..', 'dist', 'apps', app, 'main.js'), "'use strict';\nrequire('./src/main');\n");
}
