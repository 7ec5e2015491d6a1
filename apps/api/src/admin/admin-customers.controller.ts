import { Body, Controller, Delete, Get, HttpCode, Param, Post, Put, Query } from '@nestjs/common';
import { ApiNoContentResponse, ApiOkResponse, ApiOperation } from '@nestjs/swagger';
import {
  AdminActor,
  AdminCustomerDetail,
  CustomerEmailView,
  AdminCustomerListItem,
  CurrentAdmin,
  CustomerDataExport,
  CustomerSupportService,
  Page,
  Permission,
  RequirePermission,
} from '@customer-access/admin';
import { ApiMetrics } from '@customer-access/observability';
import { AdminGuarded } from './admin-guarded.decorator';
import { CustomerSearchQueryDto, UpdateCustomerDto } from './admin.dto';
import { CustomerEmailListDto } from './admin-emails.dto';

@AdminGuarded()
@Controller('admin/customers')
export class AdminCustomersController {
  constructor(
    private readonly support: CustomerSupportService,
    private readonly metrics: ApiMetrics,
  ) {}

  @Get()
  @RequirePermission(Permission.CustomersView)
  list(@Query() query: CustomerSearchQueryDto): Promise<Page<AdminCustomerListItem>> {
    return this.support.search(query);
  }

  @Get(':id')
  @RequirePermission(Permission.CustomersView)
  detail(@Param('id') id: string): Promise<AdminCustomerDetail> {
    return this.support.detail(id);
  }

  /** Account Information: name, email (unique; the old address is told) and language. Audited. */
  @Put(':id')
  @RequirePermission(Permission.CustomersEdit)
  edit(@Param('id') id: string, @Body() body: UpdateCustomerDto, @CurrentAdmin() admin: AdminActor): Promise<AdminCustomerDetail> {
    return this.support.edit(admin, id, body);
  }

  /** Lifts a sign-in lockout. Audited. */
  @Post(':id/unlock')
  @HttpCode(200)
  @RequirePermission(Permission.CustomersEdit)
  unlock(@Param('id') id: string, @CurrentAdmin() admin: AdminActor): Promise<AdminCustomerDetail> {
    return this.support.unlock(admin, id);
  }

  @Get(':id/export')
  @RequirePermission(Permission.CustomersView)
  @ApiOperation({
    summary:
      "Everything stored about the customer, as JSON (GDPR art. 15/20): the account and every table's rows about them, without password hashes, tokens or job payloads. Audited.",
  })
  exportData(@Param('id') id: string, @CurrentAdmin() admin: AdminActor): Promise<CustomerDataExport> {
    return this.support.exportData(admin, id);
  }

  @Delete(':id')
  @HttpCode(204)
  @RequirePermission(Permission.CustomersDelete)
  @ApiOperation({
    summary:
      'Erase the customer (GDPR art. 17): the account, its access and reset tokens, email log and queued jobs; audit events keep only action and id. Audited.',
  })
  @ApiNoContentResponse({ description: 'Erased.' })
  async erase(@Param('id') id: string, @CurrentAdmin() admin: AdminActor): Promise<void> {
    await this.support.erase(admin, id);
  }

  @Get(':id/emails')
  @RequirePermission(Permission.CustomersView)
  @ApiOperation({ summary: "The customer's emails, newest first: delivery status and what became of each reset link" })
  @ApiOkResponse({ type: CustomerEmailListDto })
  emails(@Param('id') id: string): Promise<{ items: CustomerEmailView[] }> {
    return this.support.emails(id);
  }

  @Post(':id/password-reset')
  @HttpCode(202)
  @RequirePermission(Permission.CustomersResetPassword)
  async passwordReset(@Param('id') id: string, @CurrentAdmin() admin: AdminActor): Promise<{ message: string }> {
    const answer = await this.support.sendPasswordReset(admin, id);
    this.metrics.resetsRequested.labels('admin').inc();
    return answer;
  }

  @Post(':id/force-sign-in')
  @HttpCode(200)
  @RequirePermission(Permission.CustomersInvalidateTokens)
  forceSignIn(@Param('id') id: string, @CurrentAdmin() admin: AdminActor): Promise<{ revoked: number; message: string }> {
    return this.support.forceSignIn(admin, id);
  }
}
