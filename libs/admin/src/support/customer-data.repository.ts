import { IsolationLevel } from '@mikro-orm/core';
import { EntityManager } from '@mikro-orm/postgresql';
import { Injectable } from '@nestjs/common';
import { runStatement, selectRows } from '@customer-access/database';
import { CustomerDataSql } from './customer-data.queries';

/** Everything stored about a customer, table by table, without secrets (GET /admin/customers/:id/export). */
export interface CustomerDataExport {
  exportedAt: string;
  customer: Record<string, unknown>;
  accessTokens: Record<string, unknown>[];
  passwordResetTokens: Record<string, unknown>[];
  emails: Record<string, unknown>[];
  outboxMessages: Record<string, unknown>[];
  webhookDeliveries: Record<string, unknown>[];
  auditEvents: Record<string, unknown>[];
}

/** The door to one customer's rows in every table (customer-data.queries.ts): read all of them, or erase them. */
@Injectable()
export class CustomerDataRepository {
  constructor(private readonly em: EntityManager) {}

  /** Null when there is no such customer. One repeatable-read snapshot, so the parts agree. */
  async collect(customerId: string): Promise<Omit<CustomerDataExport, 'exportedAt'> | null> {
    return this.em.transactional(
      async (tx: EntityManager) => {
        const [customer] = await selectRows(tx, CustomerDataSql.customer(customerId));
        if (!customer) return null;
        return {
          customer,
          accessTokens: await selectRows(tx, CustomerDataSql.accessTokens(customerId)),
          passwordResetTokens: await selectRows(tx, CustomerDataSql.passwordResetTokens(customerId)),
          emails: await selectRows(tx, CustomerDataSql.emails(customerId)),
          outboxMessages: await selectRows(tx, CustomerDataSql.outboxMessages(customerId)),
          webhookDeliveries: await selectRows(tx, CustomerDataSql.webhookDeliveries(customerId)),
          auditEvents: await selectRows(tx, CustomerDataSql.auditEvents(customerId)),
        };
      },
      { isolationLevel: IsolationLevel.REPEATABLE_READ },
    );
  }

  /**
   * Erases every row about the customer but their own, in the caller's transaction: email log,
   * queued jobs and webhook events, webhook deliveries; the audit events keep their action and the id.
   */
  async eraseTraces(customerId: string, tx: EntityManager): Promise<void> {
    await runStatement(tx, CustomerDataSql.eraseEmails(customerId));
    await runStatement(tx, CustomerDataSql.eraseOutboxMessages(customerId));
    await runStatement(tx, CustomerDataSql.eraseWebhookDeliveries(customerId));
    await runStatement(tx, CustomerDataSql.scrubAuditEvents(customerId));
  }

  /** Erases the customer's row (their access and reset tokens go with it); false if it was gone. */
  async eraseCustomer(customerId: string, tx: EntityManager): Promise<boolean> {
    return (await runStatement(tx, CustomerDataSql.eraseCustomer(customerId))) === 1;
  }
}
