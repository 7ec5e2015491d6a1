import { MikroOrmModule } from '@mikro-orm/nestjs';
import { Module } from '@nestjs/common';
import { CustomersModule } from '@customer-access/customers';
import { NotificationModule } from '@customer-access/notification';
import { PasswordResetToken } from './password-reset-token.entity';
import { PasswordResetTokenRepository } from './password-reset-token.repository';
import { PasswordResetService } from './password-reset.service';
import { CompletePasswordReset } from './complete-password-reset';

@Module({
  imports: [MikroOrmModule.forFeature([PasswordResetToken]), CustomersModule, NotificationModule],
  providers: [PasswordResetTokenRepository, PasswordResetService, CompletePasswordReset],
  exports: [PasswordResetService, CompletePasswordReset],
})
export class PasswordResetModule {}
