import type { ImportRow } from './import-rows';

/** The COPY BINARY header: signature, flags (none), header extension length (0). */
const COPY_BINARY_HEADER = Buffer.from('PGCOPY\n\xff\r\n\0\0\0\0\0\0\0\0\0', 'latin1');
const PG_EPOCH_MS = Date.UTC(2000, 0, 1);
const TWO_32 = 2 ** 32;
/** Per row around its texts: the field count (2), the id (4 + 16), the two times (2 × 12). */
const ROW_FRAME = 2 + 4 + 16 + 2 * 12;
/** The columns COPYed (COPY_COLUMNS): the id, seven texts, two times. */
const COLUMNS = 10;

const digits = (text: string, from: number, to: number): number => {
  let value = 0;
  for (let i = from; i < to; i++) value = 10 * value + text.charCodeAt(i) - 48;
  return value;
};

/**
 * A created_at (as import-rows writes it: toISOString's `YYYY-MM-DDTHH:MM:SS.mmmZ`) in microseconds
 * since 2000-01-01 UTC, read from its digits; any other shape (a year before 100 or after 9999)
 * through Date.parse.
 */
export function pgMicros(iso: string): number {
  const year = digits(iso, 0, 4);
  const ms =
    iso.length === 24 && year >= 100
      ? Date.UTC(
          year,
          digits(iso, 5, 7) - 1,
          digits(iso, 8, 10),
          digits(iso, 11, 13),
          digits(iso, 14, 16),
          digits(iso, 17, 19),
          digits(iso, 20, 23),
        )
      : Date.parse(iso);
  return msToPgMicros(ms);
}

/** Milliseconds since 1970 as microseconds since 2000-01-01 UTC (timestamptz in COPY's binary format). */
export const msToPgMicros = (ms: number): number => (ms - PG_EPOCH_MS) * 1000;

/**
 * One batch of checked rows on their way to one COPY: each row's seven texts (COPY_COLUMNS' email to
 * password_hash) already in COPY BINARY's form (a 4-byte length, then the UTF-8 bytes) one after the
 * other in one buffer, and beside them what the batch's statements need: the addresses and websites
 * (the existence check, the global scope's locks, the address order) and each row's created_at in
 * microseconds (NaN: the batch's transaction time, known only when it is written). The ids and the
 * times are added when the batch is written ({@link copyData}). A row is written here as it is read:
 * from the file's bytes on the fast path (magento-bytes.ts), from an ImportRow otherwise.
 */
export class ImportBatch {
  readonly emails: string[] = [];
  readonly websiteCodes: string[] = [];
  /** Where each row's texts start in `buf`; a row ends where the next starts (the last at `at`). */
  starts: Int32Array;
  micros: Float64Array;
  buf: Buffer;
  at = 0;

  /** `rows`: the rows expected (the batch size), so that nothing grows while it fills. */
  constructor(expected = 1024) {
    const rows = Math.max(16, Math.min(expected, 16_384));
    this.buf = Buffer.allocUnsafe(rows * 192);
    this.starts = new Int32Array(rows);
    this.micros = new Float64Array(rows);
  }

  get length(): number {
    return this.emails.length;
  }

  /** Starts a row; its seven texts follow, in COPY_COLUMNS order, by {@link text} and {@link bytes}. */
  begin(email: string, websiteCode: string, micros: number): void {
    const n = this.emails.length;
    if (n === this.starts.length) {
      // More rows than expected: twice the room.
      const starts = new Int32Array(2 * n);
      starts.set(this.starts);
      this.starts = starts;
      const times = new Float64Array(2 * n);
      times.set(this.micros);
      this.micros = times;
    }
    this.emails.push(email);
    this.websiteCodes.push(websiteCode);
    this.micros[n] = micros;
    this.starts[n] = this.at;
  }

  /** The texts of a row given whole (the general path), once {@link begin} has started it. */
  texts(row: ImportRow): void {
    this.text(row.email);
    this.text(row.websiteCode);
    this.text(row.storeViewCode);
    this.text(row.firstName);
    this.text(row.lastName);
    this.text(row.locale);
    this.text(row.passwordHash);
  }

