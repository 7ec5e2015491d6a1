/**
 * customers:import and customers:export without the rest of the lib (no Nest, no ORM): the CLI
 * loads this entry alone, so an import starts in a fraction of the time and memory the whole
 * `@customer-access/customers` takes. The same names are exported by the lib's main index.
 */
export { CsvRecord, CsvRecordParser, csvRecords, MAX_CSV_FIELD_LENGTH } from './csv-records';
export {
  IMPORT_FORMATS,
  ImportFileError,
  ImportFormat,
  ImportRow,
  ImportStores,
  ndjsonLines,
  parseImportRows,
  RowError,
} from './import-rows';
export { exportCustomers, ExportOptions } from './customer-export';
export { FirstLines, importCustomers, ImportOptions, ImportProgress, ImportSummary } from './customer-import';
