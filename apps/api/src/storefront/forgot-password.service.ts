import { Injectable } from '@nestjs/common';
import { normalizeEmail } from '@customer-access/customers';
import { MailJob, MailProducer } from '@customer-access/notification';
import { ApiMetrics } from '@customer-access/observability';

/**
 * "Forgot Your Password?" after the throttle, for the REST route and the hosted page alike: only
 * enqueues, with no database work, so the answer and its timing are the same whether or not the
 * account exists. The worker looks the address up and emails the account's stored address.
 */
@Injectable()
export class ForgotPasswordService {
  constructor(
    private readonly producer: MailProducer,
    private readonly metrics: ApiMetrics,
  ) {}

  async request(email: string): Promise<void> {
    await this.producer.enqueue(MailJob.PasswordResetRequested, { email: normalizeEmail(email) });
    this.metrics.resetsRequested.labels('storefront').inc();
  }
}
