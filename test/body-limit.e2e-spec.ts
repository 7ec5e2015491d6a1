import { ChildProcess, execFile, spawn } from 'node:child_process';
import { request as httpRequest } from 'node:http';
import { connect } from 'node:net';
import { promisify } from 'node:util';
import { NO_RESET_THROTTLING } from './support/helpers';
import { apiLogsFlushed, Stack, startStack } from './support/stack';

const run = promisify(execFile);

/**
 * A clean 413 (docs/api.md "Errors"): a client that sends a body over the 16 KiB limit reads the
 * 413 answer, whatever it does with the rest of its body. Without the lingering close the server
 * closed the socket with the client's bytes unread, the kernel answered them with a reset, and a
 * Node.js client posting 2 MB got EPIPE/ECONNRESET and no answer in about half of the runs.
 */
describe('a body over the limit gets its 413 before the connection closes (e2e)', () => {
  const FORGOT = '/api/v1/customers/password/forgot';
  const TWO_MB = Buffer.from(JSON.stringify({ email: 'big@example.com', padding: 'x'.repeat(2 * 1024 * 1024) }));
  const TOO_LARGE = { statusCode: 413, code: 'PAYLOAD_TOO_LARGE', message: 'The request body is too large.' };
  const ROUNDS = 20;

  let stack: Stack;

  beforeAll(async () => {
    stack = await startStack({ settings: NO_RESET_THROTTLING });
  });

  afterAll(async () => {
    await stack?.stop();
  });

  /** One Node.js http.request posting the body (Content-Length known): its answer, or the error it got. */
  function nodePost(body: Buffer): Promise<{ status?: number; body?: unknown; error?: string }> {
    return new Promise((resolve) => {
      const url = new URL(FORGOT, stack.baseUrl);
      const req = httpRequest(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'content-length': body.length },
      });
      let settled = false;
      const done = (value: { status?: number; body?: unknown; error?: string }) => {
        if (!settled) resolve(value);
        settled = true;
      };
      req.on('response', (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => done({ status: res.statusCode, body: JSON.parse(Buffer.concat(chunks).toString('utf8') || 'null') }));
        res.on('error', (error) => done({ error: error.message }));
      });
      req.on('error', (error: NodeJS.ErrnoException) => done({ error: error.code ?? error.message }));
      // As a streaming upload sends it: the headers first, then the body in 64 KiB pieces as the socket drains.
      req.flushHeaders();
      let offset = 0;
      const writeMore = (): void => {
        while (offset < body.length) {
          const piece = body.subarray(offset, offset + 64 * 1024);
          offset += piece.length;
          if (!req.write(piece)) return void req.once('drain', writeMore);
        }
        req.end();
      };
      setImmediate(writeMore);
    });
  }

  async function curlPost(body: Buffer): Promise<{ status: number; body: unknown }> {
    const { stdout } = await run('bash', [
      '-c',
      `head -c ${body.length} /dev/zero | tr '\\0' x | curl -sS -X POST -H 'content-type: application/json' ` +
        `--data-binary @- -w '\\n%{http_code}' '${stack.baseUrl}${FORGOT}'`,
    ]);
    const lines = stdout.trimEnd().split('\n');
    const status = Number(lines.pop());
    return { status, body: JSON.parse(lines.join('\n')) };
  }

  async function expectHealthy(): Promise<void> {
    expect((await stack.api('/health/live')).status).toBe(200);
    const ok = await stack.api(FORGOT, { json: { email: 'small@example.com' } });
    expect(ok.status).toBe(202);
  }

  it(`a Node.js client posting 2 MB gets the 413 JSON answer, ${ROUNDS} times in a row`, async () => {
    const answers = [];
    for (let i = 0; i < ROUNDS; i++) answers.push(await nodePost(TWO_MB));
    expect(answers).toEqual(Array.from({ length: ROUNDS }, () => ({ status: 413, body: TOO_LARGE })));
    await expectHealthy();
  });

  it(`curl posting 2 MB gets the 413 JSON answer, ${ROUNDS} times in a row`, async () => {
    const answers = [];
    for (let i = 0; i < ROUNDS; i++) answers.push(await curlPost(TWO_MB));
    expect(answers).toEqual(Array.from({ length: ROUNDS }, () => ({ status: 413, body: TOO_LARGE })));
    await expectHealthy();
  });

  it('a client that never stops sending gets its 413, and is cut off after the discard bound (16 MiB)', async () => {
    const { port } = new URL(stack.baseUrl);
    const piece = Buffer.alloc(256 * 1024, 'x');
    // A raw socket that keeps sending after the server's FIN (a Node.js http client would stop there).
    const outcome = await new Promise<{ answer: string; sent: number; closed: boolean }>((resolve) => {
      let answer = '';
      let sent = 0;
      const socket = connect({ host: '127.0.0.1', port: Number(port), allowHalfOpen: true });
      const timer = setTimeout(() => finish(false), 30_000);
      const finish = (closed: boolean) => {
        clearTimeout(timer);
        socket.destroy();
        resolve({ answer, sent, closed });
      };
      socket.on('data', (chunk: Buffer) => (answer += chunk.toString('latin1')));
      socket.on('error', () => finish(true));
      socket.on('close', () => finish(true));
      const pump = (): void => {
        while (!socket.destroyed) {
          sent += piece.length;
          if (!socket.write(piece)) return void socket.once('drain', pump);
        }
      };
      socket.write(`POST ${FORGOT} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: ${1024 ** 4}\r\n\r\n`);
      setImmediate(pump);
    });
    expect(outcome.answer).toMatch(/^HTTP\/1\.1 413 /);
    expect(outcome.answer).toContain('"code":"PAYLOAD_TOO_LARGE"');
    expect(outcome.closed).toBe(true);
    // 16 MiB discarded, plus what the two sockets' buffers held.
    expect(outcome.sent).toBeGreaterThan(16 * 1024 * 1024);
    expect(outcome.sent).toBeLessThan(48 * 1024 * 1024);
    await expectHealthy();
  });

  it('while the machine is busy, and several clients at once, every one still gets its 413', async () => {
    // Two processes spinning on the CPU (the failure showed under load), then 4 clients at a time.
    const burners: ChildProcess[] = [0, 1].map(() => spawn(process.execPath, ['-e', 'for(;;){}'], { stdio: 'ignore' }));
    try {
      const answers = [];
      for (let i = 0; i < ROUNDS / 4; i++) answers.push(...(await Promise.all([0, 1, 2, 3].map(() => nodePost(TWO_MB)))));
      expect(answers).toEqual(Array.from({ length: ROUNDS }, () => ({ status: 413, body: TOO_LARGE })));
    } finally {
      for (const burner of burners) burner.kill('SIGKILL');
    }
    await expectHealthy();
    await apiLogsFlushed(stack);
    expect(stack.logs.api.join('\n')).not.toMatch(/"level":"(error|fatal)"/);
  });
});
