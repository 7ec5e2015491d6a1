import { MikroOrmModule } from '@mikro-orm/nestjs';
import { BullModule } from '@nestjs/bullmq';
import { DynamicModule, Module } from '@nestjs/common';
import { BULLMQ_PREFIX, RedisConnectionFactory } from '@customer-access/redis';
import { QueueName } from './mail-jobs';
import { MailProducer } from './mail-producer';
import { OutboxMessage } from './outbox-message.entity';
import { OutboxService } from './outbox.service';

/** Producer side of the mail queue, with the outbox. Imported by the API and the worker. */
@Module({
  imports: [BullModule.registerQueue({ name: QueueName.Mail }), MikroOrmModule.forFeature([OutboxMessage])],
  providers: [MailProducer, OutboxService],
  exports: [MailProducer, OutboxService, BullModule],
})
export class NotificationModule {
  /**
   * The BullMQ connection of an app, from the one Redis connection factory (any of the three Redis
   * forms). Producers fail fast while Redis is down (the request gets a 503 at once); the worker's
   * blocking connections must instead wait and reconnect forever. The hash-tagged prefix keeps
   * each queue in one Cluster slot (see BULLMQ_PREFIX).
   */
  static forRoot(role: 'producer' | 'worker'): DynamicModule {
    return BullModule.forRootAsync({
      inject: [RedisConnectionFactory],
      useFactory: (redis: RedisConnectionFactory) => ({ connection: redis.bullmqConnection(role), prefix: BULLMQ_PREFIX }),
    });
  }
}
