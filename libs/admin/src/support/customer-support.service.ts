import { EntityManager } from '@mikro-orm/postgresql';
import { Injectable } from '@nestjs/common';
import { DomainError, ErrorCode, isUuid, Messages } from '@customer-access/common';
import {
  CustomerProfile,
  CustomerRepository,
  CustomersService,
  CustomerSql,
  CustomerView,
  toCustomerView,
} from '@customer-access/customers';
import { EmailLogRepository, EmailTemplates, MailJob, OutboxService } from '@customer-access/notification';
import { randomUUID } from 'node:crypto';
import { AccessTokenRepository } from '@customer-access/oauth';
import { WebhookEvents, WebhookEventType } from '@customer-access/webhooks';
import { AdminActor } from '../access/admin-request';
import { AuditAction } from '../audit/audit-event.entity';
import { AuditService } from '../audit/audit.service';
import { CustomerDirectoryRepository, CustomerSearch } from './customer-directory.repository';
import { CustomerEmailView, EmailTimelineRepository } from './email-timeline.repository';
import { CustomerDataExport, CustomerDataRepository } from './customer-data.repository';

export interface AdminCustomerListItem extends CustomerView {
  activeTokenCount: number;
}

export interface AdminCustomerDetail extends AdminCustomerListItem {
  /** Set while sign-in is locked after repeated failures; a completed reset lifts it. */
  lockedUntil: string | null;
}

export interface Page<T> {
  items: T[];
  total: number;
  page: number;
  pageSize: number;
}

/** The website and store view of the customer an audit event is about (docs/api.md, Audit events): kept with the event, as they were then. */
const storeScope = (customer: { websiteCode: string; storeViewCode: string }) => ({
  websiteCode: customer.websiteCode,
  storeViewCode: customer.storeViewCode,
});

const customerNotFound = () => new DomainError(ErrorCode.NotFound, 'Customer not found.');

/** What support staff do for a customer: find them, send a reset link, sign them out everywhere. */
@Injectable()
export class CustomerSupportService {
  constructor(
    private readonly em: EntityManager,
    private readonly directory: CustomerDirectoryRepository,
    private readonly customers: CustomerRepository,
    private readonly accounts: CustomersService,
    private readonly accessTokens: AccessTokenRepository,
    private readonly outbox: OutboxService,
    private readonly audit: AuditService,
    private readonly emailLog: EmailLogRepository,
    private readonly emailTimeline: EmailTimelineRepository,
    private readonly emailTemplates: EmailTemplates,
    private readonly webhookEvents: WebhookEvents,
    private readonly customerData: CustomerDataRepository,
  ) {}

  /** Everything stored about the customer (GDPR art. 15 and 20), no secrets. Audited. */
  async exportData(actor: AdminActor, customerId: string): Promise<CustomerDataExport> {
    const data = isUuid(customerId) ? await this.customerData.collect(customerId) : null;
    if (!data) throw customerNotFound();
    await this.audit.record(actor, AuditAction.CustomerDataExported, customerId);
    return { exportedAt: new Date().toISOString(), ...data };
  }

  /**
   * Erasure (GDPR art. 17): the customer, their access and reset tokens, their email log, queued
   * jobs, webhook events and deliveries are deleted, and their audit events keep only action, time
   * and id; one transaction, audited (action and id only). It writes one `customer.deleted` webhook
   * event, after the traces are gone and before the row goes: the store's other systems must hear of
   * the erasure to erase too (art. 19), so that event alone names the address, until it is delivered
   * and its rows age out (docs/webhooks.md).
   */
  async erase(actor: AdminActor, customerId: string): Promise<void> {
    const customer = await this.findOrFail(customerId);
    const event = await this.em.transactional(async (tx: EntityManager) => {
      await this.customerData.eraseTraces(customer.id, tx);
      const deleted = await this.webhookEvents.recordForCustomer(
        tx,
        WebhookEventType.CustomerDeleted,
        CustomerSql.contact({ id: customer.id }),
      );
      if (!(await this.customerData.eraseCustomer(customer.id, tx))) throw customerNotFound();
      await this.audit.record(actor, AuditAction.CustomerDeleted, customer.id, {}, tx);
      return deleted;
    });
    await this.webhookEvents.relay([event]);
  }

  async search(query: CustomerSearch): Promise<Page<AdminCustomerListItem>> {
    const { items, total } = await this.directory.search(query);
    // One grouped query for the whole page, not one per row.
    const counts = await this.accessTokens.countActiveByCustomer(items.map((c) => c.id));
    return {
      items: items.map((c) => ({ ...c, activeTokenCount: counts.get(c.id) ?? 0 })),
      total,
      page: query.page,
      pageSize: query.pageSize,
    };
  }

  async detail(customerId: string): Promise<AdminCustomerDetail> {
    const customer = await this.findOrFail(customerId);
    const counts = await this.accessTokens.countActiveByCustomer([customer.id]);
    const locked = customer.lockedUntil && customer.lockedUntil.getTime() > Date.now() ? customer.lockedUntil : null;
    return {
      ...toCustomerView(customer),
      activeTokenCount: counts.get(customer.id) ?? 0,
      lockedUntil: locked ? locked.toISOString() : null,
    };
  }

