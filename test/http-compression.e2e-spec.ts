import http from 'node:http';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { Stack, startStack } from './support/stack';
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { SIGN_IN_BUDGET_BYTES } = require('../scripts/console-assets') as { SIGN_IN_BUDGET_BYTES: number };

interface BytesResponse {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: Buffer;
}

/** The bytes on the wire, not decoded: what a client that asked for br or gzip receives. */
function getBytes(baseUrl: string, path: string, acceptEncoding?: string): Promise<BytesResponse> {
  return new Promise((resolve, reject) => {
    const headers = acceptEncoding === undefined ? {} : { 'accept-encoding': acceptEncoding };
    const req = http.get(new URL(path, baseUrl), { headers, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
      res.on('error', reject);
    });
    req.on('error', reject);
  });
}

/**
 * The admin console's assets over HTTP (issue 24 finding 18): compressed for clients that ask
 * (precompressed at build time, served by @fastify/static), and the sign-in screen loads only its
 * own code, within a size budget; the screens behind sign-in come as lazy chunks.
 */
describe('admin console assets: compression and code splitting (e2e)', () => {
  let stack: Stack;
  let signInAssets: string[];
  let entry: string;
  /** The sign-in screen's largest script (React's chunk). */
  let largest: string;

  beforeAll(async () => {
    stack = await startStack({ worker: false });
    const page = await getBytes(stack.baseUrl, '/admin/');
    expect(page.status).toBe(200);
    const html = page.body.toString('utf8');
    signInAssets = [...html.matchAll(/(?:src|href)="(\/admin\/assets\/[^"]+)"/g)].map((m) => m[1]);
    entry = /<script[^>]*src="(\/admin\/assets\/[^"]+\.js)"/.exec(html)![1];
    const scripts = signInAssets.filter((path) => path.endsWith('.js'));
    const sizes = await Promise.all(scripts.map(async (path) => (await getBytes(stack.baseUrl, path, 'identity')).body.length));
    largest = scripts[sizes.indexOf(Math.max(...sizes))];
  });

  afterAll(async () => {
    await stack?.stop();
  });

  it.each([
    ['br', 'br', brotliDecompressSync],
    ['gzip', 'gzip', gunzipSync],
    ['gzip, deflate, br', 'br', brotliDecompressSync],
  ])('Accept-Encoding: %s gets %s of the same bytes, cached for good and varying on Accept-Encoding', async (accept, expected, decode) => {
    const plain = await getBytes(stack.baseUrl, largest, 'identity');
    expect(plain.body.length).toBeGreaterThan(100_000);
    const compressed = await getBytes(stack.baseUrl, largest, accept);
    expect(compressed.status).toBe(200);
    expect(compressed.headers['content-encoding']).toBe(expected);
    expect(compressed.headers.vary).toMatch(/accept-encoding/i);
    expect(compressed.headers['content-type']).toMatch(/javascript/);
    expect(compressed.headers['cache-control']).toMatch(/immutable/);
    expect(compressed.body.length).toBeLessThan(plain.body.length / 3);
    expect(decode(compressed.body).equals(plain.body)).toBe(true);
  });

  it('a client that asks for no encoding gets the plain file', async () => {
    for (const accept of [undefined, 'identity']) {
      const plain = await getBytes(stack.baseUrl, entry, accept);
      expect(plain.status).toBe(200);
      expect(plain.headers['content-encoding']).toBeUndefined();
      expect(plain.body.toString('utf8')).toMatch(/import/);
    }
  });

  it(`the sign-in screen loads at most ${SIGN_IN_BUDGET_BYTES} bytes of JS and CSS (br), every file compressed`, async () => {
    expect(signInAssets.some((path) => path.endsWith('.css'))).toBe(true);
    let total = 0;
    for (const path of signInAssets) {
      const res = await getBytes(stack.baseUrl, path, 'br');
      expect(res.status).toBe(200);
      expect(res.headers['content-encoding']).toBe('br');
      total += res.body.length;
    }
    expect(total).toBeLessThanOrEqual(SIGN_IN_BUDGET_BYTES);
  });

  it('the screens behind sign-in are separate chunks, not loaded by the sign-in page', async () => {
    const code = (await getBytes(stack.baseUrl, entry, 'identity')).body.toString('utf8');
    const lazy = [...new Set([...code.matchAll(/import\([`"']\.\/([A-Za-z]+-[\w-]+\.js)[`"']\)/g)].map((m) => m[1]))];
    expect(lazy.map((name) => name.split('-')[0]).sort()).toEqual(
      expect.arrayContaining(['AuditLog', 'CustomerDetail', 'Customers', 'PasswordOptions']),
    );
    for (const name of lazy) {
      expect(signInAssets).not.toContain(`/admin/assets/${name}`);
      expect((await getBytes(stack.baseUrl, `/admin/assets/${name}`, 'gzip')).status).toBe(200);
    }
  });
});
