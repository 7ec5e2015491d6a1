// `npm start`: apply migrations, then run the API and the worker together (development).
// Ctrl-C / SIGTERM stops both; if either exits, the other is stopped too. Once both tell (over IPC,
// announceReady in libs/observability) that they are ready, one banner says where to go.
const { spawn, spawnSync } = require('node:child_process');
const { join, relative } = require('node:path');

const root = join(__dirname, '..');
const node = process.execPath;

const migrate = spawnSync(node, [join(root, 'dist/apps/cli/main.js'), 'migrate'], { stdio: 'inherit', cwd: root });
if (migrate.status !== 0) process.exit(migrate.status ?? 1);

const children = ['api', 'worker'].map((app) =>
  spawn(node, [join(root, `dist/apps/${app}/main.js`)], { stdio: ['inherit', 'inherit', 'inherit', 'ipc'], cwd: root }),
);

const ready = new Map();
for (const child of children) {
  child.on('message', (message) => {
    if (message?.type !== 'customer-access:ready' || ready.has(message.app)) return;
    ready.set(message.app, message);
    if (ready.size === children.length) console.log(banner(ready.get('api')));
  });
}

function banner({ publicUrl, hostedPages, mailDir }) {
  const url = `${publicUrl}/`;
  const where = hostedPages ? 'storefront pages, /admin, /docs' : 'API only (HOSTED_PAGES=false), /docs';
  const mail = mailDir
    ? `emails in ${relative(root, mailDir).startsWith('..') ? mailDir : relative(root, mailDir)}/`
    : 'emails sent via SMTP_URL';
  const line = `customer-access is ready: ${url} (${where}; ${mail})`;
  const rule = '='.repeat(Math.min(line.length, 100));
  return `\n${rule}\n${line}\n${rule}\n`;
}
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
