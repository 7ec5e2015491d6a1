import { randomFillSync } from 'node:crypto';
import { createReadStream, createWriteStream, rmSync, statSync, WriteStream } from 'node:fs';
import { once } from 'node:events';
import { Client } from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { clientRows } from '@customer-access/database/sql';
import { COPY_INTO_CUSTOMER, CustomerImportSql } from './customer-import.queries';
import { addressOrder, copyData, ImportBatch, pgMicros, PreparedCopy, prepareCopy, stampNow } from './import-batch';
import { ImportFileError, ImportFormat, ImportStores, ParsedRow, parseImportChunks, RowError } from './import-rows';
import { MagentoBytes, RowSink } from './magento-bytes';

export { pgMicros } from './import-batch';

export interface ImportOptions {
  file: string;
  format: ImportFormat;
  /** Every row goes to this website (its `_website`/`website` is then ignored). */
  website?: string;
  dryRun: boolean;
  /** Rows per COPY and insert; each batch is one transaction. */
  batchSize?: number;
}

export interface ImportSummary {
  imported: number;
  skipped: number;
  failed: number;
  seconds: number;
  /** The error file written (`F.errors.csv`), or null when no row failed or on a dry run. */
  errorsFile: string | null;
  /** The first row errors (a dry run prints them instead of writing the error file). */
  firstErrors: RowError[];
}

export type ImportProgress = (bytesRead: number, totalBytes: number) => void;

const DEFAULT_BATCH = 10_000;
/**
 * Rows per batch under accountSharingScope = global, where a batch holds one advisory lock per
 * address until it commits: PostgreSQL's shared lock table has room for max_locks_per_transaction
 * (64) × max_connections entries in all, so a batch must stay well inside it.
 */
const GLOBAL_SCOPE_BATCH = 500;
const FIRST_ERRORS = 20;

/**
 * Time-ordered ids for imported customers (the UUIDv7 layout of RFC 9562: 48 bits of milliseconds,
 * version 7, a 12-bit counter, the variant, 62 random bits), increasing across the whole import: each
 * batch appends to the right edge of the primary key's btree instead of touching random pages all
 * over it. They carry the import's time, not the customer's; nothing reads an id's version.
 */
export class TimeOrderedIds {
  private lastMs = 0;
  private counter = 0;

