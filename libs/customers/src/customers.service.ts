import { Injectable } from '@nestjs/common';
import { storableLocaleTag, supportedLocales } from '@customer-access/i18n';
import { SettingsService } from '@customer-access/settings';
import { Customer } from './customer.entity';
import { CustomerRepository } from './customer.repository';
import { normalizeEmail } from './normalize-email';
import { PasswordHasher } from './password-hasher';
import { PasswordPolicy } from './password-policy';

export interface RegisterCustomerInput {
  email: string;
  password: string;
  firstName: string;
  lastName: string;
  locale?: string;
}

@Injectable()
export class CustomersService {
  constructor(
    private readonly customers: CustomerRepository,
    private readonly hasher: PasswordHasher,
    private readonly policy: PasswordPolicy,
    private readonly settings: SettingsService,
  ) {}

  async register(input: RegisterCustomerInput): Promise<Customer> {
    this.policy.assertAcceptable(input.password, this.settings.current());
    return this.customers.insert({
      email: normalizeEmail(input.email),
      passwordHash: await this.hasher.hash(input.password),
      firstName: input.firstName.trim(),
      lastName: input.lastName.trim(),
      // BCP 47 as stored (zh_CN → zh-CN); without one, the store's default language.
      locale: storableLocaleTag(input.locale, supportedLocales()) ?? this.settings.current().defaultLocale,
    });
  }

  findById(id: string): Promise<Customer | null> {
    return this.customers.findById(id);
  }
}
