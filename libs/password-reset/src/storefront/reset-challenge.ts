// eslint-disable-next-line @typescript-eslint/triple-slash-reference -- altcha-lib's typings, which node10 resolution cannot find (see the file)
/// <reference path="./altcha-lib.d.ts" />
import { createHmac, hkdfSync, timingSafeEqual } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { Challenge, createChallenge, randomInt } from 'altcha-lib';
import { deriveKey } from 'altcha-lib/algorithms/sha';
import { challengeRequired, clientNetworkKey } from '@customer-access/common';
import { APP_CONFIG, AppConfig } from '@customer-access/config';
import { REDIS_CLIENT, RedisConnection, resetChallengeCountKey, resetChallengeSpentKey } from '@customer-access/redis';
import { CustomerPasswordSettings, SettingsService } from '@customer-access/settings';

export type { Challenge } from 'altcha-lib';

/** One SHA-256 per try: the cost is the number of tries (resetChallengeMaxNumber), not the hash. */
export const CHALLENGE_ALGORITHM = 'SHA-256';
/** A challenge is good for 5 minutes after it was issued. */
export const CHALLENGE_TTL_SECONDS = 300;
/** The widget's payload (base64 JSON) is well under 1 KB; anything longer is not one. */
export const MAX_CHALLENGE_PAYLOAD_LENGTH = 4096;
/** Spent solutions are remembered this much longer than their challenge lives, for clocks that differ between instances. */
const SPENT_MARGIN_MS = 60_000;
const HOUR_MS = 3_600_000;

/** The HMAC keys of the challenges, derived from a server secret every API instance shares. */
export interface ChallengeKeys {
  /** Signs the challenge's parameters (altcha-lib's `hmacSignatureSecret`). */
  signature: string;
  /** Signs the derived key of the secret counter (altcha-lib's `hmacKeySignatureSecret`): the fast check of a solution. */
  keySignature: string;
  /** Binds a challenge to its client's network without writing the address into it. */
  client: string;
}

/**
 * HKDF-SHA256 of JWT_SECRET with a label per use, so the JWT secret itself never signs a challenge
 * and a challenge key tells nothing about it (as the admin MFA key is derived, libs/admin).
 */
export function challengeKeys(serverSecret: string): ChallengeKeys {
  const derive = (label: string): string =>
    Buffer.from(hkdfSync('sha256', Buffer.from(serverSecret, 'utf8'), 'customer-access', label, 32)).toString('hex');
  return {
    signature: derive('reset-challenge:parameters:hmac-sha256:v1'),
    keySignature: derive('reset-challenge:derived-key:hmac-sha256:v1'),
    client: derive('reset-challenge:client:hmac-sha256:v1'),
  };
}

/** The client's tag in a challenge's signed `data`: an HMAC of its rate-limit network (IPv4 address or IPv6 /64). */
export function clientTag(keys: ChallengeKeys, network: string): string {
  return createHmac('sha256', keys.client).update(network).digest('base64url').slice(0, 22);
}

/**
 * A new challenge (altcha-lib v2, deterministic mode): the server draws the secret counter from
 * 1..maxNumber and signs the key it derives, so a solution is checked with one HMAC and never re-derived.
 */
export function mintChallenge(
  keys: ChallengeKeys,
  network: string,
  maxNumber: number,
  { nowMs = Date.now(), ttlSeconds = CHALLENGE_TTL_SECONDS }: { nowMs?: number; ttlSeconds?: number } = {},
): Promise<Challenge> {
  return createChallenge({
    algorithm: CHALLENGE_ALGORITHM,
    cost: 1,
    counter: randomInt(maxNumber),
    deriveKey,
    data: { client: clientTag(keys, network) },
    expiresAt: Math.floor(nowMs / 1000) + ttlSeconds,
    hmacSignatureSecret: keys.signature,
    hmacKeySignatureSecret: keys.keySignature,
  });
}

export type SolutionVerdict = 'ok' | 'malformed' | 'invalid-signature' | 'expired' | 'other-client' | 'invalid-solution';

