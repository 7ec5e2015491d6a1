import { EntityManager } from '@mikro-orm/postgresql';
import { Injectable } from '@nestjs/common';
import { selectRows } from '@customer-access/database';
import { EmailOrigin, EmailStatus, EmailTemplateName } from '@customer-access/notification';
import { EmailTimelineSql, LinkStatus } from './email-log.queries';

export type { LinkStatus };

/** One email in a customer's delivery timeline (docs/api.md, Admin routes). Never a token or a link. */
export interface CustomerEmailView {
  id: string;
  template: EmailTemplateName;
  origin: EmailOrigin;
  locale: string;
  /** The store view the email came from (null: emails logged before store views existed). */
  storeViewCode: string | null;
  status: EmailStatus;
  attempts: number;
  requestedAt: string;
  sentAt: string | null;
  messageId: string | null;
  lastError: string | null;
  /** Reset emails only (null otherwise, and while no token has been issued for it yet). */
  link: LinkStatus | null;
}

/** The admins' read model of email_log (EmailTimelineSql.forCustomer). */
@Injectable()
export class EmailTimelineRepository {
  constructor(private readonly em: EntityManager) {}

  async forCustomer(customerId: string, limit: number): Promise<CustomerEmailView[]> {
    const rows = await selectRows(this.em, EmailTimelineSql.forCustomer(customerId, limit));
    return rows.map((row) => ({
      ...row,
      requestedAt: new Date(row.requestedAt).toISOString(),
      sentAt: row.sentAt ? new Date(row.sentAt).toISOString() : null,
    }));
  }
}
