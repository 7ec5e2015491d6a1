import { randomFillSync } from 'node:crypto';

/**
 * Time-ordered ids for imported customers (the UUIDv7 layout of RFC 9562: 48 bits of milliseconds,
 * version 7, a 12-bit counter, the variant, 62 random bits), increasing across the whole import: each
 * batch appends to the right edge of the primary key's btree instead of touching random pages all
 * over it. They carry the import's time, not the customer's; nothing reads an id's version.
 */
export class TimeOrderedIds {
  private lastMs = 0;
  private counter = 0;

  /** `count` ids as their bytes, 16 each, in order. */
  nextBytes(count: number): Buffer {
    const bytes = randomFillSync(Buffer.allocUnsafe(16 * count));
    for (let i = 0; i < count; i++) {
      const ms = Date.now();
      if (ms > this.lastMs) {
        this.lastMs = ms;
        this.counter = 0;
      } else if (++this.counter > 0xfff) {
        this.lastMs++; // 4,096 ids in one millisecond: borrow the next one
        this.counter = 0;
      }
      const at = 16 * i;
      bytes.writeUIntBE(this.lastMs, at, 6);
      bytes[at + 6] = 0x70 | (this.counter >>> 8);
      bytes[at + 7] = this.counter & 0xff;
      bytes[at + 8] = 0x80 | (bytes[at + 8] & 0x3f);
    }
    return bytes;
  }
}
