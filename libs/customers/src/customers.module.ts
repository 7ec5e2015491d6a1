import { MikroOrmModule } from '@mikro-orm/nestjs';
import { Module } from '@nestjs/common';
import { BreachedPasswordCheck } from './breached-passwords/breached-password-check';
import { CustomerCredentials } from './customer-credentials';
import { Customer } from './customer.entity';
import { CustomerRepository } from './customer.repository';
import { CustomersService } from './customers.service';
import { PasswordHasher } from './password-hasher';
import { PasswordPolicy } from './password-policy';

@Module({
  imports: [MikroOrmModule.forFeature([Customer])],
  providers: [CustomerCredentials, CustomerRepository, CustomersService, PasswordHasher, PasswordPolicy, BreachedPasswordCheck],
  exports: [CustomerCredentials, CustomerRepository, CustomersService, PasswordHasher, PasswordPolicy, BreachedPasswordCheck],
})
export class CustomersModule {}
