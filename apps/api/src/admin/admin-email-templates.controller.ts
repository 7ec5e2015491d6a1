import { Body, Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiAcceptedResponse, ApiOkResponse, ApiOperation } from '@nestjs/swagger';
import {
  AdminActor,
  CurrentAdmin,
  EmailPreview,
  EmailTemplatesAdminService,
  EmailTemplateSummary,
  Permission,
  RequirePermission,
} from '@customer-access/admin';
import { AdminGuarded } from './admin-guarded.decorator';
import { EmailLocaleQueryDto, EmailPreviewDto, EmailTemplateListDto, TestEmailAcceptedDto, TestEmailRequestDto } from './admin-emails.dto';

@AdminGuarded()
@Controller('admin/email-templates')
export class AdminEmailTemplatesController {
  constructor(private readonly emailTemplates: EmailTemplatesAdminService) {}

  @Get()
  @RequirePermission(Permission.ConfigManage)
  @ApiOperation({ summary: 'The customer email templates and their languages' })
  @ApiOkResponse({ type: EmailTemplateListDto })
  list(): { items: EmailTemplateSummary[] } {
    return this.emailTemplates.list();
  }

  @Get(':name/preview')
  @RequirePermission(Permission.ConfigManage)
  @ApiOperation({ summary: 'A template rendered with sample data and a sample link; creates no token' })
  @ApiOkResponse({ type: EmailPreviewDto })
  preview(@Param('name') name: string, @Query() query: EmailLocaleQueryDto): Promise<EmailPreview> {
    return this.emailTemplates.preview(name, query.locale);
  }

  @Post(':name/test')
  @HttpCode(202)
  @RequirePermission(Permission.ConfigManage)
  @ApiOperation({
    summary: "Send the preview to the signed-in admin's own address",
    description: 'Audited; at most 10 per admin per hour (429 beyond).',
  })
  @ApiAcceptedResponse({ type: TestEmailAcceptedDto })
  sendTest(
    @Param('name') name: string,
    @Body() body: TestEmailRequestDto,
    @CurrentAdmin() admin: AdminActor,
  ): Promise<{ message: string }> {
    return this.emailTemplates.sendTest(admin, name, body.locale);
  }
}
