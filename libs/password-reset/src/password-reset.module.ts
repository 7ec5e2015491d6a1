import { MikroOrmModule } from '@mikro-orm/nestjs';
import { Module } from '@nestjs/common';
import { CustomersModule } from '@customer-access/customers';
import { NotificationModule } from '@customer-access/notification';
import { OAuthModule } from '@customer-access/oauth';
import { PasswordResetToken } from './password-reset-token.entity';
import { PasswordResetTokenRepository } from './password-reset-token.repository';
import { PasswordResetService } from './password-reset.service';

@Module({
  imports: [MikroOrmModule.forFeature([PasswordResetToken]), CustomersModule, OAuthModule, NotificationModule],
  providers: [PasswordResetTokenRepository, PasswordResetService],
  exports: [PasswordResetService],
})
export class PasswordResetModule {}
