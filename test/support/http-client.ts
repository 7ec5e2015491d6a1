import http from 'node:http';

export interface ApiRequest {
  /** Default: POST when a body is given, otherwise GET. */
  method?: string;
  /** Sent as application/json. */
  json?: unknown;
  /** Sent as application/x-www-form-urlencoded. */
  form?: Record<string, string>;
  /** Sent exactly as given; set the content type yourself through `headers`. */
  body?: string | Buffer;
  headers?: Record<string, string>;
  /** Adds `Authorization: Bearer <token>`. */
  bearer?: string;
  /** Default 15 000 ms. */
  timeoutMs?: number;
}

export interface ApiResponse<T = any> {
  status: number;
  /** Header names are lower-case (node's http module). */
  headers: http.IncomingHttpHeaders;
  /** Parsed JSON when the answer is JSON, otherwise the text. */
  body: T;
  text: string;
}

/**
 * A small HTTP client on node:http, so that a request the server answers early (413 before the body
 * is read) still yields the server's answer instead of a socket error.
 */
export function request<T = any>(baseUrl: string, path: string, init: ApiRequest = {}): Promise<ApiResponse<T>> {
  const url = new URL(path, baseUrl);
  const headers: Record<string, string> = { accept: 'application/json', ...lowerKeys(init.headers ?? {}) };
  let payload: Buffer | undefined;
  if (init.json !== undefined) {
    payload = Buffer.from(JSON.stringify(init.json));
    headers['content-type'] ??= 'application/json';
  } else if (init.form !== undefined) {
    payload = Buffer.from(new URLSearchParams(init.form).toString());
    headers['content-type'] ??= 'application/x-www-form-urlencoded';
  } else if (init.body !== undefined) {
    payload = Buffer.isBuffer(init.body) ? init.body : Buffer.from(init.body);
  }
  if (payload) headers['content-length'] = String(payload.length);
  if (init.bearer) headers.authorization = `Bearer ${init.bearer}`;
  const method = init.method ?? (payload ? 'POST' : 'GET');
  const timeoutMs = init.timeoutMs ?? 15_000;

  return new Promise((resolve, reject) => {
    let settled = false;
    const req = http.request(url, { method, headers, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('error', fail);
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        let body: unknown = text;
        if (/json/i.test(String(res.headers['content-type'] ?? '')) && text.length > 0) {
          try {
            body = JSON.parse(text);
          } catch {
            body = text;
          }
        }
        settled = true;
        resolve({ status: res.statusCode ?? 0, headers: res.headers, body: body as T, text });
      });
    });
    function fail(err: Error): void {
      if (settled) return;
      settled = true;
      reject(new Error(`${method} ${url.pathname} failed: ${err.message}`));
    }
    req.setTimeout(timeoutMs, () => req.destroy(new Error(`no answer within ${timeoutMs} ms`)));
    req.on('error', (err: NodeJS.ErrnoException) => {
      // The server may answer (e.g. 413) and close before reading the whole body: the response
      // handler still resolves, so a write error after the response started is not a failure.
      if (err.code === 'EPIPE' || err.code === 'ECONNRESET') {
        setTimeout(() => fail(err), 2000).unref();
        return;
      }
      fail(err);
    });
    if (payload) req.write(payload);
    req.end();
  });
}

function lowerKeys(h: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(h).map(([k, v]) => [k.toLowerCase(), v]));
}