  next(count: number): string[] {
    const bytes = this.nextBytes(count);
    const hex = bytes.toString('hex');
    const ids = new Array<string>(count);
    for (let i = 0; i < count; i++) {
      const h = hex.slice(32 * i, 32 * i + 32);
      ids[i] = `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
    }
    return ids;
  }

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

function csvField(value: string | number): string {
  const text = String(value);
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

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

/** The text of a file as it streams in (UTF-8), with the bytes read so far. */
async function* fileText(path: string, onBytes: (bytes: number) => void): AsyncGenerator<string> {
  const stream = createReadStream(path, { highWaterMark: 256 * 1024 });
  const decoder = new TextDecoder('utf-8');
  let bytes = 0;
  for await (const chunk of stream as AsyncIterable<Buffer>) {
    bytes += chunk.length;
    onBytes(bytes);
    yield decoder.decode(chunk, { stream: true });
  }
  const rest = decoder.decode();
  if (rest) yield rest;
}

/**
 * customers:import (docs/importing.md): streams the file, checks each row, and writes the good ones
 * in batches, each in one transaction: one select finds the batch's addresses that already have an
 * account (skipped), and the others are COPYed straight into customer. A batch is written whole or
 * not at all, so a killed import rerun gives the same result as one clean run, and importing the
 * same file twice adds nothing. Bad rows go to `F.errors.csv` with their line number and reason;
 * they never stop the rest.
 */
export async function importCustomers(
  databaseUrl: string,
  options: ImportOptions,
  onProgress: ImportProgress = () => undefined,
): Promise<ImportSummary> {
  const started = process.hrtime.bigint();
  let totalBytes: number;
  try {
    totalBytes = statSync(options.file).size;
  } catch (error) {
    throw new ImportFileError(`cannot read ${options.file}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
  }
  const client = new Client({ connectionString: databaseUrl, application_name: 'customers:import' });
  await client.connect();
  const errorsPath = `${options.file}.errors.csv`;
  let errorsOut: WriteStream | null = null;
  const summary: ImportSummary = { imported: 0, skipped: 0, failed: 0, seconds: 0, errorsFile: null, firstErrors: [] };
  let writing: Promise<void> = Promise.resolve();
  try {
    const { stores, scope } = await readStores(client);
    if (options.website !== undefined && !stores.defaultStoreView.has(options.website)) {
      throw new ImportFileError(`unknown website "${options.website}" (--website)`);
    }
    if (!options.dryRun) rmSync(errorsPath, { force: true });

    const recordError = async (error: RowError): Promise<void> => {
      summary.failed++;
      if (summary.firstErrors.length < FIRST_ERRORS) summary.firstErrors.push(error);
      if (options.dryRun) return;
      if (!errorsOut) {
        errorsOut = createWriteStream(errorsPath);
        errorsOut.write('line,email,reason\n');
        summary.errorsFile = errorsPath;
      }
      if (!errorsOut.write(`${error.line},${csvField(error.email)},${csvField(error.reason)}\n`)) await once(errorsOut, 'drain');
    };

    const batchSize = Math.min(options.batchSize ?? DEFAULT_BATCH, scope === 'global' ? GLOBAL_SCOPE_BATCH : Infinity);
    const rows = new Batches(new FirstLines(), scope, batchSize);
    const ids = new TimeOrderedIds();
    const mode: WriteMode = { unchecked: true };
    let bytesRead = 0;
    // One batch is written while the next is read and checked: the database and this process work
    // side by side (the batches still go one at a time, in file order, on the one connection).
    const flush = async (batch: ImportBatch): Promise<void> => {
      // Its COPY data is built while the previous batch is still being written (a dry run writes none).
      const prepared = options.dryRun ? undefined : prepareCopy(batch, ids.nextBytes(batch.length));
      await writing;
      writing = writeBatch(client, batch, prepared, scope, options.dryRun, ids, mode).then((written) => {
        summary.imported += written;
        summary.skipped += batch.length - written;
        onProgress(bytesRead, totalBytes);
      });
      writing.catch(() => undefined); // awaited at the next flush or the end; not an unhandled rejection meanwhile
    };
    // What a piece of the file gave: its row errors (in file order), then its full batches.
    const drain = async (): Promise<void> => {
      const { errors, ready } = rows.collect();
      for (const error of errors) await recordError(error);
      for (const batch of ready) await flush(batch);
    };

    if (options.format === 'magento') {
      const reader = new MagentoBytes(stores, rows, options.website);
      const stream = createReadStream(options.file, { highWaterMark: 256 * 1024 });
      for await (const chunk of stream as AsyncIterable<Buffer>) {
        bytesRead += chunk.length;
        reader.push(chunk);
        await drain();
      }
      reader.end();
    } else {
      const text = fileText(options.file, (bytes) => (bytesRead = bytes));
      for await (const chunk of parseImportChunks(options.format, text, stores, options.website)) {
        for (const parsed of chunk) rows.parsed(parsed);
        await drain();
      }
    }
    rows.end();
    await drain();
    await writing;
    onProgress(totalBytes, totalBytes);
  } finally {
    await writing.catch(() => undefined); // a failed read must not close the connection under a batch
    const out = errorsOut as WriteStream | null;
    if (out) {
      out.end();
      await once(out, 'close');
    }
    await client.end();
  }
  summary.seconds = Number(process.hrtime.bigint() - started) / 1e9;
  return summary;
}

async function readStores(client: Client): Promise<{ stores: ImportStores; scope: string }> {
  const [settings] = await clientRows(client, CustomerImportSql.settings());
  const views = await clientRows(client, CustomerImportSql.storeViews());
  const storeViews = new Map(views.map((v) => [v.code, { websiteCode: v.websiteCode, locale: v.locale }]));
  const defaultStoreView = new Map<string, string>();
  for (const view of views) {
    if (!defaultStoreView.has(view.websiteCode) || view.code === 'default') defaultStoreView.set(view.websiteCode, view.code);
  }
  return {
    stores: { storeViews, defaultStoreView, defaultLocale: settings?.defaultLocale ?? 'en' },
    scope: settings?.accountSharingScope ?? 'website',
  };
}

/**
 * Whether the next batch may skip the select of its addresses that already have an account: under
 * website scope the (email, website_code) unique constraint refuses such a row anyway, so a batch
 * whose addresses are all new (an import's usual batch) is COPYed straight away, and one that meets
 * an existing account fails whole, is rolled back and goes again the checked way. After a batch
 * that found existing accounts (a rerun, a resumed import) the next batches check first, until one
 * finds none.
 */
interface WriteMode {
  unchecked: boolean;
}

/** One batch in one transaction (docs/importing.md). Returns the rows written (on a dry run, that would be). */
async function writeBatch(
  client: Client,
  batch: ImportBatch,
  prepared: PreparedCopy | undefined,
  scope: string,
  dryRun: boolean,
  ids: TimeOrderedIds,
  mode: WriteMode,
): Promise<number> {
  const { emails } = batch;
  for (let attempt = 1; ; attempt++) {
    // Under global scope the constraint (per website) does not cover another website's account, and
    // the batch takes the addresses' locks first: always checked.
    const unchecked = mode.unchecked && scope !== 'global' && !dryRun;
    await client.query('begin');
    try {
      const [{ nowMicros }] = await clientRows(client, CustomerImportSql.startBatch());
      let fresh: number[] = [];
      for (let i = 0; i < batch.length; i++) fresh.push(i);
      if (!unchecked) {
        const emailList = emails.join('\n');
        if (scope === 'global' && !dryRun) await clientRows(client, CustomerImportSql.lockEmails(emailList));
        const existing = await clientRows(client, CustomerImportSql.existing(emailList, batch.websiteCodes.join('\n'), scope));
        if (dryRun) {
          await client.query('rollback');
          return batch.length - existing.length;
        }
        mode.unchecked = existing.length === 0;
        if (existing.length > 0) {
          const skip = new Uint8Array(batch.length);
          for (const { n } of existing) skip[n - 1] = 1;
          fresh = fresh.filter((i) => skip[i] === 0);
        }
      }
      // In address order: the (email, website_code) index then takes the batch's entries in order, on
      // pages it has just touched, instead of all over the index (about a fifth less backend CPU a row).
      if (prepared && fresh.length === batch.length) {
        await copyCustomers(client, stampNow(prepared, Number(nowMicros)));
      } else if (fresh.length > 0) {
        await copyCustomers(client, copyData(batch, addressOrder(batch, fresh), ids.nextBytes(fresh.length), Number(nowMicros)));
      }
      await client.query('commit');
      return fresh.length;
    } catch (error) {
      await client.query('rollback').catch(() => undefined);
      // An unchecked batch met an existing account, or a registration (or another import) committed
      // one of these addresses after `existing` looked: the batch wrote nothing, and its next attempt
      // checks and skips that address.
      if ((error as { code?: string }).code === UNIQUE_VIOLATION && attempt < MAX_ATTEMPTS) {
        mode.unchecked = false;
        continue;
      }
      throw error;
    }
  }
}

const UNIQUE_VIOLATION = '23505';
const MAX_ATTEMPTS = 5;

/**
 * The rows of the file as they are read, into batches: each good row's address checked against the
 * earlier ones ({@link FirstLines}; a repeat is a row error), then added to the current batch, a new
 * one begun when it is full. The import takes the errors and the full batches after each piece of
 * the file ({@link collect}), in file order.
 */
class Batches implements RowSink {
  private errors: RowError[] = [];
  private ready: ImportBatch[] = [];
  private current: ImportBatch;

