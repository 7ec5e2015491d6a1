/**
 * The in-file duplicate check: the first line of each (website, email), keyed by a 64-bit hash of the
 * pair, in typed arrays (open addressing): 12 bytes a slot, at most half full, nothing for the garbage
 * collector. A million rows take 24–48 MiB where a Map of numbers took far more, and no per-row
 * crypto object. Two different addresses sharing all 64 bits (odds about 1 in 3·10^7 for a million
 * rows) would make the second a "duplicate" row error, never a lost or merged account.
 */
export class FirstLines {
  private hashes = new Uint32Array(2 * 1024);
  private lines = new Int32Array(1024);
  private size = 0;

  /** The line the same key was first seen on, or undefined (and the key is now remembered on `line`, which is ≥ 1). */
  firstLine(websiteCode: string, email: string, line: number): number | undefined {
    hash64(websiteCode, email);
    const h1 = HASH64[0];
    const h2 = HASH64[1];
    const mask = this.lines.length - 1;
    for (let slot = h1 & mask; ; slot = (slot + 1) & mask) {
      const seen = this.lines[slot];
      if (seen === 0) {
        this.hashes[2 * slot] = h1;
        this.hashes[2 * slot + 1] = h2;
        this.lines[slot] = line;
        if (++this.size * 2 > this.lines.length) this.grow();
        return undefined;
      }
      if (this.hashes[2 * slot] === h1 && this.hashes[2 * slot + 1] === h2) return seen;
    }
  }

  private grow(): void {
    const { hashes, lines } = this;
    this.hashes = new Uint32Array(hashes.length * 2);
    this.lines = new Int32Array(lines.length * 2);
    const mask = this.lines.length - 1;
    for (let old = 0; old < lines.length; old++) {
      if (lines[old] === 0) continue;
      let slot = hashes[2 * old] & mask;
      while (this.lines[slot] !== 0) slot = (slot + 1) & mask;
      this.hashes[2 * slot] = hashes[2 * old];
      this.hashes[2 * slot + 1] = hashes[2 * old + 1];
      this.lines[slot] = lines[old];
    }
  }
}

/** Two independent 32-bit multiplicative hashes (cyrb53's mixing) of `website \0 email`, unsigned, in HASH64. */
const HASH64 = new Uint32Array(2);
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
