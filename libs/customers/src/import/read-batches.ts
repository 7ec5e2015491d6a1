import { createReadStream, statSync } from 'node:fs';
import { FirstLines } from './first-lines';
import { addressesOf, addressOrder, ImportBatch, pgMicros, PreparedCopy, prepareCopy } from './import-batch';
import { ImportFormat, ImportStores, ParsedRow, parseImportChunks, RowError } from './import-rows';
import { MagentoBytes, RowSink } from './magento-bytes';
import { TimeOrderedIds } from './time-ordered-ids';

/** What reading a file needs (plain data: it is posted to the reader's worker thread as it is). */
export interface ReadOptions {
  file: string;
  format: ImportFormat;
  stores: ImportStores;
  /** accountSharingScope: under `global` an address is a duplicate whatever its website. */
  scope: string;
  batchSize: number;
  /** Every row goes to this website. */
  website?: string;
  /** A dry run writes nothing, so its batches carry no COPY data. */
  dryRun: boolean;
  /** Bytes read from the file at a time (256 KiB; tests try others). */
  readSize?: number;
  /** The file's size, when the caller has it already (else it is read here): sizes the duplicate check's table. */
  fileBytes?: number;
}

/**
 * A batch ready to be written: its COPY data, rows in address order, built while the batch before it
 * is still being written; or, on a dry run (which writes nothing), its rows' addresses and websites,
 * one a line, in address order, as the batch's statements take them. A written batch that is checked
 * reads them back from its COPY data ({@link batchAddresses}).
 */
export interface ReadyBatch {
  length: number;
  emails?: string;
  websiteCodes?: string;
  copy?: PreparedCopy;
}

/** A batch's addresses and websites, one a line, in the order of its COPY data's rows. */
export function batchAddresses(batch: ReadyBatch): { emails: string; websiteCodes: string } {
  if (batch.emails !== undefined && batch.websiteCodes !== undefined) return { emails: batch.emails, websiteCodes: batch.websiteCodes };
  if (!batch.copy) throw new Error('a batch without its addresses or COPY data');
  return addressesOf(batch.copy.data);
}

/** What one piece of the file gave, in file order: its row errors, then the batches it filled. */
export interface ReadPiece {
  errors: RowError[];
  batches: ReadyBatch[];
  /** The file's bytes read so far (for the progress bar). */
  bytesRead: number;
}

const READ_SIZE = 256 * 1024;

/**
 * The file read a piece at a time (256 KiB), each piece's rows checked and put into batches; yields
 * what each piece gave (pieces that gave nothing are not yielded), then the last, partial batch.
 * Throws an ImportFileError when the file itself cannot be read as its format.
 */
export async function* readBatches(options: ReadOptions): AsyncGenerator<ReadPiece> {
  const rows = new Batches(new FirstLines(expectedRows(options)), options.scope, options.batchSize);
  const ids = new TimeOrderedIds();
  let bytesRead = 0;
  const piece = (): ReadPiece => {
    const { errors, ready } = rows.collect();
    return { errors, batches: ready.map((batch) => readyBatch(batch, ids, options.dryRun)), bytesRead };
  };
  const given = (p: ReadPiece): boolean => p.errors.length > 0 || p.batches.length > 0;

  const stream = createReadStream(options.file, { highWaterMark: options.readSize ?? READ_SIZE });
  if (options.format === 'magento') {
    const reader = new MagentoBytes(options.stores, rows, options.website);
    for await (const chunk of stream as AsyncIterable<Buffer>) {
      bytesRead += chunk.length;
      reader.push(chunk);
      const p = piece();
      if (given(p)) yield p;
    }
    reader.end();
  } else {
    const text = decoded(stream, (bytes) => (bytesRead += bytes));
    for await (const chunk of parseImportChunks(options.format, text, options.stores, options.website)) {
      for (const parsed of chunk) rows.parsed(parsed);
      const p = piece();
      if (given(p)) yield p;
    }
  }
  rows.end();
  const last = piece();
  if (given(last)) yield last;
}

/** About how many rows a file holds, for the duplicate check's table: a Magento row with a hash takes well over 128 bytes. */
function expectedRows({ file, fileBytes }: ReadOptions): number {
  try {
    return Math.floor((fileBytes ?? statSync(file).size) / 128);
  } catch {
    return 0; // the stream reports it
  }
}

/** The batch's COPY data in address order; on a dry run its addresses in address order instead. */
function readyBatch(batch: ImportBatch, ids: TimeOrderedIds, dryRun: boolean): ReadyBatch {
  const order = addressOrder(batch);
  if (!dryRun) return { length: batch.length, copy: prepareCopy(batch, ids.nextBytes(batch.length), order) };
  return {
    length: batch.length,
    emails: order.map((i) => batch.emails[i]).join('\n'),
    websiteCodes: order.map((i) => batch.websiteCodes[i]).join('\n'),
  };
}

/** The text of a stream of UTF-8 bytes, with the byte count of each piece. */
async function* decoded(stream: AsyncIterable<Buffer>, onBytes: (bytes: number) => void): AsyncGenerator<string> {
  const decoder = new TextDecoder('utf-8');
  for await (const chunk of stream) {
    onBytes(chunk.length);
    yield decoder.decode(chunk, { stream: true });
  }
  const rest = decoder.decode();
  if (rest) yield rest;
}

/**
 * The rows of the file as they are read, into batches: each good row's address checked against the
 * earlier ones ({@link FirstLines}; a repeat is a row error), then added to the current batch, a new
 * one begun when it is full. The errors and the full batches are taken after each piece of the file
 * ({@link collect}), in file order.
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
