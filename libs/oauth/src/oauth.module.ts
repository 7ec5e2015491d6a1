import { MikroOrmModule } from '@mikro-orm/nestjs';
import { Module } from '@nestjs/common';
import { CustomersModule } from '@customer-access/customers';
import { AccessToken } from './access-token.entity';
import { AccessTokenRepository } from './access-token.repository';
import { CustomerAuthGuard } from './customer-auth.guard';
import { OAuthService } from './oauth.service';

@Module({
  imports: [MikroOrmModule.forFeature([AccessToken]), CustomersModule],
  providers: [AccessTokenRepository, OAuthService, CustomerAuthGuard],
  exports: [AccessTokenRepository, OAuthService, CustomerAuthGuard],
})
export class OAuthModule {}
