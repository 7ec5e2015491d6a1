import { randomInt } from 'node:crypto';
import { FirstLines, pgMicros, TimeOrderedIds } from './customer-import';

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

describe('TimeOrderedIds (imported customers’ ids)', () => {
  it('gives UUIDv7-shaped ids, each greater than the one before, across batches', () => {
    const ids = new TimeOrderedIds();
    const all = [...ids.next(5000), ...ids.next(1), ...ids.next(5000)];
    expect(new Set(all).size).toBe(all.length);
    for (const id of all) expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    for (let i = 1; i < all.length; i++) expect(all[i] > all[i - 1]).toBe(true);
    const ms = parseInt(all[0].replace(/-/g, '').slice(0, 12), 16);
    expect(Math.abs(ms - Date.now())).toBeLessThan(60_000);
  });
});

describe('pgMicros (created_at in COPY BINARY)', () => {
  it('reads toISOString’s form as Date.parse does, in microseconds since 2000', () => {
    const times = [0, 946684800000, 1706692500000, -1e12, 253402300799999, -59011459200000, Date.now()];
    for (let i = 0; i < 2000; i++) times.push(randomInt(0, 2.5e14) - 5e13);
    for (const ms of times) {
      const iso = new Date(ms).toISOString();
      expect([iso, pgMicros(iso)]).toEqual([iso, (ms - Date.UTC(2000, 0, 1)) * 1000]);
    }
  });
});
