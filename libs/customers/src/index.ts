export { Customer, CustomerView, toCustomerView } from './customer.entity';
export { CustomerProfile, CustomerRepository, NewCustomer } from './customer.repository';
export { CustomerContact, customerContactFromRow, CustomerContactRow, CustomerSelector, CustomerSql } from './customer.queries';
export { CustomersModule } from './customers.module';
export { CustomersService, FieldChange, RegisterCustomerInput } from './customers.service';
export { normalizeEmail } from './normalize-email';
export { ARGON2_OPTIONS, PasswordHasher } from './password-hasher';
export { normalizePassword } from './normalize-password';
export { PasswordPolicy, PolicyViolation } from './password-policy';
