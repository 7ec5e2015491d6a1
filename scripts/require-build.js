// Fails with a clear hint when the apps have not been compiled yet.
const { existsSync } = require('node:fs');
const { join } = require('node:path');
if (!existsSync(join(__dirname, '..', 'dist', 'apps', 'api', 'main.js'))) {
  console.error('dist/ is missing: run `npm run build` first (or `npm start`, which builds, migrates and starts everything).');
  process.exit(1);
}