export interface CheckedSolution {
  verdict: SolutionVerdict;
  /** The challenge's signature (hex), once it is known to be ours: what marks the solution spent. */
  signature?: string;
  /** When the challenge expires, in milliseconds since the epoch. */
  expiresAtMs?: number;
}

/**
 * Checks the widget's payload (base64 of `{challenge, solution}`) as altcha-lib's `verifySolution`
 * does in deterministic mode: the parameters' HMAC over their canonical JSON, the expiry, and the
 * HMAC of the submitted derived key against the signed `keySignature`; then the client binding.
 * Done here with node:crypto, synchronously: altcha-lib's own check goes through WebCrypto and
 * costs ~113 µs of CPU per solution against ~8 µs here (docs/performance.md), on a route that
 * answers in ~250 µs. reset-challenge.spec.ts checks both agree on every kind of payload.
 */
export function checkSolution(keys: ChallengeKeys, payload: string, network: string, nowMs = Date.now()): CheckedSolution {
  const decoded = decodePayload(payload);
  if (!decoded) return { verdict: 'malformed' };
  const { parameters, signature, solution } = decoded;
  if (!safeEqualHex(signature, hmacHex(keys.signature, canonicalJson(parameters)))) return { verdict: 'invalid-signature' };
  const expiresAtMs = Number(parameters.expiresAt) * 1000;
  if (!Number.isFinite(expiresAtMs) || expiresAtMs < nowMs) return { verdict: 'expired', signature };
  const data = parameters.data as Record<string, unknown> | undefined;
  if (data?.client !== clientTag(keys, network)) return { verdict: 'other-client', signature };
  const keySignature = typeof parameters.keySignature === 'string' ? parameters.keySignature : '';
  const derived = hmacHex(keys.keySignature, Buffer.from(solution.derivedKey, 'hex'));
  if (!safeEqualHex(keySignature, derived)) return { verdict: 'invalid-solution', signature };
  return { verdict: 'ok', signature, expiresAtMs };
}

interface DecodedPayload {
  parameters: Record<string, unknown>;
  signature: string;
  solution: { counter: number; derivedKey: string };
}

function decodePayload(payload: string): DecodedPayload | null {
  if (typeof payload !== 'string' || payload.length === 0 || payload.length > MAX_CHALLENGE_PAYLOAD_LENGTH) return null;
  let value: unknown;
  try {
    value = JSON.parse(Buffer.from(payload, 'base64').toString('utf8'));
  } catch {
    return null;
  }
  if (typeof value !== 'object' || value === null) return null;
  const challenge = (value as { challenge?: unknown }).challenge as { parameters?: unknown; signature?: unknown } | undefined;
  const solution = (value as { solution?: unknown }).solution as { counter?: unknown; derivedKey?: unknown } | undefined;
  if (!challenge || typeof challenge.parameters !== 'object' || challenge.parameters === null || Array.isArray(challenge.parameters))
    return null;
  if (typeof challenge.signature !== 'string' || !/^[0-9a-f]{64}$/.test(challenge.signature)) return null;
  if (!solution || !Number.isInteger(solution.counter) || (solution.counter as number) < 0 || (solution.counter as number) > 0xffffffff)
    return null;
  // Lower-case hex, whole bytes, as every solver writes it (altcha-lib refuses anything else too).
  if (typeof solution.derivedKey !== 'string' || !/^(?:[0-9a-f]{2}){1,64}$/.test(solution.derivedKey)) return null;
  return {
    parameters: challenge.parameters as Record<string, unknown>,
    signature: challenge.signature,
    solution: { counter: solution.counter as number, derivedKey: solution.derivedKey },
  };
}

function hmacHex(key: string, data: string | Buffer): string {
  return createHmac('sha256', key).update(data).digest('hex');
}

function safeEqualHex(a: string, b: string): boolean {
  return a.length === b.length && timingSafeEqual(Buffer.from(a), Buffer.from(b));
}

/** JSON with object keys sorted at every level and undefined members dropped: what altcha-lib signs. */
function canonicalJson(value: unknown): string {
  return JSON.stringify(sortKeys(value));
}

