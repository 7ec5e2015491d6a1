import { MikroOrmModule } from '@mikro-orm/nestjs';
import { Module } from '@nestjs/common';
import { APP_CONFIG, AppConfig } from '@customer-access/config';
import { NotificationModule } from '@customer-access/notification';
import { DestinationPolicy } from './destination-policy';
import { WebhookDeliveries } from './webhook-deliveries';
import { WebhookDelivery } from './webhook-delivery.entity';
import { WebhookEndpoint } from './webhook-endpoint.entity';
import { WebhookEndpoints } from './webhook-endpoints';
import { WebhookEvents } from './webhook-events.service';
import { WebhookQueue } from './webhook-queue';
import { WebhookRelay } from './webhook-relay';
import { WebhookRepository } from './webhook.repository';
import { WebhookSecrets } from './webhook-secrets';
import { WebhookSender } from './webhook-sender';

/**
 * Webhooks (docs/webhooks.md): endpoints, events through the outbox, deliveries. Imported by the
 * libs that report changes (events only), by the admin lib (endpoints) and by the worker
 * (deliveries). Needs the global ConfigModule and a BullMQ root connection.
 */
@Module({
  imports: [MikroOrmModule.forFeature([WebhookEndpoint, WebhookDelivery]), NotificationModule],
  providers: [
    WebhookRepository,
    WebhookEvents,
    WebhookQueue,
    WebhookRelay,
    WebhookEndpoints,
    WebhookDeliveries,
    {
      provide: WebhookSecrets,
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig) => new WebhookSecrets(config.mfaEncryptionKey, config.mfaEncryptionKeyPrevious),
    },
    {
      provide: WebhookSender,
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig) =>
        new WebhookSender(
          new DestinationPolicy(config.webhooks.allowedHosts, config.nodeEnv === 'production'),
          config.webhooks.timeoutMs,
          undefined,
          config.webhooks.concurrency,
        ),
    },
  ],
  exports: [WebhookEvents, WebhookEndpoints, WebhookDeliveries, WebhookRepository, WebhookQueue],
})
export class WebhooksModule {}
