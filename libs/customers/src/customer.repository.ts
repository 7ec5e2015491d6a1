import { UniqueConstraintViolationException } from '@mikro-orm/core';
import { EntityManager } from '@mikro-orm/postgresql';
import { Injectable } from '@nestjs/common';
import { DomainError, ErrorCode, Messages } from '@customer-access/common';
import { Customer } from './customer.entity';
import { CustomerContact, customerContactFromRow, CustomerContactRow, customerContactSql } from './customer.queries';

/** The account fields an admin may change (Account Information). */
export interface CustomerProfile {
  email: string;
  firstName: string;
  lastName: string;
  locale: string;
}

export interface NewCustomer {
  email: string;
  passwordHash: string;
  firstName: string;
  lastName: string;
  locale: string;
}

/** The only door to the customer table. `em` parameters let callers join their transaction. */
@Injectable()
export class CustomerRepository {
  constructor(private readonly em: EntityManager) {}

  findByEmail(normalizedEmail: string): Promise<Customer | null> {
    return this.em.fork().findOne(Customer, { email: normalizedEmail });
  }

  findById(id: string): Promise<Customer | null> {
    return this.em.fork().findOne(Customer, { id });
  }

  /** The worker's read before an email: one plain statement, no entity (see customerContactSql). */
  async findContactById(id: string): Promise<CustomerContact | null> {
    const query = customerContactSql({ id });
    const rows = await this.em.execute<CustomerContactRow[]>(query.text, [...query.params]);
    return rows[0] ? customerContactFromRow(rows[0]) : null;
  }

  async insert(data: NewCustomer): Promise<Customer> {
    const em = this.em.fork();
    const customer = Object.assign(new Customer(), data);
    try {
      await em.persistAndFlush(customer);
    } catch (error) {
      if (error instanceof UniqueConstraintViolationException) {
        throw emailTaken();
      }
      throw error;
    }
    return customer;
  }

  /**
   * Writes changed profile fields in the caller's transaction. The email's unique index decides
   * between two concurrent changes to one address: the loser gets EMAIL_TAKEN, never a 500.
   */
  async updateProfile(customerId: string, changes: Partial<CustomerProfile>, em: EntityManager = this.em): Promise<void> {
    try {
      await em.nativeUpdate(Customer, { id: customerId }, { ...changes, updatedAt: new Date() });
    } catch (error) {
      if (error instanceof UniqueConstraintViolationException) throw emailTaken();
      throw error;
    }
  }

  /** Lifts a sign-in lockout and forgets the failures counted so far. */
  async unlock(customerId: string, em: EntityManager = this.em): Promise<void> {
    await em.nativeUpdate(Customer, { id: customerId }, { lockedUntil: null, failedLoginCount: 0, updatedAt: new Date() });
  }

  /**
   * Counts a failed sign-in in one statement (no lost updates between instances). Reaching the
   * threshold locks the account and restarts the count for after the lock.
   */
  async recordFailedLogin(customerId: string, lockoutFailures: number, lockoutMinutes: number): Promise<void> {
    await this.em.execute(
      `update customer set
         locked_until = case when failed_login_count + 1 >= ? then now() + ? * interval '1 minute' else locked_until end,
         failed_login_count = case when failed_login_count + 1 >= ? then 0 else failed_login_count + 1 end,
         updated_at = now()
       where id = ?`,
      [lockoutFailures, lockoutMinutes, lockoutFailures, customerId],
    );
  }

  async clearFailedLogins(customerId: string): Promise<void> {
    await this.em.execute('update customer set failed_login_count = 0, updated_at = now() where id = ? and failed_login_count > 0', [
      customerId,
    ]);
  }

  // A password reset's new hash is written by setPasswordSql (customer.queries.ts), inside the one
  // statement that completes a reset (libs/password-reset, BENCHMARKS.md).
}

const emailTaken = () => new DomainError(ErrorCode.EmailTaken, Messages.emailTaken, { messageKey: 'api.emailTaken' });
