import { Controller, Get, Query } from '@nestjs/common';
import { AuditEventView, AuditService, Page, Permission, RequirePermission } from '@customer-access/admin';
import { AdminGuarded } from './admin-guarded.decorator';
import { AuditEventsQueryDto } from './admin.dto';

@AdminGuarded()
@Controller('admin/audit-events')
export class AdminAuditController {
  constructor(private readonly audit: AuditService) {}

  /** Newest first. */
  @Get()
  @RequirePermission(Permission.CustomersView)
  async list(@Query() query: AuditEventsQueryDto): Promise<Page<AuditEventView>> {
    const { items, total } = await this.audit.list(query);
    return { items, total, page: query.page, pageSize: query.pageSize };
  }
}
