import { INPUT_LIMITS } from '@customer-access/common';
import { supportedLocales } from '@customer-access/i18n/catalogues';
import { storableLocaleTag } from '@customer-access/i18n/locales';
import { identify, UnsupportedHashFormatError } from '../legacy-hashes';
import { normalizeEmail } from '../normalize-email';
import { NO_USABLE_PASSWORD } from '../no-usable-password';
import { CsvRecord, CsvRecordParser } from './csv-records';
import { isValidEmail } from '../valid-email';

export type ImportFormat = 'magento' | 'ndjson';
export const IMPORT_FORMATS: readonly ImportFormat[] = ['magento', 'ndjson'];

/** A row ready to be written (values normalized as at registration). */
export interface ImportRow {
  line: number;
  email: string;
  websiteCode: string;
  storeViewCode: string;
  firstName: string;
  lastName: string;
  locale: string;
  /** The hash as the old system stored it, or {@link NO_USABLE_PASSWORD}. */
  passwordHash: string;
  /** ISO 8601, or null for now. */
  createdAt: string | null;
}

/** A row that cannot be imported: its line, the email when one could be read, and why. Never the hash. */
export interface RowError {
  line: number;
  email: string;
  reason: string;
}

export type ParsedRow = { ok: true; row: ImportRow } | { ok: false; error: RowError };

/** The websites and store views rows may name, read once before the import. */
export interface ImportStores {
  /** Store view code → its website and locale (null: the default locale). */
  storeViews: ReadonlyMap<string, { websiteCode: string; locale: string | null }>;
  /** Website code → the store view its rows go to when they name none (`default` when it is the website's, else the first). */
  defaultStoreView: ReadonlyMap<string, string>;
  defaultLocale: string;
}

/** The fields one source row gives, before checking (undefined: the column or key is absent). */
interface RawRow {
  email?: unknown;
  website?: unknown;
  storeView?: unknown;
  firstName?: unknown;
  lastName?: unknown;
  locale?: unknown;
  passwordHash?: unknown;
  createdAt?: unknown;
}

/** The columns of Magento 2's "Customers Main File" export that the import reads; the others are ignored. */
const MAGENTO_COLUMNS = {
  email: 'email',
  website: '_website',
  storeView: '_store',
  firstName: 'firstname',
  lastName: 'lastname',
  passwordHash: 'password_hash',
  createdAt: 'created_at',
} as const;

/** The longest NDJSON line read; a longer one is a row error (memory stays bounded). */
export const MAX_NDJSON_LINE = 64 * 1024;

/** A source file that cannot be read as its format says (no header, no email column): the import stops. */
export class ImportFileError extends Error {}

/**
 * The rows of a source, checked one by one (docs/importing.md): email normalized and valid, names
 * present, the website and store view known, the hash of a supported format within the work-factor
 * limits (or absent: no usable password), created_at a date. Duplicates inside the file are the
 * caller's business (they need the whole file).
 */
export async function* parseImportRows(
  format: ImportFormat,
  text: AsyncIterable<string>,
  stores: ImportStores,
  forcedWebsite?: string,
): AsyncGenerator<ParsedRow> {
  for await (const rows of parseImportChunks(format, text, stores, forcedWebsite)) yield* rows;
}

/**
 * {@link parseImportRows} a piece of text at a time: the rows each piece completes, checked, in one
 * array. The import reads this way: the rows of a 256 KiB piece are parsed and checked in one go,
 * without an awaited step (a promise, a microtask) per row.
 */
export async function* parseImportChunks(
  format: ImportFormat,
  text: AsyncIterable<string>,
  stores: ImportStores,
  forcedWebsite?: string,
): AsyncGenerator<ParsedRow[]> {
  const check = (line: number, raw: RawRow, typed: boolean) => checkRow(line, raw, typed, stores, forcedWebsite);
  if (format === 'ndjson') {
    for await (const { line, text: json, error } of ndjsonLines(text)) {
      yield [error ? fail(line, '', error) : check(line, ndjsonRow(json), true)];
    }
    return;
  }
  const parser = new CsvRecordParser();
  const records = new MagentoRecords(stores, forcedWebsite);
  for await (const chunk of text) yield records.rows(parser.push(chunk));
  yield records.rows(parser.end());
  records.ended();
}

/** The Magento columns the import reads, by name, and where the header has them. */
export type MagentoColumns = Partial<Record<keyof typeof MAGENTO_COLUMNS, number>>;

/**
 * A Magento CSV's records as rows: the first record is the header (an ImportFileError when it lacks
 * an email column), each later one a row, checked ({@link checkRow}), or its error.
 */
