import { isUtf8 } from 'node:buffer';
import { INPUT_LIMITS } from '@customer-access/common';
import { NO_USABLE_PASSWORD } from '../no-usable-password';
import { CsvRecordParser, MAX_CSV_FIELD_LENGTH } from './csv-records';
import { ImportBatch, msToPgMicros } from './import-batch';
import { ImportStores, MagentoRecords, ParsedRow } from './import-rows';
import { isPlainEmail } from '../valid-email';

/** Where the rows of a Magento file go, in file order. */
export interface RowSink {
  /**
   * A row that passed every check: the batch to write its seven texts into (its row begun there), or
   * null when its address already came earlier in the file (the sink records that row error).
   */
  take(line: number, email: string, websiteCode: string, micros: number): ImportBatch | null;
  /** A row of the general path: checked, or its error. */
  parsed(row: ParsedRow): void;
}

const QUOTE = 0x22;
const COMMA = 0x2c;
const SPACE = 0x20;
const CR = 0x0d;
const LF = 0x0a;
const DEL = 0x7f;
const MAX_HASH_LENGTH = 1024;
/** The longest unfinished line kept back for the fast path; a longer one is handed to the general parser as it comes. */
const MAX_PENDING = 64 * 1024;

/** 1 for the bytes of 0-9, a-f, A-F. */
const HEX = new Uint8Array(256);
for (const c of '0123456789abcdefABCDEF') HEX[c.charCodeAt(0)] = 1;
const isDigit = (c: number): boolean => c >= 0x30 && c <= 0x39;
const two = (b: Uint8Array, at: number): number => 10 * (b[at] - 48) + b[at + 1] - 48;

/**
 * A Magento "Customers Main File" CSV read from its bytes (docs/importing.md, "How it reads a file").
 * The usual line (one record on one line; fields bare or quoted without a quote inside; the address,
 * website, store view, hash and created_at in printable ASCII; names printable ASCII or valid UTF-8)
 * is split, checked and written into the batch's COPY data straight from the bytes, without field
 * strings or a row object: only the address (and the website and store view when they change)
 * become strings. A line it cannot take as surely as the general path would (anything unusual: a
 * quote inside a field, a line break in quotes, a control character, an address that is not
 * isPlainEmail's, a hash other than Magento's sha256 form, a created_at that is not a plain Magento
 * time, a row with an error) goes whole to the general path instead: CsvRecordParser, then checkRow,
 * which answer for it exactly as they did for every line before. The header always goes that way.
 * A unit test holds the two paths together on tricky rows.
 */
export class MagentoBytes {
  private readonly parser = new CsvRecordParser();
  private readonly records: MagentoRecords;
  /** The general path's decoder: fed whole lines (or long pieces, streaming), so no character is split. */
  private readonly decoder = new TextDecoder('utf-8', { ignoreBOM: true });
  private pending: Buffer | null = null;
  private first = true;
  /** Whether the general parser holds part of a record (a quoted line break, a piece without its line end). */
  private general = false;
  /** The header's columns, for the fast path (null until the header is read, or when a column is missing). */
  private cols: Int32Array | null = null;
  private width = 0;
  private readonly starts = new Int32Array(64);
  private readonly ends = new Int32Array(64);
  private readonly wide = new Uint8Array(64);
  private lastWebsiteBytes: Buffer = Buffer.alloc(0);
  private lastWebsite = '';
  private lastViewBytes: Buffer = Buffer.alloc(0);
  private lastView = '';

  constructor(
    private readonly stores: ImportStores,
    private readonly sink: RowSink,
    private readonly forcedWebsite?: string,
  ) {
    this.records = new MagentoRecords(stores, forcedWebsite);
  }

