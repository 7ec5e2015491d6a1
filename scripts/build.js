// `npm run build`: compile (the apps with tsc, the admin console with Vite) into a fresh folder, then swap it in for dist/ with two renames, so a
// process or test run that is starting from dist/ meanwhile never sees a half-deleted tree.
const { execFileSync } = require('node:child_process');
const { existsSync, renameSync, rmSync, writeFileSync } = require('node:fs');
const { join } = require('node:path');
const { checkSignInBudget, precompress } = require('./console-assets');

const root = join(__dirname, '..');
const next = join(root, `.dist-build-${process.pid}`);
const old = join(root, `.dist-old-${process.pid}`);
const bin = (name) => join(root, 'node_modules', '.bin', name);

try {
  execFileSync(bin('tsc'), ['-p', 'tsconfig.build.json', '--outDir', next], { cwd: root, stdio: 'inherit' });
  execFileSync(bin('tsc-alias'), ['-p', 'tsconfig.build.json', '--outDir', next], { cwd: root, stdio: 'inherit' });
  // The admin console (React + Vite), served by the API at /admin from dist/admin-console. Vite
  // does not type-check, so its own tsconfig (DOM, JSX) is checked first.
  execFileSync(bin('tsc'), ['-p', 'apps/admin-console/tsconfig.json'], { cwd: root, stdio: 'inherit' });
  execFileSync(
    bin('vite'),
    [
      'build',
      '--config',
      join(root, 'apps/admin-console/vite.config.mts'),
      '--outDir',
      join(next, 'admin-console'),
      '--emptyOutDir',
      '--logLevel',
      'warn',
    ],
    { cwd: root, stdio: 'inherit' },
  );
  checkSignInBudget(join(next, 'admin-console'));
  precompress(join(next, 'admin-console', 'assets'));
  // Stable entry points dist/apps/<app>/main.js (tsc mirrors the source tree: apps/<app>/src/main.ts).
  for (const app of ['api', 'worker', 'cli']) {
    writeFileSync(join(next, 'apps', app, 'main.js'), "'use strict';\nrequire('./src/main');\n");
  }
  const dist = join(root, 'dist');
  if (existsSync(dist)) renameSync(dist, old);
  renameSync(next, dist);
} catch (error) {
  rmSync(next, { recursive: true, force: true });
  process.exitCode = 1;
  if (!error.status) console.error(error);
} finally {
  rmSync(old, { recursive: true, force: true });
}
