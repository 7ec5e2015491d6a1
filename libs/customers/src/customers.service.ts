import { EntityManager } from '@mikro-orm/postgresql';
import { Injectable } from '@nestjs/common';
import { DomainError, ErrorCode, Messages } from '@customer-access/common';
import { storableLocaleTag, supportedLocales } from '@customer-access/i18n';
import { SettingsService } from '@customer-access/settings';
import { BreachedPasswordCheck } from './breached-passwords/breached-password-check';
import { Customer } from './customer.entity';
import { CustomerProfile, CustomerRepository, NewCustomer } from './customer.repository';
import { normalizeEmail } from './normalize-email';
import { PasswordHasher } from './password-hasher';
import { PasswordPolicy } from './password-policy';

/** The store view a registration comes through: the account's website and store view, and its fallback language. */
export interface RegistrationStore {
  code: string;
  websiteCode: string;
  locale: string;
}

export interface RegisterCustomerInput {
  email: string;
  password: string;
  firstName: string;
  lastName: string;
  locale?: string;
}

/** One changed field of an edit: what it was and what it became. */
export interface FieldChange {
  field: keyof CustomerProfile;
  from: string;
  to: string;
}

const PROFILE_FIELDS = ['firstName', 'lastName', 'email', 'locale'] as const satisfies readonly (keyof CustomerProfile)[];

@Injectable()
export class CustomersService {
  constructor(
    private readonly customers: CustomerRepository,
    private readonly hasher: PasswordHasher,
    private readonly policy: PasswordPolicy,
    private readonly settings: SettingsService,
    private readonly breached: BreachedPasswordCheck,
  ) {}

  /**
   * A new account in the store view's website. The email is unique per website (the table's unique
   * index); with accountSharingScope = global, an account of the address in any website refuses it too.
   */
  async register(input: RegisterCustomerInput, store?: RegistrationStore): Promise<Customer> {
    const settings = this.settings.current();
    this.policy.assertAcceptable(input.password, settings);
    const normalizedEmail = normalizeEmail(input.email);
    const global = settings.accountSharingScope === 'global';
    // A cheap early answer; under global scope the insert below decides again, under the address's lock.
    if (global && (await this.customers.findByEmail(normalizedEmail, null))) {
      throw new DomainError(ErrorCode.EmailTaken, Messages.emailTaken, { messageKey: 'api.emailTaken' });
    }
    await this.breached.assertNotBreached(input.password, settings.breachedPasswordCheck);
    const insert = (data: NewCustomer) => (global ? this.customers.insertIfEmailFree(data) : this.customers.insert(data));
    return insert({
      email: normalizedEmail,
      websiteCode: store?.websiteCode ?? 'base',
      storeViewCode: store?.code ?? 'default',
      passwordHash: await this.hasher.hash(input.password),
      firstName: input.firstName.trim(),
      lastName: input.lastName.trim(),
      // BCP 47 as stored (zh_CN → zh-CN); without one, the store's default language.
      locale: storableLocaleTag(input.locale, supportedLocales()) ?? store?.locale ?? settings.defaultLocale,
    });
  }

  /**
   * An admin's edit of the account fields. Values are normalized as at registration (email folded,
   * names trimmed, locale stored as BCP 47); only fields whose stored value changes are written and
   * returned, each with its old and new value. The email stays unique → EMAIL_TAKEN: within the
   * customer's website by the table's unique index, and under accountSharingScope = global in every
   * website (checked under the address's lock, as at registration).
   * Pass the transaction the caller records the change in.
   */
  async updateProfile(customer: Customer, input: Partial<CustomerProfile>, em: EntityManager): Promise<FieldChange[]> {
    const wanted: Partial<CustomerProfile> = {
      email: input.email === undefined ? undefined : normalizeEmail(input.email),
      firstName: input.firstName?.trim(),
      lastName: input.lastName?.trim(),
      locale: input.locale === undefined ? undefined : storableLocaleTag(input.locale, supportedLocales()),
    };
    if (input.locale !== undefined && wanted.locale === undefined) {
      throw new DomainError(ErrorCode.Validation, 'locale must be a language tag such as en or zh-CN');
    }
    for (const name of ['firstName', 'lastName'] as const) {
      if (wanted[name] === '') throw new DomainError(ErrorCode.Validation, `${name} must not be blank`);
    }
    const changes: FieldChange[] = [];
    for (const field of PROFILE_FIELDS) {
      const to = wanted[field];
      if (to !== undefined && to !== customer[field]) changes.push({ field, from: customer[field], to });
    }
    const newEmail = changes.find((c) => c.field === 'email')?.to;
    // The unique index covers one website only; under global scope the address must be free in all.
    // The scope is the one committed in the database, read under the scope lock (as at registration).
    if (newEmail && (await this.customers.sharingScopeIsGlobal(em))) {
      await this.customers.assertEmailFreeInAnyWebsite(newEmail, em);
    }
    if (changes.length > 0) {
      await this.customers.updateProfile(customer.id, Object.fromEntries(changes.map((c) => [c.field, c.to])), em);
    }
    return changes;
  }

  /** Lifts a sign-in lockout in the caller's transaction. Returns whether the account was locked. */
  async unlock(customer: Customer, em: EntityManager): Promise<boolean> {
    const wasLocked = customer.lockedUntil !== null && customer.lockedUntil.getTime() > Date.now();
    await this.customers.unlock(customer.id, em);
    return wasLocked;
  }

  findById(id: string): Promise<Customer | null> {
    return this.customers.findById(id);
  }
}
