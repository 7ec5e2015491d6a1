import { ApiRequest, ApiResponse, request } from './http-client';
import {
  entry,
  freePort,
  ManagedProcess,
  READY_TIMEOUT_MS,
  settlesWithin,
  Stack,
  startProcess,
  stopProcess,
  tail,
  waitUntil,
} from './stack';

/**
 * More API and worker processes on a stack's database and Redis ("two of everything"), or
 * replacements for the stack's own after a test killed them. Each one may get its own environment
 * on top of the stack's (e.g. TRUSTED_PROXIES, or REDIS_URL through a fault proxy).
 */
export interface ExtraApi {
  proc: ManagedProcess;
  baseUrl: string;
  api<T = any>(path: string, init?: ApiRequest): Promise<ApiResponse<T>>;
}

export class ProcessGroup {
  private readonly all: ManagedProcess[] = [];

  constructor(private readonly stack: Stack) {}

  /** Starts an API process and waits until GET /health/live answers 200. */
  async api(name: string, env: Record<string, string> = {}, readyTimeoutMs = READY_TIMEOUT_MS): Promise<ExtraApi> {
    const port = await freePort();
    const proc = startProcess(name, [entry('api')], { ...this.stack.env, ...env, PORT: String(port) });
    this.all.push(proc);
    const baseUrl = `http://127.0.0.1:${port}`;
    await waitUntil('GET /health/live answered 200', proc, readyTimeoutMs, async () => {
      try {
        return (await request(baseUrl, '/health/live', { timeoutMs: 1000 })).status === 200;
      } catch {
        return false;
      }
    });
    return { proc, baseUrl, api: (path, init) => request(baseUrl, path, init) };
  }

  /** Starts a worker process and waits until it logs "Worker ready". */
  async worker(name: string, env: Record<string, string> = {}, readyTimeoutMs = READY_TIMEOUT_MS): Promise<ManagedProcess> {
    const proc = startProcess(name, [entry('worker')], { ...this.stack.env, ...env });
    this.all.push(proc);
    await waitUntil('"Worker ready" was logged', proc, readyTimeoutMs, () => proc.output.join('').includes('Worker ready'));
    return proc;
  }

  /** Everything the group's processes printed. */
  allOutput(): string {
    return this.all.map((p) => p.output.join('')).join('');
  }

  processes(): ManagedProcess[] {
    return [...this.all];
  }

  async stopAll(): Promise<void> {
    await Promise.all(this.all.map((p) => stopProcess(p)));
  }
}

/** Sends `signal` and waits for the exit; resolves with the exit code (128 for a signal death). */
export async function signalAndWait(proc: ManagedProcess, signal: NodeJS.Signals, timeoutMs = 15_000): Promise<number | null> {
  proc.child.kill(signal);
  if (!(await settlesWithin(proc.exited, timeoutMs))) {
    proc.child.kill('SIGKILL');
    await proc.exited;
    throw new Error(`${proc.name} did not exit within ${timeoutMs} ms of ${signal}. Output:\n${tail(proc)}`);
  }
  return proc.exitCode;
}

export { stopProcess, tail };
