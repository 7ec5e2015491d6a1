// `npm start`: apply migrations, then run the API and the worker together (development).
// Ctrl-C / SIGTERM stops both; if either exits, the other is stopped too.
const { spawn, spawnSync } = require('node:child_process');
const { join } = require('node:path');

const root = join(__dirname, '..');
const node = process.execPath;

const migrate = spawnSync(node, [join(root, 'dist/apps/cli/main.js'), 'migrate'], { stdio: 'inherit', cwd: root });
if (migrate.status !== 0) process.exit(migrate.status ?? 1);

const children = ['api', 'worker'].map((app) => spawn(node, [join(root, `dist/apps/${app}/main.js`)], { stdio: 'inherit', cwd: root }));
let stopping = false;
const stopAll = (signal) => {
  if (stopping) return;
  stopping = true;
  for (const child of children) if (child.exitCode === null) child.kill(signal);
};
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => stopAll('SIGTERM'));
let exited = 0;
let worst = 0;
for (const child of children) {
  child.on('exit', (code) => {
    worst = Math.max(worst, code ?? 1);
    stopAll('SIGTERM');
    if (++exited === children.length) process.exit(stopping && worst === 0 ? 0 : worst);
  });
}
