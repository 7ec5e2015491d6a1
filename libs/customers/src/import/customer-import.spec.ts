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

  it.each([0, 50_000, 10_000_000])('keeps every key while it grows far past its first size (sized for %i keys)', (expected) => {
    const seen = new FirstLines(expected);
    const n = 50_000;
    for (let i = 0; i < n; i++) expect(seen.firstLine('base', `customer.${i}@example.com`, i + 2)).toBeUndefined();
    for (let i = 0; i < n; i += 997) expect(seen.firstLine('base', `customer.${i}@example.com`, n + 10)).toBe(i + 2);
    expect(seen.firstLine('base', `customer.${n}@example.com`, n + 11)).toBeUndefined();
  });
});

describe('TimeOrderedIds (imported customers’ ids)', () => {
  /** nextBytes' ids, 16 bytes each. */
  const split = (bytes: Buffer): Buffer[] => Array.from({ length: bytes.length / 16 }, (_, i) => bytes.subarray(16 * i, 16 * i + 16));
  const ms = (id: Buffer): number => id.readUIntBE(0, 6);

  it('gives UUIDv7 ids (version 7, RFC 9562 variant), unique, each greater than the one before, across batches', () => {
    const ids = new TimeOrderedIds();
    const before = Date.now();
    const batches = [ids.nextBytes(5000), ids.nextBytes(1), ids.nextBytes(5000)];
    expect(batches.map((b) => b.length)).toEqual([16 * 5000, 16, 16 * 5000]);
    const all = batches.flatMap(split);
    expect(new Set(all.map((id) => id.toString('hex'))).size).toBe(all.length);
    expect(all.filter((id) => id[6] >> 4 !== 7)).toEqual([]); // version 7
    expect(all.filter((id) => id[8] >> 6 !== 0b10)).toEqual([]); // variant 10
    expect(all.findIndex((id, i) => i > 0 && Buffer.compare(id, all[i - 1]) !== 1)).toBe(-1);
    // The import's time, in milliseconds (a millisecond's 4,096 ids may borrow the next ones).
    expect(ms(all[0])).toBeGreaterThanOrEqual(before);
    expect(ms(all[all.length - 1])).toBeLessThan(Date.now() + 60_000);
  });

  it('counts within a millisecond and borrows the next one after 4,096 ids', () => {
    const now = jest.spyOn(Date, 'now').mockReturnValue(1796605776414);
    try {
      const all = split(new TimeOrderedIds().nextBytes(4096 + 5));
      expect(all.slice(0, 4096).every((id) => ms(id) === 1796605776414)).toBe(true);
      expect(all.slice(4096).every((id) => ms(id) === 1796605776415)).toBe(true);
      expect(all.slice(0, 3).map((id) => id.readUInt16BE(6) & 0xfff)).toEqual([0, 1, 2]);
      expect(all[4095].readUInt16BE(6) & 0xfff).toBe(0xfff);
      expect(all[4096].readUInt16BE(6) & 0xfff).toBe(0);
      expect(all.findIndex((id, i) => i > 0 && Buffer.compare(id, all[i - 1]) !== 1)).toBe(-1);
    } finally {
      now.mockRestore();
    }
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