export class MagentoRecords {
  /** The header's column names (trimmed, lower-cased), once read. */
  header: string[] | undefined;
  /** Where the header has each column the import reads, once read. */
  index: MagentoColumns = {};
  private columns: [keyof RawRow, number][] = [];

  constructor(
    private readonly stores: ImportStores,
    private readonly forcedWebsite?: string,
  ) {}

  rows(records: CsvRecord[]): ParsedRow[] {
    const rows: ParsedRow[] = [];
    for (const record of records) {
      if (!this.header) {
        this.header = record.fields.map((name) => name.trim().toLowerCase());
        this.index = magentoHeader(record, this.header);
        this.columns = Object.entries(this.index) as [keyof RawRow, number][];
        continue;
      }
      if (record.error) {
        rows.push(fail(record.line, '', record.error));
        continue;
      }
      const shapeError = recordShapeError(record, this.header.length);
      if (shapeError) {
        rows.push(fail(record.line, '', shapeError));
        continue;
      }
      const raw: RawRow = {};
      for (const [key, at] of this.columns) raw[key] = record.fields[at];
      rows.push(checkRow(record.line, raw, false, this.stores, this.forcedWebsite));
    }
    return rows;
  }

  /** At the end of the file: an ImportFileError if it held no header. */
  ended(): void {
    if (!this.header) throw new ImportFileError('the file is empty: a Magento customers file starts with its header row');
  }
}

function magentoHeader(record: CsvRecord, header: string[]): MagentoColumns {
  if (record.error) throw new ImportFileError(`the header row cannot be read: ${record.error}`);
  const index: MagentoColumns = {};
  for (const [key, column] of Object.entries(MAGENTO_COLUMNS) as [keyof typeof MAGENTO_COLUMNS, string][]) {
    const at = header.indexOf(column);
    if (at >= 0) index[key] = at;
  }
  if (index.email === undefined) {
    const other = header.length === 1 ? otherDelimiter(header[0]) : undefined;
    throw new ImportFileError(
      other
        ? `the header row is separated by "${other}", not commas: a Magento export is comma-separated`
        : 'the header row has no "email" column: not a Magento 2 "Customers Main File" export',
    );
  }
  return index;
}

function otherDelimiter(text: string): string | undefined {
  return [';', '\t', '|'].find((d) => text.includes(d))?.replace('\t', 'tab');
}

function recordShapeError(record: CsvRecord, columns: number): string | undefined {
  const count = record.fields.length;
  if (count === columns) return undefined;
  const other = count === 1 ? otherDelimiter(record.fields[0]) : undefined;
  if (other) return `wrong delimiter: the row is separated by "${other}", not commas`;
  return count < columns
    ? `truncated row: ${count} of the header's ${columns} columns`
    : `the row has ${count} columns, the header ${columns} (an unquoted comma?)`;
}

const BAD_JSON = Symbol.for('bad-json');
const NOT_OBJECT = Symbol.for('not-object');

