import { createHash } from 'node:crypto';
import { generateToken, hashToken, isWellFormedToken } from './secure-token';

describe('secure tokens', () => {
  it('are 32 random bytes in base64url (43 characters)', () => {
    const token = generateToken();
    expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(Buffer.from(token, 'base64url')).toHaveLength(32);
  });

  it('do not repeat', () => {
    const tokens = new Set(Array.from({ length: 1000 }, generateToken));
    expect(tokens.size).toBe(1000);
  });

  it('are stored as their SHA-256 hex digest, never as themselves', () => {
    const token = generateToken();
    const hash = hashToken(token);
    expect(hash).toBe(createHash('sha256').update(token).digest('hex'));
    expect(hash).toMatch(/^[0-9a-f]{64}$/);
    expect(hash).not.toContain(token);
  });

  it('recognize only the shape generateToken produces', () => {
    expect(isWellFormedToken(generateToken())).toBe(true);
    expect(isWellFormedToken('short')).toBe(false);
    expect(isWellFormedToken(generateToken() + 'x')).toBe(false);
    expect(isWellFormedToken('a'.repeat(42) + '=')).toBe(false);
  });
});