  /** The next piece of the file. */
  push(chunk: Buffer): void {
    if (this.pending && !this.first) {
      // The unfinished line kept back, completed by this piece's first line: only that line is joined
      // (joining the whole piece copied every byte of the file once more).
      const lf = chunk.indexOf(LF);
      if (lf >= 0) {
        const head = Buffer.concat([this.pending, chunk.subarray(0, lf + 1)]);
        this.pending = null;
        this.lines(head, 0);
        this.lines(chunk, lf + 1);
        return;
      }
    }
    let bytes = chunk;
    if (this.pending) {
      bytes = Buffer.concat([this.pending, chunk]);
      this.pending = null;
    }
    let start = 0;
    if (this.first && bytes.length > 0) {
      // What TextDecoder drops (a second byte-order mark is the parser's to drop, as before).
      if (bytes.length < 3 && bytes[0] === 0xef) {
        this.pending = bytes;
        return;
      }
      this.first = false;
      if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) start = 3;
    }
    this.lines(bytes, start);
  }

  /** The lines of `bytes` from `start`; an unfinished last one is kept back (or fed to the general parser). */
  private lines(bytes: Buffer, start: number): void {
    while (start < bytes.length) {
      const lf = bytes.indexOf(LF, start);
      if (lf < 0) {
        if (this.general || bytes.length - start > MAX_PENDING) {
          this.general = true;
          this.feed(bytes, start, bytes.length, true);
        } else this.pending = bytes.subarray(start);
        return;
      }
      if (this.general || !this.fastRow(bytes, start, lf)) {
        this.feed(bytes, start, lf + 1, false);
        this.general = !this.parser.atRecordStart();
      }
      start = lf + 1;
    }
  }

  /** The end of the file: the last line, and an ImportFileError if there was no header. */
  end(): void {
    if (this.pending) {
      const rest = this.pending;
      this.pending = null;
      if (this.first) {
        this.first = false;
        this.feed(rest, rest[0] === 0xef && rest[1] === 0xbb && rest[2] === 0xbf ? 3 : 0, rest.length, true);
      } else if (this.general || !this.fastRow(rest, 0, rest.length)) this.feed(rest, 0, rest.length, true);
    }
    const text = this.decoder.decode();
    for (const row of this.records.rows(text ? [...this.parser.push(text), ...this.parser.end()] : this.parser.end()))
      this.sink.parsed(row);
    this.records.ended();
  }

  private feed(bytes: Buffer, from: number, to: number, stream: boolean): void {
    const text = this.decoder.decode(bytes.subarray(from, to), { stream });
    for (const row of this.records.rows(this.parser.push(text))) this.sink.parsed(row);
    if (this.cols === null && this.records.header) this.readHeader();
  }

  private readHeader(): void {
    const index = this.records.index;
    const header = this.records.header as string[];
    const cols = [index.email, index.website, index.storeView, index.firstName, index.lastName, index.passwordHash, index.createdAt];
    this.width = header.length;
    // Without every column, or with too many to keep, every row goes the general way.
    this.cols =
      cols.every((c) => c !== undefined) && header.length <= this.starts.length ? Int32Array.from(cols as number[]) : new Int32Array(0);
  }

  /**
   * The line from `from` to `to` (its LF, or the end of the file) taken on the fast path, or false
   * (then nothing was taken: the caller hands the line to the general path).
   */
  private fastRow(b: Buffer, from: number, to: number): boolean {
    const cols = this.cols;
    if (cols === null || cols.length === 0 || !this.parser.atRecordStart()) return false;
    let end = to;
    if (end > from && b[end - 1] === CR) end--;
    if (end === from) return false; // a blank line: the parser skips it
    const { starts, ends, wide } = this;
    const width = this.width;
    let n = 0;
    let i = from;
    for (;;) {
      if (n === width) return false;
      let s: number;
      let e: number;
      let high = 0;
      if (i < end && b[i] === QUOTE) {
        s = ++i;
        for (; i < end; i++) {
          const c = b[i];
          if (c === QUOTE) break;
          if (c < SPACE || c === DEL) return false;
          high |= c & 0x80;
        }
        if (i === end) return false; // a quote not closed on its line
        e = i++;
        if (i < end && b[i] !== COMMA) return false; // text after the closing quote
      } else {
        s = i;
        for (; i < end; i++) {
          const c = b[i];
          if (c === COMMA) break;
          if (c < SPACE || c === DEL || c === QUOTE) return false;
          high |= c & 0x80;
        }
        e = i;
      }
      if (e - s > MAX_CSV_FIELD_LENGTH) return false;
      starts[n] = s;
      ends[n] = e;
      wide[n] = high;
      n++;
      if (i === end) break;
      i++; // the comma
    }
    if (n !== width) return false;
    return this.fastCheck(b);
  }

  /** checkRow's rules for the fields just split, where they can be answered from the bytes; false when not. */
  private fastCheck(b: Buffer): boolean {
    const { starts, ends, wide, cols, stores } = this;
    const c = cols as Int32Array;
    // The address: printable ASCII (its own NFKC form), trimmed, lower-cased, isPlainEmail's.
    const emailCol = c[0];
    if (wide[emailCol]) return false;
    let es = starts[emailCol];
    let ee = ends[emailCol];
    while (es < ee && b[es] === SPACE) es++;
    while (ee > es && b[ee - 1] === SPACE) ee--;
    if (es === ee || ee - es > INPUT_LIMITS.email) return false;
    const email = b.toString('latin1', es, ee).toLowerCase();
    if (!isPlainEmail(email)) return false;

    // The names: present, at most INPUT_LIMITS.name bytes (so characters), trimmed of spaces, and
    // ending on ASCII characters other than a space (nothing else for trim() to take), valid UTF-8.
    const firstCol = c[3];
    const lastCol = c[4];
    let fs = starts[firstCol];
    let fe = ends[firstCol];
    while (fs < fe && b[fs] === SPACE) fs++;
    while (fe > fs && b[fe - 1] === SPACE) fe--;
    if (fs === fe || fe - fs > INPUT_LIMITS.name) return false;
    if (wide[firstCol] && (b[fs] >= 0x80 || b[fe - 1] >= 0x80 || !isUtf8(b.subarray(fs, fe)))) return false;
    let ls = starts[lastCol];
    let le = ends[lastCol];
    while (ls < le && b[ls] === SPACE) ls++;
    while (le > ls && b[le - 1] === SPACE) le--;
    if (ls === le || le - ls > INPUT_LIMITS.name) return false;
    if (wide[lastCol] && (b[ls] >= 0x80 || b[le - 1] >= 0x80 || !isUtf8(b.subarray(ls, le)))) return false;

    // The website and store view: known, the view in the website (anything else: the general path's error or rewrite).
    let websiteCode: string;
    if (this.forcedWebsite !== undefined) websiteCode = this.forcedWebsite;
    else {
      const col = c[1];
      if (wide[col]) return false;
      let ws = starts[col];
      let we = ends[col];
      while (ws < we && b[ws] === SPACE) ws++;
      while (we > ws && b[we - 1] === SPACE) we--;
      if (ws === we) websiteCode = 'base';
      else {
        if (!same(b, ws, we, this.lastWebsiteBytes)) {
          this.lastWebsiteBytes = Buffer.from(b.subarray(ws, we));
          this.lastWebsite = b.toString('latin1', ws, we);
        }
        websiteCode = this.lastWebsite;
      }
    }
    const fallbackView = stores.defaultStoreView.get(websiteCode);
    if (fallbackView === undefined) return false;
    const viewCol = c[2];
    if (wide[viewCol]) return false;
    let vs = starts[viewCol];
    let ve = ends[viewCol];
    while (vs < ve && b[vs] === SPACE) vs++;
    while (ve > vs && b[ve - 1] === SPACE) ve--;
    let storeViewCode: string;
    if (vs === ve) storeViewCode = fallbackView;
    else {
      if (!same(b, vs, ve, this.lastViewBytes)) {
        this.lastViewBytes = Buffer.from(b.subarray(vs, ve));
        this.lastView = b.toString('latin1', vs, ve);
      }
      storeViewCode = this.lastView;
    }
    const view = stores.storeViews.get(storeViewCode);
    if (view === undefined || view.websiteCode !== websiteCode) return false;
    // A Magento file has no locale column: the store view's, else the default.
    const locale = view.locale ?? stores.defaultLocale;

    // The hash: none (no usable password) or Magento's `sha256hex:salt:1` (identify's own fast form).
    const hashCol = c[5];
    if (wide[hashCol]) return false;
    let hs = starts[hashCol];
    let he = ends[hashCol];
    while (hs < he && b[hs] === SPACE) hs++;
    while (he > hs && b[he - 1] === SPACE) he--;
    if (hs !== he && !isMagentoV1Sha256(b, hs, he)) return false;

    // created_at: none (the batch's time) or `YYYY-MM-DD HH:MM:SS` that is already a valid UTC time
    // (year from 1000, month 1–12, a day the month has, hour to 23, minutes and seconds to 59): its
    // ISO form has the same digits. Any other (30 February, a time zone, ISO 8601) goes the general way.
    const timeCol = c[6];
    if (wide[timeCol]) return false;
    let ts = starts[timeCol];
    let te = ends[timeCol];
    while (ts < te && b[ts] === SPACE) ts++;
    while (te > ts && b[te - 1] === SPACE) te--;
    let micros = NaN;
    if (ts !== te) {
      const ms = plainMagentoTime(b, ts, te);
      if (Number.isNaN(ms)) return false;
      micros = msToPgMicros(ms);
    }

    const line = this.parser.nextLine;
    this.parser.skipLine();
    const batch = this.sink.take(line, email, websiteCode, micros);
    if (batch === null) return true;
    batch.bytes(b, es, ee, true);
    batch.text(websiteCode);
    batch.text(storeViewCode);
    batch.bytes(b, fs, fe);
    batch.bytes(b, ls, le);
    batch.text(locale);
    if (hs === he) batch.text(NO_USABLE_PASSWORD);
    else batch.bytes(b, hs, he);
    return true;
  }
}

