import { FirstLines } from './customer-import';

describe('FirstLines (the in-file duplicate check)', () => {
  it('answers the first line of a (website, email) seen before, and nothing for a new one', () => {
    const seen = new FirstLines();
    expect(seen.firstLine('base', 'ana@example.com', 2)).toBeUndefined();
    expect(seen.firstLine('eu', 'ana@example.com', 3)).toBeUndefined();
    expect(seen.firstLine('base', 'ana@example.com', 9)).toBe(2);
    expect(seen.firstLine('eu', 'ana@example.com', 10)).toBe(3);
    // The website and the email are kept apart: "ba" + "se…" is not "bas" + "e…".
    expect(seen.firstLine('bas', 'eana@example.com', 11)).toBeUndefined();
  });

  it('keeps every key while it grows far past its first size', () => {
    const seen = new FirstLines();
    const n = 50_000;
    for (let i = 0; i < n; i++) expect(seen.firstLine('base', `customer.${i}@example.com`, i + 2)).toBeUndefined();
    for (let i = 0; i < n; i += 997) expect(seen.firstLine('base', `customer.${i}@example.com`, n + 10)).toBe(i + 2);
    expect(seen.firstLine('base', `customer.${n}@example.com`, n + 11)).toBeUndefined();
  });
});
