import { createServer, IncomingMessage, Server, ServerResponse } from 'node:http';
import { AddressInfo } from 'node:net';
import { metricsScrapeAllowed } from './metrics-auth';
import { MetricsRegistry } from './metrics';

/**
 * A tiny HTTP server for a process that has no other: GET /metrics only. Used by the worker
 * (WORKER_METRICS_PORT).
 */
export class MetricsServer {
  private server?: Server;

  constructor(
    private readonly metrics: MetricsRegistry,
    private readonly token: string | undefined,
  ) {}

  /** Resolves with the bound port; rejects when it cannot listen (port in use, ...). */
  listen(port: number, host = '0.0.0.0'): Promise<number> {
    const server = createServer((req, res) => void this.handle(req, res));
    server.keepAliveTimeout = 5_000;
    server.headersTimeout = 10_000;
    server.requestTimeout = 10_000;
    return new Promise((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, host, () => {
        server.removeListener('error', reject);
        this.server = server;
        resolve((server.address() as AddressInfo).port);
      });
    });
  }

  async close(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    if (!server) return;
    server.closeAllConnections?.();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const path = (req.url ?? '/').split('?')[0];
    if (path !== '/metrics' || (req.method !== 'GET' && req.method !== 'HEAD')) {
      res
        .writeHead(404, { 'content-type': 'application/json' })
        .end(JSON.stringify({ statusCode: 404, code: 'NOT_FOUND', message: 'Only GET /metrics is served here.' }));
      return;
    }
    if (!metricsScrapeAllowed(this.token, req.headers.authorization)) {
      res
        .writeHead(401, { 'content-type': 'application/json', 'www-authenticate': 'Bearer realm="metrics"' })
        .end(JSON.stringify({ statusCode: 401, code: 'UNAUTHORIZED', message: 'A valid metrics token is required.' }));
      return;
    }
    try {
      const body = await this.metrics.metrics();
      res
        .writeHead(200, { 'content-type': this.metrics.contentType, 'cache-control': 'no-store' })
        .end(req.method === 'HEAD' ? undefined : body);
    } catch (error) {
      res.writeHead(500, { 'content-type': 'text/plain' }).end(`metrics collection failed: ${(error as Error).message}`);
    }
  }
}
