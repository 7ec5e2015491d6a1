import { UniqueConstraintViolationException } from '@mikro-orm/core';
import { EntityManager } from '@mikro-orm/postgresql';
import { Injectable } from '@nestjs/common';
import { DomainError, ErrorCode, Messages } from '@customer-access/common';
import { Customer } from './customer.entity';
import { CustomerContact, customerContactFromRow, CustomerContactRow, customerContactSql } from './customer.queries';

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
        throw new DomainError(ErrorCode.EmailTaken, Messages.emailTaken, { messageKey: 'api.emailTaken' });
      }
      throw error;
    }
    return customer;
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
