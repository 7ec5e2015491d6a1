import { TOTP } from 'otpauth';
import { hashRecoveryCode, newRecoveryCode, normalizeRecoveryCode } from './recovery-codes';
import { SecretBox } from './secret-box';
import { newTotpSecret, totpStep } from './totp';

describe('SecretBox (AES-256-GCM, key from MFA_ENCRYPTION_KEY)', () => {
  const key = 'k'.repeat(40);

  it('opens what it sealed, for the same owner only', () => {
    const box = new SecretBox(key);
    const sealed = box.seal('JBSWY3DPEHPK3PXP', 'admin-1');
    expect(sealed).not.toContain('JBSWY3DPEHPK3PXP');
    expect(box.open(sealed, 'admin-1')).toBe('JBSWY3DPEHPK3PXP');
    expect(() => box.open(sealed, 'admin-2')).toThrow();
    // A fresh IV each time.
    expect(box.seal('JBSWY3DPEHPK3PXP', 'admin-1')).not.toBe(sealed);
  });

  it('refuses a tampered box and another key', () => {
    const sealed = new SecretBox(key).seal('secret', 'a');
    const parts = sealed.split('.');
    const flipped = Buffer.from(parts[4], 'base64url');
    flipped[0] ^= 1;
    expect(() => new SecretBox(key).open([...parts.slice(0, 4), flipped.toString('base64url')].join('.'), 'a')).toThrow();
    expect(() => new SecretBox('z'.repeat(40)).open(sealed, 'a')).toThrow(/neither MFA_ENCRYPTION_KEY nor MFA_ENCRYPTION_KEY_PREVIOUS/);
  });

  it('keeps opening boxes of the previous key during a rotation, and seals with the new one', () => {
    const old = new SecretBox(key).seal('secret', 'a');
    const rotated = new SecretBox('n'.repeat(40), key);
    expect(rotated.open(old, 'a')).toBe('secret');
    const resealed = rotated.seal('secret', 'a');
    expect(SecretBox.keyIdOf(resealed)).toBe(rotated.currentKeyId);
    expect(SecretBox.keyIdOf(old)).not.toBe(rotated.currentKeyId);
  });
});

describe('TOTP (RFC 6238: SHA-1, 6 digits, 30 s, ±1 step)', () => {
  const secret = newTotpSecret();
  const at = (ms: number) => new TOTP({ secret, digits: 6, period: 30, algorithm: 'SHA1' }).generate({ timestamp: ms });
  const now = 1_800_000_015_000;
  const step = Math.floor(now / 30_000);

  it('a 160-bit base32 secret', () => expect(secret).toMatch(/^[A-Z2-7]{32}$/));

  it('names the step of a code within one step either way, and refuses two steps away', () => {
    expect(totpStep(secret, at(now), now)).toBe(step);
    expect(totpStep(secret, at(now - 30_000), now)).toBe(step - 1);
    expect(totpStep(secret, at(now + 30_000), now)).toBe(step + 1);
    expect(totpStep(secret, at(now - 60_000), now)).toBeNull();
    expect(totpStep(secret, at(now + 60_000), now)).toBeNull();
  });

  it('refuses what is not six digits', () => {
    for (const code of ['', '12345', '1234567', 'abcdef', ` ${at(now)}`]) expect(totpStep(secret, code, now)).toBeNull();
  });

  it('agrees with RFC 6238 test vector (SHA-1, T=59)', () => {
    // Secret "12345678901234567890" (ASCII) = base32 GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ; 8-digit 94287082 -> 6 digits 287082.
    expect(totpStep('GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ', '287082', 59_000)).toBe(1);
  });
});

describe('recovery codes', () => {
  it('are 10 distinct xxxx-xxxx-xxxx codes that read back whatever the case and dashes', () => {
    const codes = new Set(Array.from({ length: 200 }, newRecoveryCode));
    expect(codes.size).toBe(200);
    for (const code of codes) {
      expect(code).toMatch(/^[a-z2-9]{4}-[a-z2-9]{4}-[a-z2-9]{4}$/);
      expect(normalizeRecoveryCode(code.toUpperCase().replace(/-/g, ' '))).toBe(code);
    }
    expect(normalizeRecoveryCode('short')).toBeNull();
  });

  it('hash per admin: the same code of two admins does not match', () => {
    expect(hashRecoveryCode('a', 'abcd-efgh-jkmn')).not.toBe(hashRecoveryCode('b', 'abcd-efgh-jkmn'));
    expect(hashRecoveryCode('a', 'abcd-efgh-jkmn')).toMatch(/^[0-9a-f]{64}$/);
  });
});