function ndjsonRow(json: string): RawRow {
  let value: unknown;
  try {
    value = JSON.parse(json);
  } catch {
    return { email: BAD_JSON };
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return { email: NOT_OBJECT };
  return value as RawRow;
}

const fail = (line: number, email: string, reason: string): ParsedRow => ({ ok: false, error: { line, email, reason } });

function text(value: unknown): string | undefined {
  if (value === undefined || value === null) return undefined;
  return typeof value === 'string' ? value : undefined;
}

export const MAGENTO_TIME = /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/;

/** A MAGENTO_TIME whose day is at most 28 and hour at most 23, in a year from 1000 (toISOString's plain form). */
function unnormalized(time: string): boolean {
  const day = 10 * (time.charCodeAt(8) - 48) + time.charCodeAt(9) - 48;
  const hour = 10 * (time.charCodeAt(11) - 48) + time.charCodeAt(12) - 48;
  return day <= 28 && hour <= 23 && time.charCodeAt(0) !== 48;
}

function checkName(name: string, value: string): string | undefined {
  if (value === '') return `the ${name} is empty`;
  if (value.length > INPUT_LIMITS.name) return `the ${name} is longer than ${INPUT_LIMITS.name} characters`;
  return undefined;
}

function checkRow(line: number, raw: RawRow, typed: boolean, stores: ImportStores, forcedWebsite?: string): ParsedRow {
  if (raw.email === BAD_JSON) return fail(line, '', 'not valid JSON');
  if (raw.email === NOT_OBJECT) return fail(line, '', 'not a JSON object');
  if (typed) {
    // A CSV row's fields are all text; an NDJSON object's may be anything.
    for (const key in raw) {
      const value = raw[key as keyof RawRow];
      if (value !== undefined && value !== null && typeof value !== 'string') return fail(line, '', `${key} is not a string`);
    }
  }
  const rawEmail = text(raw.email)?.trim() ?? '';
  if (rawEmail === '') return fail(line, '', 'the email is empty');
  const email = normalizeEmail(rawEmail);
  if (email.length > INPUT_LIMITS.email || !isValidEmail(email))
    return fail(line, rawEmail.slice(0, INPUT_LIMITS.email), 'not a valid email address');

  const firstName = text(raw.firstName)?.trim() ?? '';
  const lastName = text(raw.lastName)?.trim() ?? '';
  const nameError = checkName('first name', firstName) ?? checkName('last name', lastName);
  if (nameError) return fail(line, email, nameError);

  const websiteCode = forcedWebsite ?? (text(raw.website)?.trim() || 'base');
  const fallbackView = stores.defaultStoreView.get(websiteCode);
  if (!fallbackView) return fail(line, email, `unknown website "${websiteCode.slice(0, 64)}"`);
  let storeViewCode = text(raw.storeView)?.trim() || fallbackView;
  const view = stores.storeViews.get(storeViewCode);
  if (!view) return fail(line, email, `unknown store view "${storeViewCode.slice(0, 64)}"`);
  if (view.websiteCode !== websiteCode) {
    // --website moves every row into that website; otherwise a store view of another website is an error.
    if (!forcedWebsite) return fail(line, email, `store view "${storeViewCode}" is not in website "${websiteCode}"`);
    storeViewCode = fallbackView;
  }

  const rawLocale = text(raw.locale)?.trim();
  const locale =
    (rawLocale ? storableLocaleTag(rawLocale, supportedLocales()) : undefined) ??
    stores.storeViews.get(storeViewCode)?.locale ??
    stores.defaultLocale;
  if (rawLocale && !storableLocaleTag(rawLocale, supportedLocales()))
    return fail(line, email, 'locale is not a language tag such as en or zh-CN');

  const hash = text(raw.passwordHash)?.trim() ?? '';
  let passwordHash = NO_USABLE_PASSWORD;
  if (hash !== '') {
    try {
      identify(hash);
      passwordHash = hash;
    } catch (error) {
      if (error instanceof UnsupportedHashFormatError)
        return fail(line, email, `password hash refused (${error.reason}): ${error.message}`);
      throw error;
    }
  }

  const rawCreated = text(raw.createdAt)?.trim() ?? '';
  let createdAt: string | null = null;
  if (rawCreated !== '') {
    // Magento writes "2024-01-31 09:15:00" in UTC; NDJSON may carry any ISO 8601 time.
    const magento = MAGENTO_TIME.test(rawCreated);
    const iso = magento ? `${rawCreated.slice(0, 10)}T${rawCreated.slice(11)}.000Z` : rawCreated;
    const time = Date.parse(iso);
    if ((!magento && !/^\d{4}-\d{2}-\d{2}/.test(rawCreated)) || Number.isNaN(time)) return fail(line, email, 'created_at is not a date');
    // A Magento time that Date.parse cannot have carried over (a day up to the 28th, an hour before
    // 24) is already what toISOString would write; any other goes the long way (30 February is 1 March).
    createdAt = magento && unnormalized(rawCreated) ? iso : new Date(time).toISOString();
  }

  return { ok: true, row: { line, email, websiteCode, storeViewCode, firstName, lastName, locale, passwordHash, createdAt } };
}

/** Lines of NDJSON text (LF or CRLF), numbered from 1, blank ones skipped, a too long one an error. */
export async function* ndjsonLines(chunks: AsyncIterable<string>): AsyncGenerator<{ line: number; text: string; error?: string }> {
  let buffer = '';
  let line = 1;
  let tooLong = false;
  let first = true;
  const emit = function* (piece: string): Generator<{ line: number; text: string; error?: string }> {
    const textLine = piece.endsWith('\r') ? piece.slice(0, -1) : piece;
    if (tooLong || textLine.length > MAX_NDJSON_LINE)
      yield { line, text: '', error: `the line is longer than ${MAX_NDJSON_LINE} characters` };
    else if (textLine.trim() !== '') yield { line, text: textLine };
    tooLong = false;
    line++;
  };
  for await (let chunk of chunks) {
    if (first && chunk.length > 0) {
      first = false;
      if (chunk.charCodeAt(0) === 0xfeff) chunk = chunk.slice(1);
    }
    let start = 0;
    for (let at = chunk.indexOf('\n'); at >= 0; at = chunk.indexOf('\n', start)) {
      const piece = buffer + chunk.slice(start, at);
      buffer = '';
      yield* emit(piece);
      start = at + 1;
    }
    if (!tooLong) buffer += chunk.slice(start);
    if (buffer.length > MAX_NDJSON_LINE) {
      tooLong = true;
      buffer = '';
    }
  }
  if (buffer !== '' || tooLong) yield* emit(buffer);
}
