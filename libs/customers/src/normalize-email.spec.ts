import { normalizeEmail } from './normalize-email';

describe('normalizeEmail', () => {
  it('trims and lower-cases', () => {
    expect(normalizeEmail('  Jane.Doe@Example.COM ')).toBe('jane.doe@example.com');
  });

  it('folds full-width compatibility characters (NFKC)', () => {
    expect(normalizeEmail('ｍｉｋｅ@example.com')).toBe('mike@example.com');
  });

  it('keeps the Turkish dotless ı distinct from i (no locale-dependent folding)', () => {
    expect(normalizeEmail('mıke@example.com')).not.toBe('mike@example.com');
    expect(normalizeEmail('MIKE@example.com')).toBe('mike@example.com');
  });

  it('does not fold the Kelvin sign into a different address by accident of case mapping only', () => {
    // U+212A KELVIN SIGN is NFKC-equivalent to "K": one address, by design.
    expect(normalizeEmail('\u212Aate@example.com')).toBe('kate@example.com');
  });
});
