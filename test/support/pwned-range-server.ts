import { createHash, randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer, IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join, resolve } from 'node:path';

const REPO_ROOT = resolve(__dirname, '..', '..');

/** Padding lines per answer when `Add-Padding: true` is sent (the real API pads to 800-1,000 lines). */
const PADDING_LINES = 50;

/** One request the server received: the path and the padding header, all a test may look at. */
export interface RangeRequest {
  path: string;
  addPadding: string | undefined;
  host: string | undefined;
}

export type RangeServerMode = 'normal' | 'slow' | 'error' | 'redirect';

function sha1Hex(text: string): string {
  return createHash('sha1').update(text, 'utf8').digest('hex').toUpperCase();
}

function passwordsOf(file: string): string[] {
  return readFileSync(file, 'utf8')
    .split('\n')
    .map((line) => line.trimEnd())
    .filter((line) => line && !line.startsWith('#'));
}

/**
 * The passwords the fake range API knows as breached: the project's list of the 10,000 most common
 * passwords (@zxcvbn-ts/language-common's, which the policy refuses anyway) and test/fixtures'
 * breached passwords that the policy lets through.
 */
export const BREACHED_FIXTURE_PASSWORDS = passwordsOf(join(REPO_ROOT, 'test/fixtures/breached-passwords.txt'));
const KNOWN_PASSWORDS = [...passwordsOf(join(REPO_ROOT, 'libs/customers/assets/common-passwords.txt')), ...BREACHED_FIXTURE_PASSWORDS];

/**
 * A Pwned Passwords range API on loopback, as `PWNED_PASSWORDS_URL` expects it (docs/configuration.md):
 * `GET /range/{5 hex}` answers `SUFFIX:COUNT` lines computed from the SHA-1s of real passwords, and
 * with `Add-Padding: true` adds lines of count 0. It records every request, can be slowed (no answer
 * for 5 s), broken (500) or made to redirect, and can carry a padding line for a chosen password
 * (count 0: not breached). The e2e harness starts one per stack so that no test reaches the internet.
 */
export class PwnedRangeServer {
  readonly requests: RangeRequest[] = [];
  mode: RangeServerMode = 'normal';
  /** Where `redirect` mode sends clients. */
  redirectTo = '';
  private readonly ranges = new Map<string, string[]>();
  private readonly paddedOnly = new Set<string>();

  private constructor(
    private readonly server: Server,
    readonly url: string,
  ) {}

  static async start(host = '127.0.0.1'): Promise<PwnedRangeServer> {
    const started: { instance?: PwnedRangeServer } = {};
    const server = createServer((req, res) => started.instance!.handle(req, res));
    await new Promise<void>((done) => server.listen(0, host, done));
    const { port } = server.address() as AddressInfo;
    const instance = new PwnedRangeServer(server, `http://${host}:${port}`);
    instance.load(KNOWN_PASSWORDS);
    started.instance = instance;
    return instance;
  }

  /** Adds the passwords to the breached list (each with a count of 1 or more). */
  load(passwords: readonly string[]): void {
    for (const password of passwords) {
      const hex = sha1Hex(password);
      const lines = this.ranges.get(hex.slice(0, 5)) ?? [];
      lines.push(`${hex.slice(5)}:${1 + (parseInt(hex.slice(5, 9), 16) % 5000)}`);
      this.ranges.set(hex.slice(0, 5), lines);
    }
  }

  /** Makes the password's suffix appear in padded answers with a count of 0 (so: not breached). */
  padWith(password: string): void {
    this.paddedOnly.add(sha1Hex(password));
  }

  /** The requests for the range of this password's SHA-1 prefix. */
  requestsFor(password: string): RangeRequest[] {
    const path = `/range/${sha1Hex(password).slice(0, 5)}`;
    return this.requests.filter((r) => r.path.toUpperCase() === path.toUpperCase());
  }

  async stop(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((done) => this.server.close(() => done()));
  }

  private handle(req: IncomingMessage, res: ServerResponse): void {
    const path = req.url ?? '';
    this.requests.push({ path, addPadding: req.headers['add-padding'] as string | undefined, host: req.headers.host });
    const match = /^\/range\/([0-9A-Fa-f]{5})$/.exec(path);
    if (!match) return void res.writeHead(404).end();
    if (this.mode === 'slow') return void setTimeout(() => res.writeHead(200).end(''), 5000).unref();
    if (this.mode === 'error') return void res.writeHead(500).end('down');
    if (this.mode === 'redirect') return void res.writeHead(302, { location: `${this.redirectTo}${path}` }).end();
    const prefix = match[1].toUpperCase();
    const lines = [...(this.ranges.get(prefix) ?? [])];
    if (req.headers['add-padding'] === 'true') {
      for (const hex of this.paddedOnly) if (hex.startsWith(prefix)) lines.push(`${hex.slice(5)}:0`);
      for (let i = 0; i < PADDING_LINES; i++) lines.push(`${randomBytes(18).toString('hex').slice(0, 35).toUpperCase()}:0`);
    }
    res.writeHead(200, { 'content-type': 'text/plain' }).end(lines.join('\r\n'));
  }
}
