import { randomUUID } from 'node:crypto';
import { UniqueConstraintViolationException } from '@mikro-orm/core';
import { EntityManager } from '@mikro-orm/postgresql';
import { Injectable } from '@nestjs/common';
import { DomainError, ErrorCode, Messages } from '@customer-access/common';
import { runStatement, selectRows } from '@customer-access/database';
import { Customer } from './customer.entity';
import { CustomerContact, customerContactFromRow, CustomerSql } from './customer.queries';

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
  websiteCode: string;
  storeViewCode: string;
}

/** The only door to the customer table. `em` parameters let callers join their transaction. */
@Injectable()
export class CustomerRepository {
  constructor(private readonly em: EntityManager) {}

  /** The account of this address in `websiteCode`; null website: in any website (accountSharingScope = global). */
  findByEmail(normalizedEmail: string, websiteCode: string | null = 'base'): Promise<Customer | null> {
    return this.em.fork().findOne(Customer, websiteCode === null ? { email: normalizedEmail } : { email: normalizedEmail, websiteCode }, {
      orderBy: { createdAt: 'asc' },
    });
  }

  findById(id: string): Promise<Customer | null> {
    return this.em.fork().findOne(Customer, { id });
  }

  /** The worker's read before an email: one plain statement, no entity (see CustomerSql.contact). */
  async findContactById(id: string): Promise<CustomerContact | null> {
    const rows = await selectRows(this.em, CustomerSql.contact({ id }));
    return rows[0] ? customerContactFromRow(rows[0]) : null;
  }

  /**
   * A new account, and its customer.created webhook event in the same transaction (the worker's
   * outbox sweep relays it within seconds). The rule is the account-sharing scope committed in the
   * database, read under the scope lock held shared (CustomerSql.lockSharingScopeShared), not this
   * instance's copy of the settings, which may be seconds old: within the website the unique index
   * decides; under global the address must be free in every website (as insertIfEmailFree). So a
   * registration racing the switch to global either lands before the switch's duplicate check or is
   * judged by the global rule after it.
   */
  async insert(data: NewCustomer): Promise<Customer> {
    const customer = Object.assign(new Customer(), data);
    try {
      await this.em.fork().transactional(async (tx) => {
        if (await this.sharingScopeIsGlobal(tx)) await this.assertEmailFreeInAnyWebsite(data.email, tx);
        tx.persist(customer);
        await tx.flush();
        await runStatement(tx, CustomerSql.createdEvent(customer.id, randomUUID()));
      });
    } catch (error) {
      if (error instanceof UniqueConstraintViolationException) {
        throw emailTaken();
      }
      throw error;
    }
    return customer;
  }

  /**
   * A new account only if the address has none in any website (accountSharingScope = global), decided
   * in the database: the transaction first takes the address's advisory lock (CustomerSql.lockEmail),
   * then checks and inserts, so of concurrent registrations of one address in different websites
   * exactly one wins; the others wait for the lock, then see its row → EMAIL_TAKEN. (Within one
   * website the unique index decides, as always.) With its customer.created webhook event, as insert.
   */
  async insertIfEmailFree(data: NewCustomer): Promise<Customer> {
    const customer = Object.assign(new Customer(), data);
    try {
      await this.em.fork().transactional(async (tx: EntityManager) => {
        await this.assertEmailFreeInAnyWebsite(data.email, tx);
        tx.persist(customer);
        await tx.flush();
        await runStatement(tx, CustomerSql.createdEvent(customer.id, randomUUID()));
      });
    } catch (error) {
      if (error instanceof UniqueConstraintViolationException) throw emailTaken();
      throw error;
    }
    return customer;
  }

  /**
   * Whether accountSharingScope = global is committed in the database, read in the caller's
   * transaction under the scope lock held shared until it ends (CustomerSql.lockSharingScopeShared):
   * what a registration or an email change must follow, rather than this instance's settings copy.
   */
  async sharingScopeIsGlobal(em: EntityManager): Promise<boolean> {
    await runStatement(em, CustomerSql.lockSharingScopeShared());
    const [scope] = await selectRows(em, CustomerSql.sharingScopeIsGlobal());
    return scope?.global === true;
  }

  /**
   * Under accountSharingScope = global, refuses an address that has an account in any website, in the
   * caller's transaction and under the address's advisory lock (as insertIfEmailFree), so an admin's
   * email change and a registration of the same address in another website cannot both win.
   */
  async assertEmailFreeInAnyWebsite(normalizedEmail: string, em: EntityManager): Promise<void> {
    await runStatement(em, CustomerSql.lockEmail(normalizedEmail));
    const [row] = await selectRows(em, CustomerSql.emailExists(normalizedEmail));
    if (row?.found) throw emailTaken();
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

  /**
   * Whether an email has accounts in two websites (see CustomerSql.emailInTwoWebsites), in the
   * caller's transaction: the switch to accountSharingScope = global, whose settings row is already
   * written in it. Takes the scope lock exclusively first, so registrations in flight commit before
   * the check (and are seen by it) and later ones wait for the switch's commit and then read global.
   */
  async emailInTwoWebsites(em: EntityManager): Promise<boolean> {
    await runStatement(em, CustomerSql.lockSharingScopeExclusive());
    const [row] = await selectRows(em, CustomerSql.emailInTwoWebsites());
    return row?.found === true;
  }

  /** Lifts a sign-in lockout and forgets the failures counted so far. */
  async unlock(customerId: string, em: EntityManager = this.em): Promise<void> {
    await em.nativeUpdate(Customer, { id: customerId }, { lockedUntil: null, failedLoginCount: 0, updatedAt: new Date() });
  }

  /** See CustomerSql.recordFailedLogin: one statement, no lost updates between instances. */
  async recordFailedLogin(customerId: string, lockoutFailures: number, lockoutMinutes: number): Promise<void> {
    await runStatement(this.em, CustomerSql.recordFailedLogin(customerId, lockoutFailures, lockoutMinutes, randomUUID()));
  }

  /** See CustomerSql.replaceLegacyPasswordHash. Returns whether the row still held `verifiedHash` and was updated. */
  async replaceLegacyPasswordHash(customerId: string, verifiedHash: string, passwordHash: string): Promise<boolean> {
    const rows = await selectRows(this.em, CustomerSql.replaceLegacyPasswordHash(customerId, verifiedHash, passwordHash));
    return rows.length === 1;
  }

  async clearFailedLogins(customerId: string): Promise<void> {
    await runStatement(this.em, CustomerSql.clearFailedLogins(customerId));
  }

  // A password reset's new hash is written by CustomerSql.setPassword (customer.queries.ts), inside the one
  // statement that completes a reset (libs/password-reset; docs/architecture.md, Storefront reset).
}

const emailTaken = () => new DomainError(ErrorCode.EmailTaken, Messages.emailTaken, { messageKey: 'api.emailTaken' });
