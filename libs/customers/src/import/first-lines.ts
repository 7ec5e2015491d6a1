/**
 * The in-file duplicate check: the first line of each (website, email), keyed by a 64-bit hash of the
 * pair, in typed arrays (open addressing): 12 bytes a slot, at most half full, nothing for the garbage
 * collector. A million rows take 24–48 MiB where a Map of numbers took far more, and no per-row
 * crypto object. Two different addresses sharing all 64 bits (odds about 1 in 3·10^7 for a million
 * rows) would make the second a "duplicate" row error, never a lost or merged account.
 */
export class FirstLines {
  /** Per slot its key's two hashes and its line (0: free), side by side: one cache line a probe. */
  private slots: Int32Array;
  private size = 0;

  /**
   * `expected`: about how many keys will come (from the file's size), so the table starts big enough
   * instead of growing and rehashing ten or more times; capped, so a wrong guess costs little memory.
   */
  constructor(expected = 0) {
    let capacity = 1024;
    while (capacity < 2 * Math.min(expected, MAX_EXPECTED)) capacity *= 2;
    this.slots = new Int32Array(3 * capacity);
  }

  /** The line the same key was first seen on, or undefined (and the key is now remembered on `line`, which is ≥ 1). */
  firstLine(websiteCode: string, email: string, line: number): number | undefined {
    hash64(websiteCode, email);
    const h1 = HASH64[0];
    const h2 = HASH64[1];
    const slots = this.slots;
    const mask = slots.length / 3 - 1;
    for (let slot = h1 & mask; ; slot = (slot + 1) & mask) {
      const at = 3 * slot;
      const seen = slots[at + 2];
      if (seen === 0) {
        slots[at] = h1;
        slots[at + 1] = h2;
        slots[at + 2] = line;
        if (++this.size * 2 > mask + 1) this.grow();
        return undefined;
      }
      if (slots[at] === h1 && slots[at + 1] === h2) return seen;
    }
  }

  private grow(): void {
    const old = this.slots;
    const slots = new Int32Array(2 * old.length);
    const mask = slots.length / 3 - 1;
    for (let from = 0; from < old.length; from += 3) {
      if (old[from + 2] === 0) continue;
      let slot = old[from] & mask;
      while (slots[3 * slot + 2] !== 0) slot = (slot + 1) & mask;
      slots[3 * slot] = old[from];
      slots[3 * slot + 1] = old[from + 1];
      slots[3 * slot + 2] = old[from + 2];
    }
    this.slots = slots;
  }
}

/** The most keys a table is sized for at its start (a million: 2^21 slots, 24 MiB); more grow it. */
const MAX_EXPECTED = 1 << 20;

/** Two independent 32-bit multiplicative hashes (cyrb53's mixing) of `website \0 email`, in HASH64. */
const HASH64 = new Int32Array(2);
function hash64(websiteCode: string, email: string): void {
  let h1 = 0xdeadbeef;
  let h2 = 0x41c6ce57;
  for (let i = 0; i <= websiteCode.length; i++) {
    const ch = i === websiteCode.length ? 0 : websiteCode.charCodeAt(i);
    h1 = Math.imul(h1 ^ ch, 2654435761);
    h2 = Math.imul(h2 ^ ch, 1597334677);
  }
  for (let i = 0; i < email.length; i++) {
    const ch = email.charCodeAt(i);
    h1 = Math.imul(h1 ^ ch, 2654435761);
    h2 = Math.imul(h2 ^ ch, 1597334677);
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507) ^ Math.imul(h2 ^ (h2 >>> 13), 3266489909);
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507) ^ Math.imul(h1 ^ (h1 >>> 13), 3266489909);
  HASH64[0] = h1;
  HASH64[1] = h2;
}
