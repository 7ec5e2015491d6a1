// eslint-disable-next-line @typescript-eslint/triple-slash-reference -- altcha-lib's typings, which node10 resolution cannot find (see the file)
/// <reference path="./altcha-lib.d.ts" />
import { Challenge, solveChallenge, verifySolution } from 'altcha-lib';
import { deriveKey } from 'altcha-lib/algorithms/sha';
import { DomainError, ErrorCode } from '@customer-access/common';
import { AppConfig } from '@customer-access/config';
import { RedisConnection } from '@customer-access/redis';
import { CustomerPasswordSettings, DEFAULT_SETTINGS, SettingsService } from '@customer-access/settings';
import { challengeKeys, checkSolution, clientTag, mintChallenge, ResetChallenge, SolutionVerdict } from './reset-challenge';

const SECRET = 'unit-test-server-secret-of-enough-length';
const keys = challengeKeys(SECRET);
const NETWORK = '203.0.113.9';
const MAX = 2000; // small, so altcha-lib's solver is quick here

async function solved(challenge: Challenge): Promise<string> {
  const solution = await solveChallenge({ challenge, deriveKey });
  if (!solution) throw new Error('no solution');
  return Buffer.from(
    JSON.stringify({ challenge: { parameters: challenge.parameters, signature: challenge.signature }, solution }),
  ).toString('base64');
}

const decode = (payload: string) => JSON.parse(Buffer.from(payload, 'base64').toString('utf8'));
const encode = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64');

/** What altcha-lib's own verifySolution says of a payload (the reference checkSolution must agree with). */
async function altchaVerified(payload: string, nowMs = Date.now()): Promise<boolean> {
  const { challenge, solution } = decode(payload);
  const spy = jest.spyOn(Date, 'now').mockReturnValue(nowMs);
  try {
    const result = await verifySolution({
      challenge,
      solution,
      deriveKey,
      hmacSignatureSecret: keys.signature,
      hmacKeySignatureSecret: keys.keySignature,
    });
    return result.verified;
  } finally {
    spy.mockRestore();
  }
}

describe('reset challenge: keys, minting and checking', () => {
  it('derives the keys from the server secret (HKDF, a label per use): never the secret itself, and stable', () => {
    expect(Object.values(keys).every((k) => /^[0-9a-f]{64}$/.test(k) && !k.includes(SECRET))).toBe(true);
    expect(new Set(Object.values(keys)).size).toBe(3);
    expect(challengeKeys(SECRET)).toEqual(keys);
    expect(challengeKeys(`${SECRET}x`).signature).not.toBe(keys.signature);
  });

  it('mints an altcha-lib v2 challenge: SHA-256, signed, expiring in 5 minutes, bound to the client by an HMAC tag, not its address', async () => {
    const now = Date.UTC(2026, 11, 6, 12, 0, 0);
    const challenge = await mintChallenge(keys, NETWORK, MAX, { nowMs: now });
    expect(challenge.parameters).toMatchObject({ algorithm: 'SHA-256', cost: 1, expiresAt: now / 1000 + 300 });
    expect(challenge.parameters.data).toEqual({ client: clientTag(keys, NETWORK) });
    expect(JSON.stringify(challenge)).not.toContain(NETWORK);
    expect(challenge.signature).toMatch(/^[0-9a-f]{64}$/);
    expect(challenge.parameters.keySignature).toMatch(/^[0-9a-f]{64}$/);
  });

  it("accepts what altcha-lib's solver finds, and agrees with altcha-lib's verifySolution on every kind of payload", async () => {
    const payload = await solved(await mintChallenge(keys, NETWORK, MAX));
    const original = decode(payload);
    const now = Date.now();
    const variants: Array<[string, string, SolutionVerdict, number?]> = [
      ['solved', payload, 'ok'],
      [
        'a parameter changed (cheaper counter)',
        encode({ ...original, challenge: { ...original.challenge, parameters: { ...original.challenge.parameters, cost: 2 } } }),
        'invalid-signature',
      ],
      [
        'another expiry',
        encode({
          ...original,
          challenge: {
            ...original.challenge,
            parameters: { ...original.challenge.parameters, expiresAt: original.challenge.parameters.expiresAt + 3600 },
          },
        }),
        'invalid-signature',
      ],
      ['a wrong derived key', encode({ ...original, solution: { ...original.solution, derivedKey: '00'.repeat(32) } }), 'invalid-solution'],
      ['checked after its 5 minutes', payload, 'expired', now + 301_000],
    ];
    for (const [what, candidate, verdict, at] of variants) {
      const ours = checkSolution(keys, candidate, NETWORK, at ?? now).verdict;
      expect({ what, ours, altchaLib: await altchaVerified(candidate, at ?? now) }).toEqual({
        what,
        ours: verdict,
        altchaLib: verdict === 'ok',
      });
    }
  });

  it('refuses a payload for another client network, and anything that is not a payload', async () => {
    const payload = await solved(await mintChallenge(keys, NETWORK, MAX));
    expect(checkSolution(keys, payload, '198.51.100.7').verdict).toBe('other-client');
    expect(checkSolution(challengeKeys('another-deployment-secret'), payload, NETWORK).verdict).toBe('invalid-signature');
    for (const junk of ['', 'not base64 at all', encode(null), encode({ challenge: {} }), encode([1, 2]), 'x'.repeat(5000)]) {
      expect({ junk: junk.slice(0, 20), verdict: checkSolution(keys, junk, NETWORK).verdict }).toEqual({
        junk: junk.slice(0, 20),
        verdict: 'malformed',
      });
    }
  });
});

