import http from 'node:http';
import net from 'node:net';

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
  if (payload && payload.length > LARGE_BODY_BYTES) {
    return rawRequest<T>(url, method, headers, payload, timeoutMs);
  }

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

/** Bodies above this go over a raw socket (see rawRequest). */
const LARGE_BODY_BYTES = 64 * 1024;

/**
 * For large bodies: a server may answer 413 as soon as it sees Content-Length and close the
 * connection, and node's http client then reports EPIPE/ECONNRESET and may drop the answer it
 * already received. A raw socket keeps whatever the server sent: the body follows the headers only
 * after a short pause without an answer, writing stops at the first byte of the answer, and write
 * errors are ignored.
 */
function rawRequest<T>(
  url: URL,
  method: string,
  headers: Record<string, string>,
  payload: Buffer,
  timeoutMs: number,
): Promise<ApiResponse<T>> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(Number(url.port || 80), url.hostname);
    const received: Buffer[] = [];
    let answered = false;
    let done = false;
    const timer = setTimeout(() => finish(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);

    function finish(err?: Error): void {
      if (done) return;
      done = true;
      clearTimeout(timer);
      socket.destroy();
      const raw = Buffer.concat(received);
      if (raw.length === 0) {
        reject(new Error(`${method} ${url.pathname} failed: ${err?.message ?? 'connection closed without an answer'}`));
        return;
      }
      try {
        resolve(parseRawResponse<T>(raw));
      } catch (parseError) {
        reject(
          new Error(`${method} ${url.pathname}: unreadable answer (${(parseError as Error).message}): ${raw.toString('utf8', 0, 500)}`),
        );
      }
    }

    socket.on('data', (chunk: Buffer) => {
      answered = true;
      received.push(chunk);
    });
    socket.on('end', () => finish());
    socket.on('close', () => finish());
    socket.on('error', (err) => {
      // EPIPE/ECONNRESET after the answer started are expected; wait for 'close' to parse.
      if (!answered) setTimeout(() => finish(err), 500).unref();
    });
    socket.on('connect', async () => {
      const head =
        `${method} ${url.pathname}${url.search} HTTP/1.1\r\n` +
        `host: ${url.host}\r\nconnection: close\r\n` +
        Object.entries(headers)
          .map(([k, v]) => `${k}: ${v}\r\n`)
          .join('') +
        '\r\n';
      socket.write(head);
      // Like curl's Expect: 100-continue wait: a server that judges Content-Length alone answers
      // now, and sending the body after such an answer could make its kernel reset the
      // connection and destroy the answer before we read it.
      await new Promise<void>((r) => {
        const t = setTimeout(r, 200);
        socket.once('data', () => (clearTimeout(t), r()));
        socket.once('close', () => (clearTimeout(t), r()));
      });
      const CHUNK = 16 * 1024;
      for (let offset = 0; offset < payload.length && !answered && !socket.destroyed; offset += CHUNK) {
        const more = socket.write(payload.subarray(offset, offset + CHUNK));
        if (!more) await new Promise<void>((r) => (socket.once('drain', r), socket.once('close', r)));
      }
    });
  });
}

function parseRawResponse<T>(raw: Buffer): ApiResponse<T> {
  // Skip interim answers (100 Continue) before the final one.
  while (/^HTTP\/1\.[01] 1\d\d/.test(raw.toString('latin1', 0, 16))) {
    const end = raw.indexOf('\r\n\r\n');
    if (end < 0) break;
    raw = raw.subarray(end + 4);
  }
  const split = raw.indexOf('\r\n\r\n');
  if (split < 0) throw new Error('no end of headers');
  const lines = raw.toString('latin1', 0, split).split('\r\n');
  const statusMatch = /^HTTP\/1\.[01] (\d{3})/.exec(lines[0]);
  if (!statusMatch) throw new Error(`bad status line ${JSON.stringify(lines[0])}`);
  const headers: http.IncomingHttpHeaders = {};
  for (const line of lines.slice(1)) {
    const colon = line.indexOf(':');
    if (colon > 0) headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
  }
  let bodyBytes = raw.subarray(split + 4);
  if (/chunked/i.test(String(headers['transfer-encoding'] ?? ''))) {
    const parts: Buffer[] = [];
    let rest = bodyBytes;
    for (;;) {
      const eol = rest.indexOf('\r\n');
      if (eol < 0) break;
      const size = parseInt(rest.toString('latin1', 0, eol), 16);
      if (!size) break;
      parts.push(rest.subarray(eol + 2, eol + 2 + size));
      rest = rest.subarray(eol + 2 + size + 2);
    }
    bodyBytes = Buffer.concat(parts);
  } else if (headers['content-length'] !== undefined) {
    bodyBytes = bodyBytes.subarray(0, Number(headers['content-length']));
  }
  const text = bodyBytes.toString('utf8');
  let body: unknown = text;
  if (/json/i.test(String(headers['content-type'] ?? '')) && text.length > 0) {
    try {
      body = JSON.parse(text);
    } catch {
      body = text;
    }
  }
  return { status: Number(statusMatch[1]), headers, body: body as T, text };
}

function lowerKeys(h: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(h).map(([k, v]) => [k.toLowerCase(), v]));
}
