export { BreachedPasswordCheck, BreachedPasswordCheckDeps } from './breached-passwords/breached-password-check';
export { breachedSuffixes, pwnedHashParts } from './breached-passwords/pwned-range';
export { CustomerCredentials } from './customer-credentials';
export { Customer, CustomerView, toCustomerView } from './customer.entity';
export { CustomerProfile, CustomerRepository, NewCustomer } from './customer.repository';
export { CustomerContact, customerContactFromRow, CustomerContactRow, CustomerSelector, CustomerSql } from './customer.queries';
export { CustomersModule } from './customers.module';
export { CustomersService, FieldChange, RegisterCustomerInput, RegistrationStore } from './customers.service';
export { normalizeEmail } from './normalize-email';
export { isValidEmail } from './valid-email';
export { ARGON2_OPTIONS, NO_USABLE_PASSWORD, PasswordHasher } from './password-hasher';
export { CsvRecord, CsvRecordParser, csvRecords, MAX_CSV_FIELD_LENGTH } from './import/csv-records';
export {
  IMPORT_FORMATS,
  ImportFileError,
  ImportFormat,
  ImportRow,
  ImportStores,
  ndjsonLines,
  parseImportRows,
  RowError,
} from './import/import-rows';
export { exportCustomers, ExportOptions } from './import/customer-export';
export { inviteCustomers, InviteOptions } from './import/customer-invitations';
export { importCustomers, ImportOptions, ImportProgress, ImportSummary } from './import/customer-import';
export { normalizePassword } from './normalize-password';
export { PasswordPolicy, PolicyViolation } from './password-policy';
export {
  identify as identifyLegacyHash,
  LegacyAlgorithm,
  UnsupportedHashFormatError,
  UnsupportedReason,
  verify as verifyLegacyHash,
  WORK_FACTOR_LIMITS,
} from './legacy-hashes';
