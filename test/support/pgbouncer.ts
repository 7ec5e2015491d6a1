import { ChildProcess, spawn } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { freePort, settlesWithin } from './stack';

/**
 * Debian's PgBouncer in transaction mode on a free 127.0.0.1 port, in front of the test
 * PostgreSQL, for the `pgbouncer` jest project (see stack.ts). Any database name is forwarded
 * (`* =`), so each test file's own database works. Stopped by `stop()`.
 */
export interface PgBouncer {
  /** postgres://user@127.0.0.1:port (append /database). */
  url: string;
  output: string[];
  stop(): Promise<void>;
}

const running = new Set<ChildProcess>();
process.once('exit', () => {
  for (const child of running) child.kill('SIGKILL');
});

export async function startPgBouncer(postgresBaseUrl: string): Promise<PgBouncer> {
  const server = new URL(postgresBaseUrl);
  const user = decodeURIComponent(server.username || 'postgres');
  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), 'ca-pgbouncer-'));
  // PgBouncer refuses to run as root: it then switches to the postgres user (-u), who must read this.
  chmodSync(dir, 0o755);
  writeFileSync(join(dir, 'userlist.txt'), `"${user}" ""\n`);
  writeFileSync(
    join(dir, 'pgbouncer.ini'),
    [
      '[databases]',
      `* = host=${server.hostname} port=${server.port || 5432}`,
      '[pgbouncer]',
      'listen_addr = 127.0.0.1',
      `listen_port = ${port}`,
      'unix_socket_dir =',
      'auth_type = trust',
      `auth_file = ${join(dir, 'userlist.txt')}`,
      'pool_mode = transaction',
      'max_client_conn = 500',
      'default_pool_size = 20',
      // node-postgres sends statement_timeout as a startup parameter; in transaction mode it
      // could not stick to a server connection anyway (the database default does, see stack.ts).
      'ignore_startup_parameters = extra_float_digits,statement_timeout',
      'server_reset_query =',
      'log_connections = 0',
      'log_disconnections = 0',
      '',
    ].join('\n'),
  );
  const args = [join(dir, 'pgbouncer.ini')];
  if (userInfo().uid === 0) args.unshift('-u', 'postgres');
  const child = spawn('pgbouncer', args, { stdio: ['ignore', 'pipe', 'pipe'] });
  running.add(child);
  const output: string[] = [];
  child.stdout!.on('data', (c: Buffer) => output.push(c.toString('utf8')));
  child.stderr!.on('data', (c: Buffer) => output.push(c.toString('utf8')));
  let exitCode: number | null = null;
  const exited = new Promise<void>((done) => {
    child.once('exit', (code) => {
      exitCode = code ?? 128;
      running.delete(child);
      done();
    });
    child.once('error', (error) => {
      output.push(`[spawn error] ${error.message}`);
      exitCode = -1;
      running.delete(child);
      done();
    });
  });
  const stop = async () => {
    if (exitCode === null) {
      child.kill('SIGTERM');
      if (!(await settlesWithin(exited, 5000))) {
        child.kill('SIGKILL');
        await exited;
      }
    }
    rmSync(dir, { recursive: true, force: true });
  };

  const deadline = Date.now() + 10_000;
  for (;;) {
    if (exitCode !== null) {
      await stop();
      throw new Error(`pgbouncer exited with ${exitCode}:\n${output.join('')}`);
    }
    if (await accepts(port)) break;
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`pgbouncer did not listen on 127.0.0.1:${port} within 10 s:\n${output.join('')}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return { url: `postgres://${encodeURIComponent(user)}@127.0.0.1:${port}`, output, stop };
}

function accepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ host: '127.0.0.1', port });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}