  /** A text, as UTF-8 (short ASCII ones a character at a time, without Buffer.write's call). */
  text(value: string): void {
    const length = value.length;
    this.reserve(4 + 3 * length);
    const buf = this.buf;
    let at = this.at + 4;
    let ascii = length <= 64;
    if (ascii) {
      for (let i = 0; i < length; i++) {
        const c = value.charCodeAt(i);
        if (c >= 0x80) {
          ascii = false;
          break;
        }
        buf[at + i] = c;
      }
    }
    const bytes = ascii ? length : buf.write(value, at);
    writeInt32(buf, this.at, bytes);
    at += bytes;
    this.at = at;
  }

  /** A text as the bytes `from` to `to` of `source` (UTF-8 already); lower-cased A–Z when `lower`. */
  bytes(source: Uint8Array, from: number, to: number, lower = false): void {
    const length = to - from;
    this.reserve(4 + length);
    const buf = this.buf;
    writeInt32(buf, this.at, length);
    const at = this.at + 4 - from;
    if (lower) {
      for (let i = from; i < to; i++) {
        const c = source[i];
        buf[at + i] = c >= 0x41 && c <= 0x5a ? c + 32 : c;
      }
    } else if (length <= 64) {
      for (let i = from; i < to; i++) buf[at + i] = source[i];
    } else buf.set(source.subarray(from, to), at + from);
    this.at += 4 + length;
  }

  private reserve(bytes: number): void {
    if (this.at + bytes <= this.buf.length) return;
    const bigger = Buffer.allocUnsafe(Math.max(2 * this.buf.length, this.at + bytes));
    this.buf.copy(bigger, 0, 0, this.at);
    this.buf = bigger;
  }
}

function writeInt32(buf: Uint8Array, at: number, value: number): void {
  buf[at] = value >>> 24;
  buf[at + 1] = (value >>> 16) & 0xff;
  buf[at + 2] = (value >>> 8) & 0xff;
  buf[at + 3] = value & 0xff;
}

/**
 * The whole COPY BINARY data of the batch's rows given by `order` (indexes, in the order to write):
 * each row's field count, its id (the next 16 bytes of `ids`), its texts as the batch holds them, and
 * its created_at (NaN: `nowMicros`) as password_changed_at and created_at; then the trailer. With
 * `undated`, the rows without a created_at get their place in it instead (the offset of their first
 * time's length), for {@link stampNow} to fill once the transaction's time is known.
 */
export function copyData(batch: ImportBatch, order: ArrayLike<number>, ids: Buffer, nowMicros: number, undated?: number[]): Buffer {
  const { starts, micros } = batch;
  const rows = batch.length;
  const end = (i: number): number => (i + 1 < rows ? starts[i + 1] : batch.at);
  let size = COPY_BINARY_HEADER.length + 2;
  for (let k = 0; k < order.length; k++) size += ROW_FRAME + end(order[k]) - starts[order[k]];
  const out = Buffer.allocUnsafe(size);
  let at = COPY_BINARY_HEADER.copy(out, 0);
  const source = batch.buf;
  for (let k = 0; k < order.length; k++) {
    const i = order[k];
    out[at] = 0;
    out[at + 1] = COLUMNS;
    writeInt32(out, at + 2, 16);
    at += 6;
    // The id's 16 bytes by a byte loop; the row's texts (~200 bytes) by one Buffer.copy, which costs
    // about a seventh of a byte loop over them (docs/performance.md, "Import, ninth round").
    for (let j = 0, from = 16 * k; j < 16; j++) out[at + j] = ids[from + j];
    at += 16;
    at += source.copy(out, at, starts[i], end(i));
    if (undated && Number.isNaN(micros[i])) undated.push(at);
    const time = Number.isNaN(micros[i]) ? nowMicros : micros[i];
    const high = Math.floor(time / TWO_32);
    const low = time - high * TWO_32;
    for (let t = 0; t < 2; t++) {
      writeInt32(out, at, 8);
      out.writeInt32BE(high, at + 4);
      out.writeUInt32BE(low, at + 8);
      at += 12;
    }
  }
  out.writeInt16BE(-1, at);
  return out;
}

