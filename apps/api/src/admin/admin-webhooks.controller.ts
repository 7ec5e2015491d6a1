import { Body, Controller, Delete, Get, Header, HttpCode, Param, ParseUUIDPipe, Post, Put } from '@nestjs/common';
import {
  ApiAcceptedResponse,
  ApiCreatedResponse,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiOperation,
  ApiProperty,
  ApiPropertyOptional,
} from '@nestjs/swagger';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsBoolean, IsIn, IsOptional, IsString, MaxLength, MinLength } from 'class-validator';
import { AdminActor, CurrentAdmin, Permission, RequirePermission, WebhooksAdminService } from '@customer-access/admin';
import { EndpointWithSecret, WEBHOOK_EVENT_TYPES, WebhookDeliveryView, WebhookEndpointView } from '@customer-access/webhooks';
import { AdminGuarded } from './admin-guarded.decorator';

export class CreateWebhookDto {
  @ApiProperty({ example: 'https://crm.example.com/hooks/customer-access', maxLength: 2048 })
  @IsString()
  @MinLength(1)
  @MaxLength(2048)
  url: string;

  @ApiProperty({ enum: WEBHOOK_EVENT_TYPES, isArray: true, example: ['customer.password.changed', 'customer.tokens.revoked'] })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(20)
  @IsIn(WEBHOOK_EVENT_TYPES, { each: true })
  events: string[];

  @ApiPropertyOptional({ maxLength: 500 })
  @IsOptional()
  @IsString()
  @MaxLength(500)
  description?: string;

  @ApiPropertyOptional({ default: true })
  @IsOptional()
  @IsBoolean()
  enabled?: boolean;
}

export class UpdateWebhookDto {
  @ApiPropertyOptional({ maxLength: 2048 })
  @IsOptional()
  @IsString()
  @MinLength(1)
  @MaxLength(2048)
  url?: string;

  @ApiPropertyOptional({ enum: WEBHOOK_EVENT_TYPES, isArray: true })
  @IsOptional()
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(20)
  @IsIn(WEBHOOK_EVENT_TYPES, { each: true })
  events?: string[];

  @ApiPropertyOptional({ maxLength: 500 })
  @IsOptional()
  @IsString()
  @MaxLength(500)
  description?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsBoolean()
  enabled?: boolean;
}

/**
 * Webhook endpoints and their deliveries (docs/webhooks.md); administrators only (webhooks.manage).
 * The `whsec_…` secret is in the answers of POST /admin/webhooks and rotate-secret only.
 */
@AdminGuarded()
@Controller('admin')
export class AdminWebhooksController {
  constructor(private readonly webhooks: WebhooksAdminService) {}

  @Get('webhooks')
  @RequirePermission(Permission.WebhooksManage)
  @ApiOkResponse({ description: 'Every endpoint: url, events, description, enabled; never its secret.' })
  list(): Promise<{ items: WebhookEndpointView[] }> {
    return this.webhooks.list();
  }

  @Post('webhooks')
  @RequirePermission(Permission.WebhooksManage)
  @Header('Cache-Control', 'no-store')
  @ApiOperation({ summary: 'A new endpoint. The answer carries its `secret` (`whsec_…`), shown this once.' })
  @ApiCreatedResponse({ description: 'The endpoint with `secret`.' })
  create(@CurrentAdmin() admin: AdminActor, @Body() dto: CreateWebhookDto): Promise<EndpointWithSecret> {
    return this.webhooks.create(admin, dto);
  }

  @Put('webhooks/:id')
  @RequirePermission(Permission.WebhooksManage)
  @ApiOkResponse({ description: 'The endpoint as changed (the fields sent; the others keep their values).' })
  update(
    @CurrentAdmin() admin: AdminActor,
    @Param('id', new ParseUUIDPipe()) id: string,
    @Body() dto: UpdateWebhookDto,
  ): Promise<WebhookEndpointView> {
    return this.webhooks.update(admin, id, dto);
  }

  @Delete('webhooks/:id')
  @HttpCode(204)
  @RequirePermission(Permission.WebhooksManage)
  @ApiNoContentResponse({ description: 'Deleted, with its deliveries.' })
  remove(@CurrentAdmin() admin: AdminActor, @Param('id', new ParseUUIDPipe()) id: string): Promise<void> {
    return this.webhooks.remove(admin, id);
  }

  @Post('webhooks/:id/rotate-secret')
  @HttpCode(200)
  @RequirePermission(Permission.WebhooksManage)
  @Header('Cache-Control', 'no-store')
  @ApiOkResponse({
    description: 'The endpoint with its new `secret`, shown this once; the old one is accepted 24 h more (both signatures are sent).',
  })
  rotate(@CurrentAdmin() admin: AdminActor, @Param('id', new ParseUUIDPipe()) id: string): Promise<EndpointWithSecret> {
    return this.webhooks.rotateSecret(admin, id);
  }

  @Post('webhooks/:id/test')
  @HttpCode(202)
  @RequirePermission(Permission.WebhooksManage)
  @ApiAcceptedResponse({ description: 'A `webhook.test` event for this endpoint is on its way: `{eventId}` (its webhook-id).' })
  test(@CurrentAdmin() admin: AdminActor, @Param('id', new ParseUUIDPipe()) id: string): Promise<{ eventId: string }> {
    return this.webhooks.test(admin, id);
  }

  @Get('webhooks/:id/deliveries')
  @RequirePermission(Permission.WebhooksManage)
  @ApiOkResponse({ description: 'The 50 newest deliveries: status, attempts, last response code, last error or refusal, next attempt.' })
  deliveries(@Param('id', new ParseUUIDPipe()) id: string): Promise<{ items: WebhookDeliveryView[] }> {
    return this.webhooks.deliveries(id);
  }

  @Post('webhook-deliveries/:id/retry')
  @HttpCode(202)
  @RequirePermission(Permission.WebhooksManage)
  @ApiAcceptedResponse({ description: 'Back to pending and sent again at once (same webhook-id).' })
  async retry(@CurrentAdmin() admin: AdminActor, @Param('id', new ParseUUIDPipe()) id: string): Promise<{ message: string }> {
    await this.webhooks.retry(admin, id);
    return { message: 'The delivery will be sent again.' };
  }
}
