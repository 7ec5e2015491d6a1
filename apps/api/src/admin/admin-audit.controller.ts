import { Controller, Get, Query, StreamableFile } from '@nestjs/common';
import { ApiOkResponse, ApiProduces } from '@nestjs/swagger';
import { Readable } from 'node:stream';
import { AuditEventFilter, AuditEventView, AuditService, Page, Permission, RequirePermission } from '@customer-access/admin';
import { DomainError, ErrorCode } from '@customer-access/common';
import { AdminGuarded } from './admin-guarded.decorator';
import { AuditEventsQueryDto } from './admin.dto';

@AdminGuarded()
@Controller('admin/audit-events')
export class AdminAuditController {
  constructor(private readonly audit: AuditService) {}

  /** Newest first; `format=csv` downloads every matching event instead of one page. */
  @Get()
  @RequirePermission(Permission.CustomersView)
  @ApiProduces('application/json', 'text/csv')
  @ApiOkResponse({ description: 'A page of events, or with format=csv the whole filtered log as a CSV file.' })
  async list(@Query() query: AuditEventsQueryDto): Promise<Page<AuditEventView> | StreamableFile> {
    const filter = toFilter(query);
    if (query.format === 'csv') {
      const day = new Date().toISOString().slice(0, 10);
      return new StreamableFile(Readable.from(this.audit.csv(filter)), {
        type: 'text/csv; charset=utf-8',
        disposition: `attachment; filename="audit-log-${day}.csv"`,
      });
    }
    const { items, total } = await this.audit.list({ ...filter, page: query.page, pageSize: query.pageSize });
    return { items, total, page: query.page, pageSize: query.pageSize };
  }
}

function toFilter(query: AuditEventsQueryDto): AuditEventFilter {
  const from = query.from ? new Date(query.from) : undefined;
  const to = query.to ? new Date(query.to) : undefined;
  if (from && to && from > to) throw new DomainError(ErrorCode.Validation, 'from must not be after to');
  return { customerId: query.customerId, adminId: query.adminId, action: query.action, from, to };
}
