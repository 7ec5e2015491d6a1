import { Injectable } from '@nestjs/common';
import { DomainError, ErrorCode } from '@customer-access/common';
import { normalizeEmail, PasswordHasher, PasswordPolicy } from '@customer-access/customers';
import { CreateAdminInput, newAdminProblems } from './admin-account-rules';
import { AdminPrincipal } from './admin-user.entity';
import { AdminUserRepository } from './admin-user.repository';

export { ADMIN_PASSWORD_RULES, type CreateAdminInput, newAdminProblems } from './admin-account-rules';

@Injectable()
export class AdminAccountsService {
  constructor(
    private readonly admins: AdminUserRepository,
    private readonly hasher: PasswordHasher,
    private readonly policy: PasswordPolicy,
  ) {}

  async create(input: CreateAdminInput): Promise<AdminPrincipal> {
    const problems = newAdminProblems(input, this.policy);
    if (problems.length > 0) throw new DomainError(ErrorCode.Validation, problems.join(' '));
    const admin = await this.admins.insert({
      email: normalizeEmail(input.email!),
      passwordHash: await this.hasher.hash(input.password!),
      role: input.role as AdminPrincipal['role'],
    });
    return { id: admin.id, email: admin.email, role: admin.role };
  }
}