  constructor(
    private readonly seen: FirstLines,
    private readonly scope: string,
    private readonly batchSize: number,
  ) {
    this.current = new ImportBatch(batchSize);
  }

  take(line: number, email: string, websiteCode: string, micros: number): ImportBatch | null {
    return this.add(line, email, websiteCode, micros);
  }

  parsed(parsed: ParsedRow): void {
    if (!parsed.ok) {
      this.errors.push(parsed.error);
      return;
    }
    const { row } = parsed;
    this.add(row.line, row.email, row.websiteCode, row.createdAt === null ? NaN : pgMicros(row.createdAt))?.texts(row);
  }

  /** The row errors and full batches since the last call. */
  collect(): { errors: RowError[]; ready: ImportBatch[] } {
    const taken = { errors: this.errors, ready: this.ready };
    this.errors = [];
    this.ready = [];
    return taken;
  }

  /** The last batch, however full. */
  end(): void {
    if (this.current.length > 0) this.ready.push(this.current);
    this.current = new ImportBatch(0);
  }

  private add(line: number, email: string, websiteCode: string, micros: number): ImportBatch | null {
    // Under global account sharing an address is one account whatever the website: twice in the file is a duplicate.
    const first = this.seen.firstLine(this.scope === 'global' ? '' : websiteCode, email, line);
    if (first !== undefined) {
      this.errors.push({ line, email, reason: `duplicate email in the file (first on line ${first})` });
      return null;
    }
    if (this.current.length >= this.batchSize) {
      this.ready.push(this.current);
      this.current = new ImportBatch(this.batchSize);
    }
    this.current.begin(email, websiteCode, micros);
    return this.current;
  }
}

/**
 * COPY of a batch's new customers straight into `customer` (COPY_COLUMNS, binary format), the whole
 * batch handed over in one write: the socket then sends it as fast as the server reads, without
 * waiting for this thread (busy reading the next batch) to come back after each drain.
 */
async function copyCustomers(client: Client, data: Buffer): Promise<void> {
  const copy = client.query(copyFrom(COPY_INTO_CUSTOMER));
  const done = new Promise<void>((resolve, reject) => {
    copy.on('finish', resolve);
    copy.on('error', reject);
  });
  copy.end(data);
  await done;
}