describe('ResetChallenge (the admission of a forgot request)', () => {
  function setup(overrides: Partial<CustomerPasswordSettings>) {
    const counts = new Map<string, number>();
    const spent = new Set<string>();
    const redis = {
      defineCommand: () => undefined,
      resetChallengeCount: jest.fn(async (key: string) => {
        counts.set(key, (counts.get(key) ?? 0) + 1);
        return counts.get(key)!;
      }),
      get: async (key: string) => (counts.has(key) ? String(counts.get(key)) : null),
      set: jest.fn(async (key: string) => {
        if (spent.has(key)) return null;
        spent.add(key);
        return 'OK';
      }),
    };
    const settings = { current: () => ({ ...DEFAULT_SETTINGS, resetChallengeMaxNumber: MAX, ...overrides }) } as unknown as SettingsService;
    const service = new ResetChallenge(redis as unknown as RedisConnection, { jwtSecret: SECRET } as AppConfig, settings);
    return { service, redis };
  }
  const refusedFor = async (promise: Promise<unknown>): Promise<{ code?: string; reason?: string; challenge: boolean }> => {
    try {
      await promise;
    } catch (error) {
      const e = error as DomainError;
      return { code: e.code, reason: e.reason, challenge: !!(e.details?.challenge as Challenge | undefined)?.signature };
    }
    return { challenge: false };
  };

  it('off: admits everything and touches nothing', async () => {
    const { service, redis } = setup({ resetChallenge: 'off' });
    await expect(service.admit(NETWORK, undefined)).resolves.toBeUndefined();
    expect(await service.neededNext(NETWORK)).toBe(false);
    expect(redis.resetChallengeCount).not.toHaveBeenCalled();
  });

  it('always: a solution is needed and counts once; a refusal carries a fresh challenge', async () => {
    const { service } = setup({ resetChallenge: 'always' });
    expect(await service.neededNext(NETWORK)).toBe(true);
    expect(await refusedFor(service.admit(NETWORK, undefined))).toEqual({
      code: ErrorCode.ChallengeRequired,
      reason: 'missing',
      challenge: true,
    });
    const payload = await solved(await service.issue(NETWORK));
    await expect(service.admit(NETWORK, payload)).resolves.toBeUndefined();
    expect(await refusedFor(service.admit(NETWORK, payload))).toEqual({
      code: ErrorCode.ChallengeRequired,
      reason: 'replayed',
      challenge: true,
    });
    const other = await solved(await service.issue(NETWORK));
    expect(await refusedFor(service.admit('198.51.100.7', other))).toMatchObject({ reason: 'other-client' });
  });

  it('adaptive: the first `threshold` requests of a network in the hour pass, the next needs a challenge; IPv6 counts by /64', async () => {
    const { service } = setup({ resetChallenge: 'adaptive', resetChallengeThreshold: 3 });
    for (let i = 0; i < 3; i++) {
      expect(await service.neededNext('2001:db8:1:2::1')).toBe(false);
      await expect(service.admit(`2001:db8:1:2::${i + 1}`, undefined)).resolves.toBeUndefined();
    }
    expect(await service.neededNext('2001:db8:1:2::99')).toBe(true);
    expect(await refusedFor(service.admit('2001:db8:1:2::4', undefined))).toMatchObject({ code: ErrorCode.ChallengeRequired });
    await expect(service.admit('2001:db8:1:3::1', undefined)).resolves.toBeUndefined();
    const payload = await solved(await service.issue('2001:db8:1:2::77'));
    await expect(service.admit('2001:db8:1:2::5', payload)).resolves.toBeUndefined();
  });
});