function sortKeys(value: unknown): unknown {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return value;
  return Object.fromEntries(
    Object.keys(value)
      .sort()
      .flatMap((key) => {
        const member = (value as Record<string, unknown>)[key];
        return member === undefined ? [] : [[key, sortKeys(member)]];
      }),
  );
}

/** INCR the client's hourly count of forgot requests, starting its hour on the first. */
const COUNT_SCRIPT = `
local n = redis.call('INCR', KEYS[1])
if n == 1 or redis.call('PTTL', KEYS[1]) < 0 then redis.call('PEXPIRE', KEYS[1], ARGV[1]) end
return n
`;

type ChallengeRedis = RedisConnection & { resetChallengeCount(key: string, windowMs: number): Promise<number> };

/**
 * The proof of work on "Forgot Your Password?" (docs/api.md, Abuse protection): `resetChallenge`
 * `always`, or `adaptive` once a client network sent more than `resetChallengeThreshold` forgot
 * requests within the hour (counted in Redis, so every API instance counts together), makes a
 * forgot request bring a solved ALTCHA challenge. A challenge is HMAC-signed, bound to the client
 * network it was issued to, lives 5 minutes, and its solution is accepted once (SET NX in Redis).
 */
@Injectable()
export class ResetChallenge {
  private readonly keys: ChallengeKeys;
  private readonly redis: ChallengeRedis;

  constructor(
    @Inject(REDIS_CLIENT) redis: RedisConnection,
    @Inject(APP_CONFIG) config: AppConfig,
    private readonly settings: SettingsService,
  ) {
    this.keys = challengeKeys(config.jwtSecret);
    redis.defineCommand('resetChallengeCount', { numberOfKeys: 1, lua: COUNT_SCRIPT });
    this.redis = redis as ChallengeRedis;
  }

  /** A fresh challenge for the client at `ip` (GET /customers/password/challenge, and every CHALLENGE_REQUIRED). */
  issue(ip: string): Promise<Challenge> {
    return mintChallenge(this.keys, clientNetworkKey(ip), this.settings.current().resetChallengeMaxNumber);
  }

  /**
   * Whether the client's next forgot request will need a solved challenge, without counting
   * anything: the hosted forgot page shows the widget then.
   */
  async neededNext(ip: string, settings: CustomerPasswordSettings = this.settings.current()): Promise<boolean> {
    if (settings.resetChallenge === 'off') return false;
    if (settings.resetChallenge === 'always') return true;
    const count = Number((await this.redis.get(resetChallengeCountKey(clientNetworkKey(ip)))) ?? 0);
    return count >= settings.resetChallengeThreshold;
  }

  /**
   * Admits one forgot request: counts it (under `adaptive`), and when a challenge is needed,
   * checks `payload` and spends its solution. Throws CHALLENGE_REQUIRED, with a fresh challenge,
   * when the payload is missing, malformed, tampered with, expired, for another client or used.
   * Nothing else is counted before this passes, so a refused request uses up no throttle budget.
   */
  async admit(ip: string, payload: string | undefined, settings: CustomerPasswordSettings = this.settings.current()): Promise<void> {
    if (settings.resetChallenge === 'off') return;
    const network = clientNetworkKey(ip);
    if (settings.resetChallenge === 'adaptive') {
      const count = await this.redis.resetChallengeCount(resetChallengeCountKey(network), HOUR_MS);
      if (count <= settings.resetChallengeThreshold) return;
    }
    if (!payload) throw await this.refusal(network, settings, 'missing');
    const checked = checkSolution(this.keys, payload, network);
    if (checked.verdict !== 'ok') throw await this.refusal(network, settings, checked.verdict);
    const ttlMs = Math.max(1000, checked.expiresAtMs! - Date.now() + SPENT_MARGIN_MS);
    const first = await this.redis.set(resetChallengeSpentKey(checked.signature!), '1', 'PX', ttlMs, 'NX');
    if (first !== 'OK') throw await this.refusal(network, settings, 'replayed');
  }

  private async refusal(network: string, settings: CustomerPasswordSettings, reason: string): Promise<Error> {
    return challengeRequired(await mintChallenge(this.keys, network, settings.resetChallengeMaxNumber), reason);
  }
}
