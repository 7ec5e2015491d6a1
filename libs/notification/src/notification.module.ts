import { MikroOrmModule } from '@mikro-orm/nestjs';
import { BullModule } from '@nestjs/bullmq';
import { Module } from '@nestjs/common';
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
export class NotificationModule {}
