import net, { AddressInfo } from 'node:net';
import { request } from './http-client';

/**
 * Fault injection for e2e tests, without touching the shared PostgreSQL, Redis or anyone else's
 * stack: a small TCP proxy in front of a service, used only by the processes under test.
 *
 * - `down()` closes the listening socket and destroys every open connection (the service looks
 *   dead: connections are reset, new ones refused); `up()` listens again on the same port.
 * - `hold()` keeps accepting and connecting but stops forwarding what clients send (a hung
 *   service: requests are buffered, nothing is answered); `release()` forwards the backlog.
 * - `tapClient(pattern, onMatch)` holds the first client write containing `pattern` (before it
 *   reaches the service) and calls `onMatch`: a precise moment to crash a process.
 */
export class TcpProxy {
  private server?: net.Server;
  private readonly pairs = new Set<{ client: net.Socket; upstream: net.Socket; backlog: Buffer[] }>();
  private holding = false;
  private taps: Array<{ pattern: Buffer; onMatch: () => void }> = [];
  private _port = 0;
  /** Connections accepted since the proxy was created. */
  accepted = 0;

  private constructor(
    readonly targetHost: string,
    readonly targetPort: number,
  ) {}

  /** A proxy to host:port, listening on a free loopback port. */
  static async start(targetHost: string, targetPort: number): Promise<TcpProxy> {
    const proxy = new TcpProxy(targetHost, targetPort);
    await proxy.up();
    return proxy;
  }

  /** For a service URL such as postgres://user@127.0.0.1:5432/db or redis://127.0.0.1:6379/3. */
  static async forUrl(serviceUrl: string, defaultPort: number): Promise<TcpProxy> {
    const url = new URL(serviceUrl);
    return TcpProxy.start(url.hostname, url.port ? Number(url.port) : defaultPort);
  }

  get port(): number {
    return this._port;
  }

  get isUp(): boolean {
    return this.server?.listening ?? false;
  }

  /** `serviceUrl` with its host and port replaced by the proxy's. */
  rewrite(serviceUrl: string): string {
    const url = new URL(serviceUrl);
    url.hostname = '127.0.0.1';
    url.port = String(this._port);
    return url.toString();
  }

  /** Listens (again) on the proxy's port. */
  async up(): Promise<void> {
    if (this.server?.listening) return;
    const server = net.createServer((client) => this.accept(client));
    server.on('error', () => undefined);
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this._port, '127.0.0.1', () => {
        server.off('error', reject);
        resolve();
      });
    });
    this._port = (server.address() as AddressInfo).port;
    this.server = server;
  }

  /** Stops listening and resets every open connection. */
  async down(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    for (const pair of this.pairs) {
      pair.client.destroy();
      pair.upstream.destroy();
    }
    this.pairs.clear();
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  /** From now on, buffer what clients send instead of forwarding it. */
  hold(): void {
    this.holding = true;
  }

  /** Forward everything buffered by `hold()` and stop holding. */
  release(): void {
    this.holding = false;
    for (const pair of this.pairs) {
      for (const chunk of pair.backlog.splice(0)) if (!pair.upstream.destroyed) pair.upstream.write(chunk);
    }
  }

  /** Holds the first client write that contains `pattern` (and everything after it), then calls `onMatch`. */
  tapClient(pattern: string | Buffer, onMatch: () => void): void {
    this.taps.push({ pattern: Buffer.isBuffer(pattern) ? pattern : Buffer.from(pattern), onMatch });
  }

  async close(): Promise<void> {
    this.taps = [];
    this.holding = false;
    await this.down();
  }

  private accept(client: net.Socket): void {
    this.accepted++;
    const upstream = net.connect(this.targetPort, this.targetHost);
    const pair = { client, upstream, backlog: [] as Buffer[] };
    this.pairs.add(pair);
    let previousTail = Buffer.alloc(0);
    const closeBoth = (): void => {
      client.destroy();
      upstream.destroy();
      this.pairs.delete(pair);
    };
    client.on('data', (chunk: Buffer) => {
      // Look across the previous chunk's tail too, so a pattern split between writes is still seen.
      const window = Buffer.concat([previousTail, chunk]);
      previousTail = window.subarray(Math.max(0, window.length - 256));
      const tap = this.taps.find((t) => window.includes(t.pattern));
      if (tap) {
        this.taps = this.taps.filter((t) => t !== tap);
        this.holding = true;
        pair.backlog.push(chunk);
        tap.onMatch();
        return;
      }
      if (this.holding || pair.backlog.length > 0) pair.backlog.push(chunk);
      else upstream.write(chunk);
    });
    upstream.on('data', (chunk: Buffer) => {
      if (!client.destroyed) client.write(chunk);
    });
    client.on('error', closeBoth);
    upstream.on('error', closeBoth);
    client.on('close', closeBoth);
    upstream.on('close', closeBoth);
  }
}

/** Polls `probe` until it returns true; resolves with the milliseconds it took, or throws. */
export async function eventually(
  what: string,
  probe: () => Promise<boolean> | boolean,
  timeoutMs = 20_000,
  everyMs = 200,
): Promise<number> {
  const started = Date.now();
  let lastError: unknown;
  while (Date.now() - started < timeoutMs) {
    try {
      if (await probe()) return Date.now() - started;
    } catch (error) {
      lastError = error;
    }
    await new Promise((r) => setTimeout(r, everyMs));
  }
  throw new Error(`${what}: not within ${timeoutMs} ms${lastError ? ` (last error: ${(lastError as Error).message})` : ''}`);
}

/** Times one request against `baseUrl`, resolving with the answer and how long it took. */
export async function timed<T = any>(
  baseUrl: string,
  path: string,
  init: Parameters<typeof request>[2] = {},
): Promise<{ status: number; body: T; headers: Record<string, unknown>; ms: number; text: string }> {
  const started = process.hrtime.bigint();
  const res = await request<T>(baseUrl, path, init);
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  return { ...res, headers: res.headers as Record<string, unknown>, ms };
}
