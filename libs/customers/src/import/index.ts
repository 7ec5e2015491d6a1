/**
 * customers:import and customers:export without the rest of the lib (no Nest, no ORM): the CLI
 * loads this entry alone, so an import starts in a fraction of the time and memory the whole
 * `@customer-access/customers` takes. The same names are exported by the lib's main index.
 */
export { type CsvRecord, CsvRecordParser, csvRecords, MAX_CSV_FIELD_LENGTH } from './csv-records';
export {
  IMPORT_FORMATS,
  ImportFileError,
  type ImportFormat,
  type ImportRow,
  type ImportStores,
  ndjsonLines,
  parseImportRows,
  type RowError,
} from './import-rows';
export { exportCustomers, type ExportOptions } from './customer-export';
export { FirstLines, importCustomers, type ImportOptions, type ImportProgress, type ImportSummary } from './customer-import';
