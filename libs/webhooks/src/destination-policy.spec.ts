import { createServer, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import { addressRange, DestinationPolicy } from './destination-policy';
import { retryDelayMs } from './webhook-deliveries';
import { WebhookSender } from './webhook-sender';

describe('webhook destinations (SSRF rules)', () => {
  const strict = new DestinationPolicy([], false);

  // [address as resolved or written, refused?]
  const table: Array<[string, boolean]> = [
    ['127.0.0.1', true],
    ['127.0.0.2', true],
    ['::1', true],
    ['[::1]', true],
    ['::ffff:127.0.0.1', true],
    ['::ffff:7f00:1', true],
    ['::ffff:169.254.169.254', true],
    ['::ffff:10.0.0.1', true],
    ['169.254.169.254', true],
    ['fe80::1', true],
    ['10.1.2.3', true],
    ['172.16.0.1', true],
    ['192.168.1.1', true],
    ['100.64.0.1', true],
    ['0.0.0.0', true],
    ['::', true],
    ['224.0.0.1', true],
    ['ff02::1', true],
    ['fd00::1', true],
    ['255.255.255.255', true],
    ['2002:7f00:1::', true],
    ['64:ff9b::7f00:1', true],
    ['93.184.215.14', false],
    ['8.8.8.8', false],
    ['2606:4700:4700::1111', false],
  ];

  it.each(table)('%s refused: %s', (address, refused) => {
    const problem = strict.addressProblem(address, address);
    expect({ address, range: addressRange(address), refused: problem !== null }).toEqual({
      address,
      range: addressRange(address),
      refused,
    });
  });

  it('names the resolved address and the host in the refusal', () => {
    expect(strict.addressProblem('localhost', '127.0.0.1')).toBe(
      '127.0.0.1 is a loopback address (localhost resolves to it); not allowed unless in WEBHOOK_ALLOWED_HOSTS',
    );
  });

  it('WEBHOOK_ALLOWED_HOSTS: a host matches the URL host as written, a CIDR the resolved address', () => {
    const policy = new DestinationPolicy(['127.0.0.1', 'hooks.internal', '10.1.0.0/16', '[::1]'], false);
    expect(policy.addressProblem('127.0.0.1', '127.0.0.1')).toBeNull();
    expect(policy.addressProblem('hooks.internal', '10.9.9.9')).toBeNull();
    expect(policy.addressProblem('other.internal', '10.1.2.3')).toBeNull();
    expect(policy.addressProblem('[::1]', '::1')).toBeNull();
    // localhost is not listed, though it resolves to a listed host's address.
    expect(policy.addressProblem('localhost', '127.0.0.1')).not.toBeNull();
    expect(policy.addressProblem('127.0.0.2', '127.0.0.2')).not.toBeNull();
    expect(policy.addressProblem('other.internal', '10.2.0.1')).not.toBeNull();
  });

  it('URLs: http(s) only, https only in production, no credentials', () => {
    expect(strict.urlProblem('http://example.com/h')).toBeNull();
    expect(strict.urlProblem('ftp://example.com/h')).toMatch(/http/);
    expect(strict.urlProblem('https://user:pw@example.com/h')).toMatch(/user name/);
    expect(new DestinationPolicy([], true).urlProblem('http://example.com/h')).toBe('url must use https: in production');
    expect(new DestinationPolicy([], true).urlProblem('https://example.com/h')).toBeNull();
  });

  it('backoff: exponential with jitter, capped at an hour', () => {
    expect(retryDelayMs(1, 1000, () => 0)).toBe(500);
    expect(retryDelayMs(1, 1000, () => 1)).toBe(1000);
    expect(retryDelayMs(4, 1000, () => 1)).toBe(8000);
    expect(retryDelayMs(40, 1000, () => 1)).toBe(3600_000);
  });
});

describe('WebhookSender against a receiver on the loopback', () => {
  let server: Server;
  let port: number;
  const seen: string[] = [];

  beforeAll(async () => {
    server = createServer((req, res) => {
      seen.push(`${req.method} ${req.url}`);
      req.resume();
      if (req.url === '/redirect') {
        res.writeHead(302, { location: `http://127.0.0.2:${port}/elsewhere` }).end();
      } else res.writeHead(204).end();
    });
    server.on('connection', () => seen.push('connection'));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as AddressInfo).port;
  });
  afterAll(() => new Promise((resolve) => server.close(resolve)));
  beforeEach(() => (seen.length = 0));

  it('without the allow-list, http://127.0.0.1, http://[::1] and a name resolving to 127.0.0.1 are refused, no connection made', async () => {
    const sender = new WebhookSender(new DestinationPolicy([], false), 2000);
    try {
      expect(await sender.send(`http://127.0.0.1:${port}/h`, '{}', {})).toEqual({
        kind: 'refused',
        reason: '127.0.0.1 is a loopback address; not allowed unless in WEBHOOK_ALLOWED_HOSTS',
      });
      expect((await sender.send(`http://[::1]:${port}/h`, '{}', {})).kind).toBe('refused');
      expect((await sender.send('http://169.254.169.254/latest/meta-data/', '{}', {})).kind).toBe('refused');
      const byName = await sender.send(`http://localhost:${port}/h`, '{}', {});
      expect(byName).toEqual({
        kind: 'refused',
        reason: expect.stringMatching(/^(127\.0\.0\.1|::1) is a loopback address \(localhost resolves to it\)/),
      });
      expect(seen).toEqual([]);
    } finally {
      await sender.close();
    }
  });

  it('connects to the checked address: a resolver answering a private address after a public one is refused', async () => {
    const sender = new WebhookSender(new DestinationPolicy([], false), 2000, async () => ['93.184.215.14', '127.0.0.1']);
    try {
      expect((await sender.send(`http://rebind.example:${port}/h`, '{}', {})).kind).toBe('refused');
      expect(seen).toEqual([]);
    } finally {
      await sender.close();
    }
  });

  it('allowed: delivered; a redirect to 127.0.0.2 is not followed', async () => {
    const sender = new WebhookSender(new DestinationPolicy(['127.0.0.1'], false), 2000);
    try {
      expect(await sender.send(`http://127.0.0.1:${port}/h`, '{}', {})).toEqual({ kind: 'response', status: 204 });
      expect(await sender.send(`http://127.0.0.1:${port}/redirect`, '{}', {})).toEqual({ kind: 'response', status: 302 });
      expect(seen.filter((s) => s !== 'connection')).toEqual(['POST /h', 'POST /redirect']);
    } finally {
      await sender.close();
    }
  });
});
