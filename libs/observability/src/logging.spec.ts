import pino from 'pino';
import { once } from 'node:events';
import { readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import {
  accessLogLine,
  isoTimeOncePerMillisecond,
  jsonLinesDestination,
  pinoOptions,
  requestIdFrom,
  STDOUT_FLUSH_MS,
  STDOUT_MIN_WRITE,
} from './logging';
import { REDACTED, redactSecrets, scrubSecrets } from './redaction';

function capture(options: pino.LoggerOptions): { logger: pino.Logger; lines: () => Record<string, any>[]; text: () => string } {
  const chunks: string[] = [];
  const stream = new Writable({
    write(chunk, _enc, done) {
      chunks.push(chunk.toString());
      done();
    },
  });
  const logger = pino(options, stream);
  return {
    logger,
    text: () => chunks.join(''),
    lines: () =>
      chunks
        .join('')
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l)),
  };
}

describe('log format and redaction', () => {
  const token = 'bdgeaotM7cxyNBIdHI3Mw_2rOk7Q4z0M_vbyfsRMId0';
  const password = 'Corr3ct-Horse-Battery';

  it('writes one JSON object per line with an ISO time, the level as a word and the app', () => {
    const { logger, lines } = capture(pinoOptions({ logLevel: 'info' }, 'worker'));
    logger.info({ jobId: '42' }, 'Worker ready');
    logger.debug('not at info');
    const [line, ...rest] = lines();
    expect(rest).toEqual([]);
    expect(line).toMatchObject({ level: 'info', app: 'worker', jobId: '42', msg: 'Worker ready' });
    expect(new Date(line.time).toISOString()).toBe(line.time);
  });

  it('redacts secret fields at any of the first levels', () => {
    const { logger, text } = capture(pinoOptions({ logLevel: 'info' }, 'api'));
    logger.info({
      password,
      passwordConfirmation: password,
      token,
      access_token: token,
      authorization: `Bearer ${token}`,
      cookie: `sid=${token}`,
      resetLink: `https://shop.test/customer/account/createPassword?token=${token}`,
      body: { password, token, nested: { passwordConfirmation: password, resetLink: token } },
      req: { headers: { authorization: `Bearer ${token}`, cookie: 'sid=1', 'user-agent': 'curl' } },
      email: 'jane@example.com',
    });
    const out = text();
    expect(out).not.toContain(token);
    expect(out).not.toContain(password);
    expect(out).toContain(REDACTED);
    expect(out).toContain('jane@example.com');
    expect(out).toContain('curl');
  });

  it('redacts by key in any letter case, deep in arrays too, without touching the logged object', () => {
    const original = { user: { Password: password, list: [{ TOKEN: token }], email: 'a@b.c' }, when: new Date(0) };
    const redacted = redactSecrets(original);
    expect(JSON.stringify(redacted)).not.toContain(token);
    expect(JSON.stringify(redacted)).not.toContain(password);
    expect(redacted.user.email).toBe('a@b.c');
    expect(redacted.when).toBe(original.when);
    expect(original.user.Password).toBe(password);
    const clean = { a: 1, b: { c: [2, 3] } };
    expect(redactSecrets(clean)).toBe(clean);
  });

  it('redacts secrets in child-logger bindings', () => {
    const { logger, text } = capture(pinoOptions({ logLevel: 'info' }, 'api'));
    logger.child({ token }).info('bound');
    expect(text()).not.toContain(token);
  });

  it('scrubs tokens, credentials and reset links out of messages', () => {
    const { logger, text } = capture(pinoOptions({ logLevel: 'info' }, 'api'));
    logger.info(`link https://shop.test/customer/account/createPassword?token=${token} sent`);
    logger.warn(`GET /x?access_token=${token}&page=2 with Authorization: Bearer ${token}`);
    logger.error({ err: new Error(`bad token=${token}`) }, 'failed');
    expect(text()).not.toContain(token);
    expect(text()).toContain('page=2');
  });

  it('scrubSecrets leaves ordinary text alone', () => {
    expect(scrubSecrets('Reset email sent to customer 738f1900')).toBe('Reset email sent to customer 738f1900');
    expect(scrubSecrets(`?token=${token}&x=1`)).toBe(`?token=${REDACTED}&x=1`);
    expect(scrubSecrets(`Bearer ${token}`)).toBe(`Bearer ${REDACTED}`);
  });

  it("stamps lines with pino's isoTime, formatted once per millisecond", () => {
    const now = jest.spyOn(Date, 'now');
    try {
      const time = isoTimeOncePerMillisecond();
      now.mockReturnValue(1796605776414);
      const first = time();
      expect(first).toBe(pino.stdTimeFunctions.isoTime());
      expect(first).toBe(',"time":"2026-12-07T01:09:36.414Z"');
      expect(time()).toBe(first);
      now.mockReturnValue(1796605776415);
      expect(time()).toBe(',"time":"2026-12-07T01:09:36.415Z"');
    } finally {
      now.mockRestore();
    }
  });

  it('scrubSecrets answers as the three patterns in full would, with or without its one-test fast path', () => {
    // The patterns' own replaces, unconditionally: what scrubSecrets did before its fast path.
    const full = (text: string) =>
      text
        .replace(/(\/customer\/account\/createPassword\?)[^\s"'<>]*/gi, `$1${REDACTED}`)
        .replace(/(\b(?:token|access_token|refresh_token|password|passwordConfirmation|code)=)[^&#\s"'<>]*/gi, `$1${REDACTED}`)
        .replace(/\b(Bearer|Basic)\s+[A-Za-z0-9._~+/-]+=*/gi, `$1 ${REDACTED}`);
    const parts = [
      'POST ',
      '/api/v1/customers/password/forgot',
      ' 202',
      '?',
      '=',
      'token',
      'Code',
      'BEARER ',
      'basic ',
      'bAsIc',
      token,
      '&',
      ' ',
      '/customer/account/createPassword',
    ];
    let seed = 7;
    const pick = () => parts[(seed = (seed * 1103515245 + 12345) % 2147483648) % parts.length];
    for (let i = 0; i < 3000; i++) {
      const text = Array.from({ length: 1 + (i % 7) }, pick).join('');
      expect(scrubSecrets(text)).toBe(full(text));
    }
  });

  it('writes the access line without headers, with a scrubbed URL, the scope fields and the status', () => {
    const line = accessLogLine(
      {
        id: 'req-1',
        method: 'GET',
        url: `/api/v1/x?token=${token}`,
        headers: { authorization: `Bearer ${token}`, cookie: 'sid=1', 'user-agent': 'curl/8' },
        ip: '203.0.113.7',
      },
      200,
      12.6,
      { customerId: 'c-1' },
    );
    expect(line).toEqual({
      level: 'info',
      msg: `GET /api/v1/x?token=${REDACTED} 200`,
      fields: {
        requestId: 'req-1',
        customerId: 'c-1',
        req: { method: 'GET', url: `/api/v1/x?token=${REDACTED}`, ip: '203.0.113.7', userAgent: 'curl/8' },
        res: { statusCode: 200 },
        durationMs: 13,
      },
    });
    expect(JSON.stringify(line)).not.toContain(token);
    expect(accessLogLine({ id: 'r', method: 'POST', url: '/x', headers: {} }, 503, 1)?.level).toBe('error');
  });

  it('does not log probes and scrapes on every hit', () => {
    const request = (url: string) => ({ id: 'r', method: 'GET', url, headers: {} });
    expect(accessLogLine(request('/health/ready'), 200, 1)).toBeUndefined();
    expect(accessLogLine(request('/metrics'), 200, 1)).toBeUndefined();
    expect(accessLogLine(request('/api/v1/customers/password/forgot'), 202, 1)).toBeDefined();
  });
});

describe('JSON lines destination', () => {
  const file = join(tmpdir(), `ca-logging-spec-${process.pid}.log`);
  const linesIn = () => readFileSync(file, 'utf8').split('\n').filter(Boolean);
  const within = async (ms: number, check: () => boolean) => {
    const deadline = Date.now() + ms;
    while (!check() && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 10));
    return check();
  };
  afterEach(() => rmSync(file, { force: true }));

  it('gathers lines into larger writes, yet a quiet process writes its line within the flush interval', async () => {
    const destination = jsonLinesDestination(file);
    await once(destination as unknown as NodeJS.EventEmitter, 'ready');
    const logger = pino(pinoOptions({ logLevel: 'info' }, 'api'), destination);
    try {
      logger.info('a lone line');
      expect(linesIn()).toEqual([]); // held back: fewer than STDOUT_MIN_WRITE bytes
      expect(await within(STDOUT_FLUSH_MS * 5, () => linesIn().length === 1)).toBe(true);
      // Past STDOUT_MIN_WRITE bytes the lines go out without waiting for the timer, in order.
      const n = Math.ceil((STDOUT_MIN_WRITE * 3) / 200);
      for (let i = 0; i < n; i++) logger.info({ i, pad: 'x'.repeat(100) }, 'many');
      expect(await within(STDOUT_FLUSH_MS * 5, () => linesIn().length === n + 1)).toBe(true);
      expect(
        linesIn()
          .map((line) => JSON.parse(line).i)
          .slice(1),
      ).toEqual(Array.from({ length: n }, (_, i) => i));
    } finally {
      destination.end();
    }
  });
});

describe('request ids', () => {
  it('honours a well-formed X-Request-Id and replaces anything else with a UUID', () => {
    expect(requestIdFrom('abc-123')).toBe('abc-123');
    expect(requestIdFrom(['trace:1.2', 'x'])).toBe('trace:1.2');
    for (const bad of [undefined, '', 'a b', 'x'.repeat(129), '{"json":1}', 'line\nbreak']) {
      expect(requestIdFrom(bad)).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    }
  });
});
