export { BreachedPasswordCheck } from './breached-passwords/breached-password-check';
export { breachedSuffixes, pwnedHashParts } from './breached-passwords/pwned-range';
export { CustomerCredentials } from './customer-credentials';
export { Customer, type CustomerView, toCustomerView } from './customer.entity';
export { type CustomerProfile, CustomerRepository, type NewCustomer } from './customer.repository';
export {
  type CustomerContact,
  customerContactFromRow,
  type CustomerContactRow,
  type CustomerSelector,
  CustomerSql,
} from './customer.queries';
export { CustomersModule } from './customers.module';
export { CustomersService, type FieldChange, type RegisterCustomerInput, type RegistrationStore } from './customers.service';
export { normalizeEmail } from './normalize-email';
export { isValidEmail } from './valid-email';
export { ARGON2_OPTIONS, NO_USABLE_PASSWORD, PasswordHasher } from './password-hasher';
export { type CsvRecord, CsvRecordParser, csvRecords, MAX_CSV_FIELD_LENGTH } from './import/csv-records';
export {
  IMPORT_FORMATS,
  ImportFileError,
  type ImportFormat,
  type ImportRow,
  type ImportStores,
  ndjsonLines,
  parseImportRows,
  type RowError,
} from './import/import-rows';
export { exportCustomers, type ExportOptions } from './import/customer-export';
export { inviteCustomers, type InviteOptions } from './import/customer-invitations';
export { importCustomers, type ImportOptions, type ImportProgress, type ImportSummary } from './import/customer-import';
export { normalizePassword } from './normalize-password';
export { PasswordPolicy, type PolicyViolation } from './password-policy';
export {
  identify as identifyLegacyHash,
  type LegacyAlgorithm,
  UnsupportedHashFormatError,
  type UnsupportedReason,
  verify as verifyLegacyHash,
  WORK_FACTOR_LIMITS,
} from './legacy-hashes';