  /**
   * Admin "Reset Password": the worker creates the token and sends the admin-worded email. The job
   * goes through the outbox in the same transaction as the audit record, so the log says "sent"
   * exactly when the email is on its way. The storefront throttle does not apply: staff act on
   * the customer's behalf, and the route itself needs an admin permission.
   */
  async sendPasswordReset(actor: AdminActor, customerId: string): Promise<{ message: string }> {
    const customer = await this.findOrFail(customerId);
    const emailLogId = randomUUID();
    const outboxId = await this.em.transactional(async (tx: EntityManager) => {
      const id = await this.outbox.add(tx, MailJob.AdminPasswordResetRequested, { customerId: customer.id, adminId: actor.id, emailLogId });
      await this.emailLog.insertQueued(
        {
          id: emailLogId,
          customerId: customer.id,
          template: 'admin-password-reset',
          origin: 'admin',
          locale: this.emailTemplates.localeFor(customer.locale),
          // An admin's reset follows the customer's own store view (the worker sends it from there).
          storeViewCode: customer.storeViewCode,
        },
        tx,
      );
      await this.audit.record(actor, AuditAction.PasswordResetSent, customer.id, storeScope(customer), tx);
      return id;
    });
    await this.outbox.relayCommitted(outboxId);
    return { message: Messages.adminResetAccepted };
  }

  /**
   * Force Sign-In: one UPDATE revokes every live access token. Tokens are checked against the
   * database on every request, so the revocation holds on every instance from the next request.
   */
  async forceSignIn(actor: AdminActor, customerId: string): Promise<{ revoked: number; message: string }> {
    const customer = await this.findOrFail(customerId);
    const { revoked, event } = await this.em.transactional(async (tx: EntityManager) => {
      const count = await this.accessTokens.revokeAllForCustomer(customer.id, tx);
      if (count === 0) {
        throw new DomainError(ErrorCode.CustomerHasNoTokens, Messages.customerHasNoTokens);
      }
      await this.audit.record(actor, AuditAction.ForceSignIn, customer.id, { revoked: count, ...storeScope(customer) }, tx);
      const event = await this.webhookEvents.recordForCustomer(
        tx,
        WebhookEventType.TokensRevoked,
        CustomerSql.contact({ id: customer.id }),
        { reason: 'force_sign_in', revoked: count },
      );
      return { revoked: count, event };
    });
    await this.webhookEvents.relay([event]);
    return { revoked, message: Messages.tokensRevoked };
  }

  /**
   * Account Information: changes name, email and language. Each changed field is audited with its
   * old and new value, in the transaction that writes it; an unchanged edit records nothing. A
   * changed email sends the "email changed" notice to the previous address, through the outbox in
   * the same transaction, so the notice goes exactly when the change is committed.
   */
  async edit(actor: AdminActor, customerId: string, input: Partial<CustomerProfile>): Promise<AdminCustomerDetail> {
    const customer = await this.findOrFail(customerId);
    const noticeId = await this.em.transactional(async (tx: EntityManager) => {
      const changes = await this.accounts.updateProfile(customer, input, tx);
      if (changes.length === 0) return null;
      // A list of {field, from, to}, as settings changes are recorded.
      await this.audit.record(actor, AuditAction.CustomerUpdated, customer.id, { changes, ...storeScope(customer) }, tx);
      const email = changes.find((c) => c.field === 'email');
      if (!email) return null;
      return this.outbox.addEmailChangedNotice(tx, { customerId: customer.id, previousEmail: email.from, adminId: actor.id });
    });
    if (noticeId) await this.outbox.relayCommitted(noticeId);
    return this.detail(customer.id);
  }

  /** Unlock: lifts a sign-in lockout (and the failures counted toward the next one). Audited. */
  async unlock(actor: AdminActor, customerId: string): Promise<AdminCustomerDetail> {
    const customer = await this.findOrFail(customerId);
    await this.em.transactional(async (tx: EntityManager) => {
      const wasLocked = await this.accounts.unlock(customer, tx);
      await this.audit.record(actor, AuditAction.CustomerUnlocked, customer.id, { wasLocked, ...storeScope(customer) }, tx);
    });
    return this.detail(customer.id);
  }

  /** The customer's emails, newest first, with what became of each reset link (the support timeline). */
  async emails(customerId: string, limit = 50): Promise<{ items: CustomerEmailView[] }> {
    const customer = await this.findOrFail(customerId);
    return { items: await this.emailTimeline.forCustomer(customer.id, limit) };
  }

  /** A malformed id names no customer: 404 like an unknown one (and no query that would fail on it). */
  private async findOrFail(customerId: string) {
    const customer = isUuid(customerId) ? await this.customers.findById(customerId) : null;
    if (!customer) throw customerNotFound();
    return customer;
  }
}
