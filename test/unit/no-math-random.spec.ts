import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { generateToken, hashToken, isWellFormedToken } from '@customer-access/common';

/**
 * Secrets (reset tokens, access tokens) come only from node:crypto. Math.random is predictable
 * (xorshift128+, state recoverable from a few outputs), so it must not appear anywhere in apps/ or
 * libs/ — not even in a spec, where a copy-paste would carry it into production code.
 */
const ROOT = join(__dirname, '..', '..');

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (name === 'node_modules' || name === 'dist') return [];
    if (statSync(path).isDirectory()) return sources(path);
    return /\.(ts|js|mjs|cjs)$/.test(name) ? [path] : [];
  });
}

describe('randomness', () => {
  const files = ['apps', 'libs'].flatMap((dir) => sources(join(ROOT, dir)));

  it('scans a real source tree', () => {
    expect(files.length).toBeGreaterThan(20);
    expect(files.map((f) => relative(ROOT, f))).toContain(join('libs', 'common', 'src', 'secure-token.ts'));
  });

  it('finds no Math.random (nor an aliased or bracketed form) in apps/ or libs/', () => {
    const pattern = /\bMath\s*(\.\s*random\b|\[\s*['"`]random['"`]\s*\])|\{\s*random\s*\}\s*=\s*Math\b|pseudoRandomBytes/;
    const offenders = files.filter((f) => pattern.test(readFileSync(f, 'utf8'))).map((f) => relative(ROOT, f));
    expect(offenders).toEqual([]);
  });

  it('the pattern does catch the forms it is meant to catch', () => {
    const pattern = /\bMath\s*(\.\s*random\b|\[\s*['"`]random['"`]\s*\])|\{\s*random\s*\}\s*=\s*Math\b|pseudoRandomBytes/;
    for (const bad of ['Math.random()', "Math['random']()", 'const { random } = Math;', 'Math . random()', 'crypto.pseudoRandomBytes(8)']) {
      expect({ bad, caught: pattern.test(bad) }).toEqual({ bad, caught: true });
    }
    expect(pattern.test('randomBytes(32)')).toBe(false);
  });

  it('generates tokens from node:crypto: 32 random bytes, base64url, never from Math.random', () => {
    const source = readFileSync(join(ROOT, 'libs/common/src/secure-token.ts'), 'utf8');
    expect(source).toMatch(/from 'node:crypto'/);
    expect(source).toMatch(/randomBytes\(32\)/);

    const original = Math.random;
    Math.random = () => {
      throw new Error('Math.random used for a token');
    };
    try {
      const tokens = new Set(Array.from({ length: 200 }, () => generateToken()));
      expect(tokens.size).toBe(200);
      for (const t of tokens) expect(isWellFormedToken(t)).toBe(true);
      expect(Buffer.from([...tokens][0], 'base64url')).toHaveLength(32);
    } finally {
      Math.random = original;
    }
    expect(hashToken('abc')).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
  });
});
