import { createHash } from 'node:crypto';
import * as argon2 from 'argon2';
import { equalBytes, HashFamily, LegacyAlgorithm, malformed, passwordBytes, tooCostly, WORK_FACTOR_LIMITS } from './format';

/**
 * Magento 2's customer password hashes, as Magento 2.4's Encryptor (Magento\Framework\Encryption)
 * validates them: `hash:salt:version[:version…]`, where each version hashed the previous step's
 * output (the password first) in turn:
 * - 0: md5(salt + input), 1: sha256(salt + input), lowercase hex;
 * - 2: argon2id13 (libsodium's crypto_pwhash) with the interactive limits (2 passes, 64 MiB), 32 bytes;
 * - 3_LEN_OPS_MEM: argon2id13 with its parameters written out (output bytes, passes, memory in bytes).
 * The argon2 salt is the stored salt cut to 16 bytes, or repeated up to 16 when shorter.
 * Older forms: `hash:salt` (md5 or sha256 of salt + password, by length) and a bare md5 of the password.
 */

type Step = { kind: 'md5' } | { kind: 'sha256' } | { kind: 'argon2'; length: number; ops: number; memBytes: number };

export interface MagentoHash {
  hash: Buffer;
  salt: string;
  steps: Step[];
}

const SODIUM_SALT_BYTES = 16;
const INTERACTIVE = { length: 32, ops: 2, memBytes: 67_108_864 } as const;
const HEX = /^[0-9a-fA-F]+$/;
const AGNOSTIC = /^3_(\d{1,3})_(\d{1,3})_(\d{1,12})$/;

function parseStep(version: string): Step {
  if (version === '0') return { kind: 'md5' };
  if (version === '1') return { kind: 'sha256' };
  if (version === '2') return { kind: 'argon2', ...INTERACTIVE };
  const m = AGNOSTIC.exec(version);
  if (!m) throw malformed(`Magento hash version "${version.slice(0, 20)}" is not 0, 1, 2 or 3_length_ops_memory`);
  const [length, ops, memBytes] = [Number(m[1]), Number(m[2]), Number(m[3])];
  // libsodium's own bounds for crypto_pwhash (argon2id): at least 16 output bytes, 1 pass, 8 KiB.
  if (length < 16 || length > 64 || ops < 1 || memBytes < 8192) throw malformed('Magento argon2 parameters out of range');
  if (memBytes / 1024 > WORK_FACTOR_LIMITS.argon2MemoryKiB) throw tooCostly('argon2 memory above 256 MiB');
  if (ops > WORK_FACTOR_LIMITS.argon2TimeCost) throw tooCostly(`argon2 passes above ${WORK_FACTOR_LIMITS.argon2TimeCost}`);
  return { kind: 'argon2', length, ops, memBytes };
}

const outputHexLength = (step: Step): number => (step.kind === 'md5' ? 32 : step.kind === 'sha256' ? 64 : step.length * 2);

function algorithmOf(steps: Step[], versions: string[]): LegacyAlgorithm {
  if (steps.length > 1) return 'magento-chained';
  const version = versions[0];
  if (version === '0') return 'magento-v0-md5';
  if (version === '1') return 'magento-v1-sha256';
  return version === '2' ? 'magento-v2-argon2id13' : 'magento-v3-argon2id13';
}

function hexHash(hash: string, lengths: number[]): Buffer {
  if (!HEX.test(hash) || !lengths.includes(hash.length)) throw malformed('Magento hash is not hex of the length its version gives');
  return Buffer.from(hash.toLowerCase(), 'utf8');
}

export const magento: HashFamily<MagentoHash> = {
  parse(stored) {
    if (stored.startsWith('$')) return null;
    const parts = stored.split(':');
    if (parts.length === 1) {
      if (!HEX.test(stored)) return null;
      if (stored.length !== 32) throw malformed('a bare hex hash must be an md5 (32 hex digits)');
      return { algorithm: 'md5', parsed: { hash: hexHash(stored, [32]), salt: '', steps: [{ kind: 'md5' }] } };
    }
    const [hash, salt, ...versions] = parts;
    if (!HEX.test(hash)) return null;
    if (versions.length === 0) {
      // The older unversioned form: md5 or sha256 of salt + password, told apart by length.
      const kind = hash.length === 64 ? 'sha256' : 'md5';
      return {
        algorithm: kind === 'sha256' ? 'magento-unversioned-sha256' : 'magento-unversioned-md5',
        parsed: { hash: hexHash(hash, [32, 64]), salt, steps: [{ kind }] },
      };
    }
    if (versions.length > 8) throw malformed('too many chained Magento hash versions');
    const steps = versions.map(parseStep);
    if (salt === '' && steps.some((s) => s.kind === 'argon2')) throw malformed('a Magento argon2 hash needs a salt');
    return {
      algorithm: algorithmOf(steps, versions),
      parsed: { hash: hexHash(hash, [outputHexLength(steps[steps.length - 1])]), salt, steps },
    };
  },

  async verify(password, { hash, salt, steps }) {
    let recreated: Buffer = passwordBytes(password);
    const saltBytes = Buffer.from(salt, 'utf8');
    for (const step of steps) {
      if (step.kind === 'argon2') {
        const raw = await argon2.hash(recreated, {
          raw: true,
          type: argon2.argon2id,
          version: 0x13,
          salt: sodiumSalt(saltBytes),
          hashLength: step.length,
          timeCost: step.ops,
          memoryCost: Math.floor(step.memBytes / 1024),
          parallelism: 1,
        });
        recreated = Buffer.from(raw.toString('hex'), 'utf8');
      } else {
        recreated = Buffer.from(
          createHash(step.kind)
            .update(Buffer.concat([saltBytes, recreated]))
            .digest('hex'),
          'utf8',
        );
      }
    }
    return equalBytes(recreated, hash);
  },
};

/** PHP's str_pad($salt, 16, $salt) or substr($salt, 0, 16), on bytes, as Magento's getArgonHash. */
function sodiumSalt(salt: Buffer): Buffer {
  const out = Buffer.alloc(SODIUM_SALT_BYTES);
  for (let i = 0; i < SODIUM_SALT_BYTES; i++) out[i] = salt[i % salt.length];
  return out;
}
