import { createHash, randomUUID } from 'node:crypto';
import { createReadStream, createWriteStream, rmSync, statSync, WriteStream } from 'node:fs';
import { once } from 'node:events';
import { Client } from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { clientRows } from '@customer-access/database';
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
const FIRST_ERRORS = 20;

/** The text format of COPY: backslash, tab and line breaks escaped; \N for null. */
function copyValue(value: string | number | null): string {
  if (value === null) return '\\N';
  return String(value).replace(/[\\\t\n\r]/g, (c) => (c === '\\' ? '\\\\' : c === '\t' ? '\\t' : c === '\n' ? '\\n' : '\\r'));
}

function copyLine(batchId: string, row: ImportRow): string {
  return (
    [
      batchId,
      row.line,
      row.email,
      row.websiteCode,
      row.storeViewCode,
      row.firstName,
      row.lastName,
      row.locale,
      row.passwordHash,
      row.createdAt,
    ]
      .map(copyValue)
      .join('\t') + '\n'
  );
}

function csvField(value: string | number): string {
  const text = String(value);
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/** 52 bits of SHA-1 of the website and email: the in-file duplicate check in a few bytes per row. */
function rowKey(row: ImportRow): number {
  const digest = createHash('sha1').update(row.websiteCode).update('\0').update(row.email).digest();
  return digest.readUIntBE(0, 6) * 16 + (digest[6] >> 4);
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

    const seen = new Map<number, number>();
    let batch: ImportRow[] = [];
    const flush = async (): Promise<void> => {
      if (batch.length === 0) return;
      const written = await writeBatch(client, batch, scope, options.dryRun);
      summary.imported += written;
      summary.skipped += batch.length - written;
      batch = [];
    };

    let bytesRead = 0;
    const text = fileText(options.file, (bytes) => (bytesRead = bytes));
    for await (const parsed of parseImportRows(options.format, text, stores, options.website)) {
      if (!parsed.ok) {
        await recordError(parsed.error);
        continue;
      }
      const key = rowKey(parsed.row);
      const first = seen.get(key);
      if (first !== undefined) {
        await recordError({
          line: parsed.row.line,
          email: parsed.row.email,
          reason: `duplicate email in the file (first on line ${first})`,
        });
        continue;
      }
      seen.set(key, parsed.row.line);
      batch.push(parsed.row);
      if (batch.length >= (options.batchSize ?? DEFAULT_BATCH)) {
        await flush();
        onProgress(bytesRead, totalBytes);
      }
    }
    await flush();
    onProgress(totalBytes, totalBytes);
  } finally {
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
