import { randomUUID } from 'node:crypto';
import { createReadStream, createWriteStream, rmSync, statSync, WriteStream } from 'node:fs';
import { once } from 'node:events';
import { Client } from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { clientRows } from '@customer-access/database/sql';
import { COPY_INTO_STAGING, CustomerImportSql } from './customer-import-staging.queries';
import { ImportFileError, ImportFormat, ImportRow, ImportStores, parseImportRows, RowError } from './import-rows';

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

const DEFAULT_BATCH = 5000;
/**
 * Rows per batch under accountSharingScope = global, where a batch holds one advisory lock per
 * address until it commits: PostgreSQL's shared lock table has room for max_locks_per_transaction
 * (64) × max_connections entries in all, so a batch must stay well inside it.
 */
const GLOBAL_SCOPE_BATCH = 500;
const FIRST_ERRORS = 20;

const COPY_SPECIAL = /[\\\t\n\r]/;

/** The text format of COPY: backslash, tab and line breaks escaped; \N for null. */
function copyValue(value: string | null): string {
  if (value === null) return '\\N';
  if (!COPY_SPECIAL.test(value)) return value;
  return value.replace(/[\\\t\n\r]/g, (c) => (c === '\\' ? '\\\\' : c === '\t' ? '\\t' : c === '\n' ? '\\n' : '\\r'));
}

/** One row in the staging table's column order (STAGING_COLUMNS); batch id and line need no escaping. */
function copyLine(batchId: string, row: ImportRow): string {
  return (
    `${batchId}\t${row.line}\t${copyValue(row.email)}\t${copyValue(row.websiteCode)}\t${copyValue(row.storeViewCode)}\t` +
    `${copyValue(row.firstName)}\t${copyValue(row.lastName)}\t${copyValue(row.locale)}\t${copyValue(row.passwordHash)}\t` +
    `${copyValue(row.createdAt)}\n`
  );
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
    const [h1, h2] = hash64(websiteCode, email);
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

/** Two independent 32-bit multiplicative hashes (cyrb53's mixing) of `website \0 email`, unsigned. */
function hash64(websiteCode: string, email: string): [number, number] {
  let h1 = 0xdeadbeef;
  let h2 = 0x41c6ce57;
  const mix = (ch: number): void => {
    h1 = Math.imul(h1 ^ ch, 2654435761);
    h2 = Math.imul(h2 ^ ch, 1597334677);
  };
  for (let i = 0; i < websiteCode.length; i++) mix(websiteCode.charCodeAt(i));
  mix(0);
  for (let i = 0; i < email.length; i++) mix(email.charCodeAt(i));
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507) ^ Math.imul(h2 ^ (h2 >>> 13), 3266489909);
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507) ^ Math.imul(h1 ^ (h1 >>> 13), 3266489909);
  return [h1 >>> 0, h2 >>> 0];
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
 * in batches: COPY into customer_import_staging, then one insert … on conflict do nothing into
 * customer, then the batch's staging rows deleted, all in one transaction. A batch is written whole
 * or not at all, so a killed import rerun gives the same result as one clean run, and importing the
 * same file twice adds nothing (existing emails are skipped). Bad rows go to `F.errors.csv` with
 * their line number and reason; they never stop the rest.
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
    const seen = new FirstLines();
    let bytesRead = 0;
    let batch: ImportRow[] = [];
    // One batch is written while the next is read and checked: the database and this process work
    // side by side (the batches still go one at a time, in file order, on the one connection).
    const flush = async (): Promise<void> => {
      if (batch.length === 0) return;
      const rows = batch;
      batch = [];
      await writing;
      writing = writeBatch(client, rows, scope, options.dryRun).then((written) => {
        summary.imported += written;
        summary.skipped += rows.length - written;
        onProgress(bytesRead, totalBytes);
      });
      writing.catch(() => undefined); // awaited at the next flush or the end; not an unhandled rejection meanwhile
    };

    const text = fileText(options.file, (bytes) => (bytesRead = bytes));
    for await (const parsed of parseImportRows(options.format, text, stores, options.website)) {
      if (!parsed.ok) {
        await recordError(parsed.error);
        continue;
      }
      const first = seen.firstLine(parsed.row.websiteCode, parsed.row.email, parsed.row.line);
      if (first !== undefined) {
        await recordError({
          line: parsed.row.line,
          email: parsed.row.email,
          reason: `duplicate email in the file (first on line ${first})`,
        });
        continue;
      }
      batch.push(parsed.row);
      if (batch.length >= batchSize) await flush();
    }
    await flush();
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

/** One batch in one transaction: COPY, insert (or count, on a dry run), delete. Returns the rows written. */
async function writeBatch(client: Client, rows: ImportRow[], scope: string, dryRun: boolean): Promise<number> {
  const batchId = randomUUID();
  await client.query('begin');
  try {
    const copy = client.query(copyFrom(COPY_INTO_STAGING));
    const done = new Promise<void>((resolve, reject) => {
      copy.on('finish', resolve);
      copy.on('error', reject);
    });
    // A few hundred rows per write: fewer, larger CopyData messages.
    for (let at = 0; at < rows.length; at += 500) {
      const chunk = rows
        .slice(at, at + 500)
        .map((row) => copyLine(batchId, row))
        .join('');
      if (!copy.write(chunk)) await once(copy, 'drain');
    }
    copy.end();
    await done;
    let written: number;
    if (dryRun) {
      const [{ count }] = await clientRows(client, CustomerImportSql.countNew(batchId, scope));
      written = count;
      await client.query('rollback');
    } else {
      if (scope === 'global') await clientRows(client, CustomerImportSql.lockEmails(batchId));
      written = (await clientRows(client, CustomerImportSql.insertBatch(batchId, scope))).length;
      await clientRows(client, CustomerImportSql.clearBatch(batchId));
      await client.query('commit');
    }
    return written;
  } catch (error) {
    await client.query('rollback').catch(() => undefined);
    throw error;
  }
}