/**
 * The addresses and websites of COPY BINARY data's rows, one a line, in the order of its rows (field 2,
 * email, and field 3, website_code, of COPY_COLUMNS): what a checked batch's statements take. Read
 * back from the data only when a batch is checked, so the reader does not join them for every batch.
 */
export function addressesOf(data: Buffer): { emails: string; websiteCodes: string } {
  const emails: string[] = [];
  const websiteCodes: string[] = [];
  let from = COPY_BINARY_HEADER.length;
  while (data.readInt16BE(from) !== -1) {
    let at = from + 2;
    at += 4 + data.readInt32BE(at); // the id
    const emailLength = data.readInt32BE(at);
    emails.push(data.toString('utf8', at + 4, at + 4 + emailLength));
    at += 4 + emailLength;
    const websiteLength = data.readInt32BE(at);
    websiteCodes.push(data.toString('utf8', at + 4, at + 4 + websiteLength));
    at += 4 + websiteLength;
    for (let field = 3; field < COLUMNS; field++) at += 4 + Math.max(0, data.readInt32BE(at)); // -1: NULL, no bytes
    from = at;
  }
  return { emails: emails.join('\n'), websiteCodes: websiteCodes.join('\n') };
}

/** The batch's rows in address order (indexes): the (email, website_code) index then takes them in order. */
export function addressOrder(batch: ImportBatch, rows: number[] = Array.from({ length: batch.length }, (_, i) => i)): number[] {
  const { emails } = batch;
  return rows.sort((a, b) => (emails[a] < emails[b] ? -1 : emails[a] > emails[b] ? 1 : 0));
}

/**
 * A batch's whole COPY data, built before its transaction begins: all its rows in address order,
 * with their ids; those without a created_at wait for {@link stampNow}. The import builds it while
 * the previous batch is still being written, so that the sort and the copy of ~10,000 rows no longer
 * sit between that batch's commit and this one's COPY, with the server idle.
 */
export interface PreparedCopy {
  data: Buffer;
  /** The rows without a created_at: the offsets of their first time field. */
  undated: number[];
}

export function prepareCopy(batch: ImportBatch, ids: Buffer, order: number[] = addressOrder(batch)): PreparedCopy {
  const undated: number[] = [];
  const data = copyData(batch, order, ids, 0, undated);
  return { data, undated };
}

/** Writes the transaction's time as both times of the undated rows of a prepared COPY. */
export function stampNow(prepared: PreparedCopy, nowMicros: number): Buffer {
  const high = Math.floor(nowMicros / TWO_32);
  const low = nowMicros - high * TWO_32;
  const { data } = prepared;
  for (const at of prepared.undated) {
    data.writeInt32BE(high, at + 4);
    data.writeUInt32BE(low, at + 8);
    data.writeInt32BE(high, at + 16);
    data.writeUInt32BE(low, at + 20);
  }
  return data;
}

/**
 * COPY BINARY data without some of its rows: those whose place in it (0-based) is marked in `skip`
 * (a checked batch's addresses that already have an account). The other rows keep their bytes, ids
 * and times included.
 */
export function withoutRows(data: Buffer, skip: Uint8Array): Buffer {
  const out = Buffer.allocUnsafe(data.length);
  let at = COPY_BINARY_HEADER.copy(out, 0);
  let from = COPY_BINARY_HEADER.length;
  for (let row = 0; data.readInt16BE(from) !== -1; row++) {
    let end = from + 2;
    for (let field = 0; field < COLUMNS; field++) end += 4 + Math.max(0, data.readInt32BE(end)); // -1: NULL, no bytes
    if (skip[row] !== 1) at += data.copy(out, at, from, end);
    from = end;
  }
  out.writeInt16BE(-1, at);
  return out.subarray(0, at + 2);
}
