import { createWriteStream, existsSync, rmSync, statSync, WriteStream } from 'node:fs';
import { once } from 'node:events';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { Client } from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { clientRows } from '@customer-access/database/sql';
import { COPY_INTO_CUSTOMER, CustomerImportSql } from './customer-import.queries';
import { PreparedCopy, stampNow, withoutRows } from './import-batch';
import { ImportFileError, ImportFormat, ImportStores, RowError } from './import-rows';
import { batchAddresses, ReadOptions, ReadPiece, ReadyBatch, readBatches } from './read-batches';
import { BatchesFromPort } from './read-batches-port';

export { pgMicros } from './import-batch';
export { FirstLines } from './first-lines';
export { TimeOrderedIds } from './time-ordered-ids';

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
 * Connections writing batches side by side. One backend's COPY into `customer` (its indexes, its
 * WAL) costs more CPU a row than the whole reading on the worker thread; two spread it over two
 * cores (docs/performance.md, "Import, eighth round").
 */
const WRITERS = 2;

function csvField(value: string | number): string {
  const text = String(value);
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/**
 * customers:import (docs/importing.md): streams the file, checks each row, and writes the good ones
 * in batches, each in one transaction: one select finds the batch's addresses that already have an
 * account (skipped), and the others are COPYed straight into customer. A batch is written whole or
 * not at all, so a killed import rerun gives the same result as one clean run, and importing the
 * same file twice adds nothing. Bad rows go to `F.errors.csv` with their line number and reason;
 * they never stop the rest. The file is read on a worker thread (read-batches-port.ts) when the
 * import runs from the compiled build, on this thread otherwise (the TypeScript sources, in tests).
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
  // Started first: the thread loads its modules while the connection opens.
  const worker = READER_WORKER ? new Worker(READER_WORKER) : null;
  const fromWorker = worker ? new BatchesFromPort(worker) : null;
  const clients = Array.from(
    { length: WRITERS },
    () => new Client({ connectionString: databaseUrl, application_name: 'customers:import' }),
  );
  const connected = await Promise.allSettled(clients.map((c) => c.connect()));
  const refused = connected.find((r): r is PromiseRejectedResult => r.status === 'rejected');
  if (refused) {
    await worker?.terminate();
    await Promise.all(clients.filter((_, i) => connected[i].status === 'fulfilled').map((c) => c.end().catch(() => undefined)));
    throw refused.reason;
  }
  const errorsPath = `${options.file}.errors.csv`;
  let errorsOut: WriteStream | null = null;
  const summary: ImportSummary = { imported: 0, skipped: 0, failed: 0, seconds: 0, errorsFile: null, firstErrors: [] };
  // Each connection's batch being written (resolved when it is idle).
  const writing: Promise<void>[] = clients.map(() => Promise.resolve());
  let failed = false;
  try {
    const { stores, scope } = await readStores(clients[0]);
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

    const read: ReadOptions = {
      file: options.file,
      format: options.format,
      stores,
      scope,
      website: options.website,
      dryRun: options.dryRun,
      batchSize: Math.min(options.batchSize ?? DEFAULT_BATCH, scope === 'global' ? GLOBAL_SCOPE_BATCH : Infinity),
      fileBytes: totalBytes,
    };
    const pieces: AsyncIterable<ReadPiece> = fromWorker?.start(read) ?? readBatches(read);
    const mode: WriteMode = { unchecked: true };
    let bytesRead = 0;
    // Each batch goes to the first connection that is free, in its own transaction, so that two backends
    // write side by side while the next batches are read and checked (a batch that takes longer on one
    // connection does not hold the next one back while the other is idle). Once any batch has failed, no
    // further batch starts and the import ends with that error.
    const idle: boolean[] = clients.map(() => true);
    const flush = async (batch: ReadyBatch): Promise<void> => {
      while (!idle.includes(true)) await Promise.race(writing.map((w) => w.catch(() => undefined)));
      if (failed) await Promise.all(writing); // throws the failure of the other connection's batch
      const w = idle.indexOf(true);
      idle[w] = false;
      const written = writeBatch(clients[w], batch, scope, options.dryRun, mode)
        .then((n) => {
          summary.imported += n;
          summary.skipped += batch.length - n;
          fromWorker?.written();
          onProgress(bytesRead, totalBytes);
        })
        .finally(() => {
          idle[w] = true;
        });
      // Awaited when a batch waits for a free connection, or at the end; not an unhandled rejection meanwhile.
      written.catch(() => {
        failed = true;
      });
      writing[w] = written;
    };
    for await (const piece of pieces) {
      bytesRead = piece.bytesRead;
      for (const error of piece.errors) await recordError(error);
      for (const batch of piece.batches) await flush(batch);
    }
    await Promise.all(writing);
    onProgress(totalBytes, totalBytes);
  } finally {
    await Promise.allSettled(writing); // a failure must not close a connection under a batch
    await worker?.terminate();
    const out = errorsOut as WriteStream | null;
    if (out) {
      out.end();
      await once(out, 'close');
    }
    await Promise.all(clients.map((c) => c.end()));
  }
  summary.seconds = Number(process.hrtime.bigint() - started) / 1e9;
  return summary;
}

/**
 * The reader's worker thread, compiled beside this module; null when this module runs from its
 * TypeScript source (ts-jest), where a worker could not load the .ts file: the file is then read on
 * this thread, by the same code (readBatches).
 */
const READER_WORKER: string | null = ((file) => (existsSync(file) ? file : null))(join(__dirname, 'read-batches-worker.js'));

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
async function writeBatch(client: Client, batch: ReadyBatch, scope: string, dryRun: boolean, mode: WriteMode): Promise<number> {
  for (let attempt = 1; ; attempt++) {
    // Under global scope the constraint (per website) does not cover another website's account, and
    // the batch takes the addresses' locks first: always checked.
    const unchecked = mode.unchecked && scope !== 'global' && !dryRun;
    await client.query('begin');
    try {
      const [{ nowMicros }] = await clientRows(client, CustomerImportSql.startBatch());
      let skip: Uint8Array | null = null;
      let fresh = batch.length;
      if (!unchecked) {
        const { emails, websiteCodes } = batchAddresses(batch);
        if (scope === 'global' && !dryRun) await clientRows(client, CustomerImportSql.lockEmails(emails));
        const existing = await clientRows(client, CustomerImportSql.existing(emails, websiteCodes, scope));
        if (dryRun) {
          await client.query('rollback');
          return batch.length - existing.length;
        }
        mode.unchecked = existing.length === 0;
        if (existing.length > 0) {
          // `existing` numbers the rows in the order of the COPY data (address order), from 1.
          skip = new Uint8Array(batch.length);
          for (const { n } of existing) skip[n - 1] = 1;
          fresh -= existing.length;
        }
      }
      // In address order: the (email, website_code) index then takes the batch's entries in order, on
      // pages it has just touched, instead of all over the index (about a fifth less backend CPU a row).
      if (fresh > 0) {
        const data = stampNow(batch.copy as PreparedCopy, Number(nowMicros));
        await copyCustomers(client, skip ? withoutRows(data, skip) : data);
      }
      await client.query('commit');
      return fresh;
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
