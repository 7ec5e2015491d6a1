import pino from 'pino';
import { once } from 'node:events';
import { readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import {
  accessLineWriter,
  AccessLogRequest,
  accessLogLine,
  createRootLogger,
  isoTimeOncePerMillisecond,
  jsonLinesDestination,
  pinoOptions,
  requestIdFrom,
  STDOUT_FLUSH_MS,
  STDOUT_MIN_WRITE,
} from './logging';
import { MAX_USER_AGENT, REDACTED, redactSecrets, scrubSecrets } from './redaction';

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

  it('scrubSecrets redacts a bare JWT in a URL path, a query or free text', () => {
    const seg = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
    const jwt = `${seg({ alg: 'HS256', typ: 'JWT' })}.${seg({ sub: 'c1', exp: 1796605776 })}.${'Xy-_9aB'.repeat(6)}`;
    const unsigned = `${seg({ alg: 'none' })}.${seg({ sub: 'c1' })}.`;
    expect(scrubSecrets(`GET /api/v1/verify/${jwt} 200`)).toBe(`GET /api/v1/verify/${REDACTED} 200`);
    expect(scrubSecrets(`GET /api/v1/verify/${jwt}/confirm`)).toBe(`GET /api/v1/verify/${REDACTED}/confirm`);
    expect(scrubSecrets(`/callback?state=1&jwt=${jwt}&next=/a`)).toBe(`/callback?state=1&jwt=${REDACTED}&next=/a`);
    expect(scrubSecrets(`/callback?id_token=${jwt}#x`)).toBe(`/callback?id_token=${REDACTED}#x`);
    expect(scrubSecrets(`Rejected token ${jwt}: expired`)).toBe(`Rejected token ${REDACTED}: expired`);
    expect(scrubSecrets(`unsigned "${unsigned}" refused`)).toBe(`unsigned "${REDACTED}" refused`);
    expect(scrubSecrets(`two: ${jwt},${jwt}`)).toBe(`two: ${REDACTED},${REDACTED}`);
    for (const text of [`/v/${jwt}`, `msg ${jwt}`, `a=${jwt}`, `${jwt}?x`])
      expect(scrubSecrets(text)).not.toContain(seg({ sub: 'c1', exp: 1796605776 }));
    // Ordinary text, with or without the letters eyJ, dots or base64: left as it is.
    for (const text of [
      'heyJude.mp3 played by eyJohn',
      'GET /api/v1/customers/eyJ 404',
      `config ${seg({ a: 1 })} loaded`,
      `${seg({ a: 1 })}.${seg({ b: 2 })}`,
      'version 1.2.3 of lib eyJx.y.z',
      'customer 738f1900.e7a1.4b2c sent',
      'Reset email sent to customer 738f1900',
    ])
      expect(scrubSecrets(text)).toBe(text);
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

  it('scrubSecrets answers as its four patterns in full would, with or without its fast path', () => {
    // The patterns' own replaces, unconditionally: what scrubSecrets does without its fast path.
    const full = (text: string) =>
      text
        .replace(/(\/customer\/account\/createPassword\?)[^\s"'<>]*/gi, `$1${REDACTED}`)
        .replace(/(\b(?:token|access_token|refresh_token|password|passwordConfirmation|code)=)[^&#\s"'<>]*/gi, `$1${REDACTED}`)
        .replace(/\b(Bearer|Basic)\s+[A-Za-z0-9._~+/-]+=*/gi, `$1 ${REDACTED}`)
        .replace(/eyJ[A-Za-z0-9_-]+\.eyJ[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*/g, REDACTED);
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
      'eyJhbGciOiJIUzI1NiJ9',
      '.',
      'eyJzdWIiOiJjMSJ9',
      '.sIg-_0',
      'eyJ',
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

const JWT = 'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiJjLTEiLCJleHAiOjE3OTY2MDU3NzZ9.dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk';

describe('access line writer', () => {
  const token = 'bdgeaotM7cxyNBIdHI3Mw_2rOk7Q4z0M_vbyfsRMId0';
  // Strings that JSON.stringify and pino escape (or leave) differently from plain text.
  const odd = [
    'quote"in',
    'back\\slash',
    'tab\there',
    'new\nline',
    '\u0001ctl',
    'del\u007f',
    'latin1 \u00e9\u00ff',
    'emoji \u{1F600}',
    'lone \ud800 surrogate',
    'x'.repeat(101),
    `${'y'.repeat(100)}"`,
    'z'.repeat(100),
    '',
  ];
  const base: AccessLogRequest = {
    id: 'b3c1d0a4-6a7e-4c1e-9a53-0d7f1c2b9e11',
    method: 'POST',
    url: '/api/v1/customers/password/forgot',
    ip: '127.0.0.1',
    headers: { 'user-agent': 'autocannon' },
  };
  type Case = { request: AccessLogRequest; status: number; duration: number; scope?: Record<string, unknown>; viaPino?: boolean };
  const cases: Case[] = [
    { request: base, status: 202, duration: 3.2 },
    { request: base, status: 202, duration: 3.5, scope: { requestId: base.id } },
    { request: base, status: 200, duration: 0, scope: { requestId: 'other', customerId: 'c-1', adminId: 'a-1' } },
    { request: base, status: 500, duration: 12.6, scope: { n: 1.5, flag: true, no: false, inf: Infinity, nan: NaN, skip: undefined } },
    { request: base, status: 503, duration: NaN },
    { request: base, status: 429, duration: -0.4 },
    { request: { ...base, ip: undefined, headers: {} }, status: 404, duration: 1 },
    { request: { ...base, headers: { 'user-agent': ['first', 'second'] } }, status: 202, duration: 1 },
    { request: { ...base, url: `/api/v1/x?token=${token}&page=2` }, status: 400, duration: 1 },
    { request: { ...base, url: `/customer/account/createPassword?id=1&token=${token}` }, status: 200, duration: 1 },
    // secret keys in the scope: redacted by key, in any letter case
    { request: base, status: 202, duration: 1, scope: { token, Authorization: 'Basic abc', password: 7, resetLink: true } },
    // the line's own keys and pino's reappear as pino writes them (twice)
    { request: base, status: 202, duration: 1, scope: { msg: 'm', level: 'l', time: 't', app: 'x', hostname: 'h' } },
    { request: base, status: 202, duration: 1, scope: { requestId: undefined } },
    { request: base, status: 202, duration: 1, scope: { requestId: 42 } },
    // what only pino's own path writes right
    { request: base, status: 202, duration: 1, scope: { req: 'r' }, viaPino: true },
    { request: base, status: 202, duration: 1, scope: { durationMs: 'r', res: 1 }, viaPino: true },
    { request: base, status: 202, duration: 1, scope: { b: 'b', 0: 'zero' }, viaPino: true },
    { request: base, status: 202, duration: 1, scope: { err: 'not an error' }, viaPino: true },
    { request: base, status: 202, duration: 1, scope: { context: 'InstanceLoader' }, viaPino: true },
    { request: base, status: 202, duration: 1, scope: { nested: { token } }, viaPino: true },
    { request: base, status: 202, duration: 1, scope: { nothing: null }, viaPino: true },
  ];
  // User-Agents scrubbed (a bearer token, a bare JWT) or cut (longer than MAX_USER_AGENT)
  for (const userAgent of [
    `Bearer ${JWT}`,
    `app/1 ${JWT}`,
    `curl/8 (token=${token})`,
    'u'.repeat(600),
    `${'\u00e9'.repeat(511)}\u{1F600}x`,
  ]) {
    cases.push({ request: { ...base, headers: { 'user-agent': userAgent } }, status: 202, duration: 1 });
  }
  for (const text of odd) {
    cases.push(
      { request: { ...base, id: text }, status: 202, duration: 1 },
      { request: { ...base, url: `/api/v1/${text}` }, status: 202, duration: 1 },
      { request: { ...base, method: text }, status: 202, duration: 1 },
      { request: { ...base, ip: text }, status: 202, duration: 1 },
      { request: { ...base, headers: { 'user-agent': text } }, status: 202, duration: 1 },
      { request: base, status: 202, duration: 1, scope: { customerId: text, [`key ${text}`]: text } },
    );
  }

  let now: jest.SpyInstance;
  beforeEach(() => (now = jest.spyOn(Date, 'now').mockReturnValue(1796605776414)));
  afterEach(() => now.mockRestore());

  it("writes, byte for byte, the line pino wrote for accessLogLine's fields, mostly without pino's path", () => {
    const { logger, text } = capture(pinoOptions({ logLevel: 'info' }, 'api'));
    const write = accessLineWriter(logger);
    const viaPino = [jest.spyOn(logger, 'info'), jest.spyOn(logger, 'error')];
    const pinoCalls = () => viaPino.reduce((sum, spy) => sum + spy.mock.calls.length, 0);
    let fast = 0;
    for (const { request, status, duration, scope, viaPino: expectViaPino } of cases) {
      const before = text().length;
      const line = accessLogLine(request, status, duration, scope)!;
      logger[line.level](line.fields, line.msg);
      const expected = text().slice(before);
      const calls = pinoCalls();
      write(request, status, duration, scope);
      expect(text().slice(before + expected.length)).toBe(expected);
      expect(pinoCalls() - calls).toBe(expectViaPino ? 1 : 0);
      if (!expectViaPino) fast++;
    }
    expect(fast).toBeGreaterThan(80);
    expect(text()).not.toContain(token);
    // Probes and scrapes are not logged; nothing below the level either.
    const before = text().length;
    write({ ...base, url: '/health/ready' }, 200, 1);
    write({ ...base, url: '/metrics?x=1' }, 200, 1);
    expect(text().length).toBe(before);
    const atWarn = capture(pinoOptions({ logLevel: 'warn' }, 'api'));
    accessLineWriter(atWarn.logger)(base, 202, 1);
    accessLineWriter(atWarn.logger)(base, 500, 1);
    expect(atWarn.lines().map((l) => [l.level, l.msg])).toEqual([['error', 'POST /api/v1/customers/password/forgot 500']]);
  });

  it("takes pino's own path for a logger not made from pinoOptions", () => {
    const lines: string[] = [];
    const logger = pino({ level: 'info' }, { write: (line: string) => lines.push(line) });
    accessLineWriter(logger)(base, 202, 1, { customerId: 'c-1' });
    expect(JSON.parse(lines[0])).toMatchObject({
      level: 30,
      requestId: base.id,
      customerId: 'c-1',
      msg: 'POST /api/v1/customers/password/forgot 202',
    });
  });

  for (const logFormat of ['json', 'pretty'] as const) {
    it(`writes the same as pino through the root logger's own destination (LOG_FORMAT=${logFormat}), in order`, async () => {
      const file = join(tmpdir(), `ca-access-line-${logFormat}-${process.pid}.log`);
      const logger = createRootLogger({ logLevel: 'info', logFormat }, 'api', file);
      const destination = (logger as unknown as Record<symbol, SonicBoomLike>)[pino.symbols.streamSym];
      try {
        if (logFormat === 'json') await once(destination as unknown as NodeJS.EventEmitter, 'ready');
        const write = accessLineWriter(logger);
        const info = jest.spyOn(logger, 'info');
        const scope = { requestId: base.id, customerId: 'c "1"' };
        const request = { ...base, url: `/api/v1/x?token=${token}`, headers: { 'user-agent': 'odd\n"agent"' } };
        const line = accessLogLine(request, 202, 3.2, scope)!;
        logger.info(line.fields, line.msg);
        write(request, 202, 3.2, scope);
        logger.info('after');
        // JSON lines: the writer's own string on pino's destination. Pretty-printing reads what pino
        // tells its stream beside the line (pino.metadata), so there the writer goes through pino.
        expect(info).toHaveBeenCalledTimes(logFormat === 'json' ? 2 : 3);
        if (logFormat === 'json') destination.flushSync();
        const written = readFileSync(file, 'utf8').split('\n');
        expect(written).toHaveLength(4);
        expect(written[1]).toBe(written[0]);
        expect(written[2]).toContain('after');
        expect(written[0]).not.toContain(token);
        if (logFormat === 'json') expect(JSON.parse(written[0])).toMatchObject({ customerId: 'c "1"', req: { userAgent: 'odd\n"agent"' } });
        else expect(written[0]).toContain('POST /api/v1/x?token=[Redacted] 202');
      } finally {
        if (logFormat === 'json') destination.end();
        rmSync(file, { force: true });
      }
    });
  }
});

type SonicBoomLike = { flushSync(): void; end(): void };

describe("the access line's User-Agent", () => {
  const token = 'bdgeaotM7cxyNBIdHI3Mw_2rOk7Q4z0M_vbyfsRMId0';
  const request = (userAgent: string): AccessLogRequest => ({
    id: 'r-1',
    method: 'GET',
    url: '/api/v1/x',
    ip: '127.0.0.1',
    headers: { 'user-agent': userAgent },
  });
  const paths: Array<[string, (userAgent: string) => string]> = [
    ['accessLogLine', (userAgent) => (accessLogLine(request(userAgent), 200, 1)!.fields.req as { userAgent: string }).userAgent],
    [
      'accessLineWriter',
      (userAgent) => {
        const { logger, lines } = capture(pinoOptions({ logLevel: 'info' }, 'api'));
        const info = jest.spyOn(logger, 'info');
        accessLineWriter(logger)(request(userAgent), 200, 1);
        expect(info).not.toHaveBeenCalled(); // its own fast path, not pino's
        return lines()[0].req.userAgent;
      },
    ],
  ];

  for (const [name, written] of paths) {
    it(`${name}: a bearer token, a JWT or a token parameter in it is not written`, () => {
      expect(written(`Bearer ${JWT}`)).toBe(`Bearer ${REDACTED}`);
      expect(written(`MyApp/2.1 (iOS 17) ${JWT}`)).toBe(`MyApp/2.1 (iOS 17) ${REDACTED}`);
      expect(written(`${JWT.split('.').slice(0, 2).join('.')}`)).toBe(REDACTED);
      expect(written(`curl/8 bearer ${token}`)).toBe(`curl/8 bearer ${REDACTED}`);
      expect(written(`bot/1 (+https://bot.test/?access_token=${token}&v=2)`)).toBe(
        `bot/1 (+https://bot.test/?access_token=${REDACTED}&v=2)`,
      );
      expect(written(`tool/1 Basic ${Buffer.from('admin:secret').toString('base64')}`)).toBe(`tool/1 Basic ${REDACTED}`);
      const long = `x/1 ${'y'.repeat(400)} Bearer ${JWT}`; // the cut falls inside the token
      expect(written(long)).not.toContain(JWT.slice(0, 40));
    });

    it(`${name}: a User-Agent longer than ${MAX_USER_AGENT} characters is cut`, () => {
      expect(written('a'.repeat(20_000))).toBe(`${'a'.repeat(MAX_USER_AGENT)}…`);
      expect(written('b'.repeat(MAX_USER_AGENT))).toBe('b'.repeat(MAX_USER_AGENT));
    });

    it(`${name}: a browser's or a tool's User-Agent is written as sent`, () => {
      for (const userAgent of [
        'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36',
        'Mozilla/5.0 (iPhone; CPU iPhone OS 17_6 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.6 Mobile/15E148 Safari/604.1',
        'Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0',
        'Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)',
        'okhttp/4.12.0',
        'curl/8.5.0',
      ]) {
        expect(written(userAgent)).toBe(userAgent);
        expect(written(userAgent)).toBe(userAgent); // the same again: the one remembered
      }
      // A remembered plain User-Agent lets nothing else through unscrubbed.
      expect(written(`okhttp/4.12.0 Bearer ${JWT}`)).toBe(`okhttp/4.12.0 Bearer ${REDACTED}`);
    });
  }
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

  it('hands the gathered lines over on flushSync (the exit path) and on end, in order', async () => {
    const destination = jsonLinesDestination(file);
    await once(destination as unknown as NodeJS.EventEmitter, 'ready');
    const logger = pino(pinoOptions({ logLevel: 'info' }, 'api'), destination);
    for (let i = 0; i < 5; i++) logger.info({ i }, 'few');
    expect(linesIn()).toEqual([]); // fewer than STDOUT_MIN_WRITE bytes: gathered
    destination.flushSync();
    expect(linesIn().map((line) => JSON.parse(line).i)).toEqual([0, 1, 2, 3, 4]);
    logger.info({ i: 5 }, 'last');
    const closed = once(destination as unknown as NodeJS.EventEmitter, 'close');
    destination.end();
    await closed;
    expect(linesIn().map((line) => JSON.parse(line).i)).toEqual([0, 1, 2, 3, 4, 5]);
  });

  it('writes every line byte for byte, in order: multi-byte text, lines longer than a write, lines across write boundaries', async () => {
    const destination = jsonLinesDestination(file);
    await once(destination as unknown as NodeJS.EventEmitter, 'ready');
    const logger = pino(pinoOptions({ logLevel: 'info' }, 'api'), destination);
    const texts: string[] = [];
    for (let i = 0; i < 400; i++) {
      const kind = i % 7;
      texts.push(
        kind === 0
          ? 'é€😀\u0000 "quoted" \\ '.repeat(1 + (i % 50))
          : kind === 3
            ? `${i}:${'😀'.repeat(12_000 + i)}` // ~48 KB of UTF-8: over STDOUT_MIN_WRITE bytes on its own
            : kind === 5
              ? 'x'.repeat(STDOUT_MIN_WRITE - 100 + i) // ends just before or past a hand-over to sonic-boom
              : `plain ${i}`,
      );
    }
    texts.forEach((text, i) => logger.info({ i, text }, 'bytes'));
    destination.flushSync();
    const written = linesIn().map((line) => JSON.parse(line) as { i: number; text: string });
    expect(written.map((line) => line.i)).toEqual(texts.map((_, i) => i));
    expect(written.map((line) => line.text)).toEqual(texts);
    destination.end();
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