function same(b: Buffer, from: number, to: number, other: Buffer): boolean {
  if (to - from !== other.length) return false;
  for (let i = 0; i < other.length; i++) if (b[from + i] !== other[i]) return false;
  return true;
}

/** legacy-hashes' isMagentoV1Sha256 (`^[0-9a-fA-F]{64}:[^:]*:1$`, at most 1,024 characters) on bytes. */
function isMagentoV1Sha256(b: Buffer, from: number, to: number): boolean {
  const length = to - from;
  if (length < 67 || length > MAX_HASH_LENGTH || b[from + 64] !== 0x3a || b[to - 2] !== 0x3a || b[to - 1] !== 0x31) return false;
  for (let i = from; i < from + 64; i++) if (HEX[b[i]] === 0) return false;
  for (let i = from + 65; i < to - 2; i++) if (b[i] === 0x3a) return false;
  return true;
}

const DAYS = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
/** Days in a month of the proleptic Gregorian calendar (Date's). */
const daysIn = (year: number, month: number): number =>
  month === 2 && year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0) ? 29 : DAYS[month - 1];

/** Milliseconds of a `YYYY-MM-DD HH:MM:SS` that needs no normalizing (see fastCheck), or NaN. */
function plainMagentoTime(b: Buffer, from: number, to: number): number {
  if (to - from !== 19) return NaN;
  for (let i = 0; i < 19; i++) {
    const c = b[from + i];
    const ok = i === 4 || i === 7 ? c === 0x2d : i === 10 ? c === SPACE : i === 13 || i === 16 ? c === 0x3a : isDigit(c);
    if (!ok) return NaN;
  }
  if (b[from] === 0x30) return NaN;
  const year = 100 * two(b, from) + two(b, from + 2);
  const month = two(b, from + 5);
  const day = two(b, from + 8);
  const hour = two(b, from + 11);
  const minute = two(b, from + 14);
  const second = two(b, from + 17);
  if (month < 1 || month > 12 || day < 1 || day > daysIn(year, month) || hour > 23 || minute > 59 || second > 59) return NaN;
  return Date.UTC(year, month - 1, day, hour, minute, second);
}
