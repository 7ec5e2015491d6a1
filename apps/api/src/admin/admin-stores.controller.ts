import { Body, Controller, Get, HttpCode, Param, Post, Put } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsBoolean, IsOptional, IsString, MaxLength } from 'class-validator';
import { AdminActor, CurrentAdmin, Permission, RequirePermission, StoresAdminService, WebsiteWithViews } from '@customer-access/admin';
import { ResolvedStoreView, STORE_CODE_PATTERN, STORE_VIEW_BRANDING } from '@customer-access/settings';
import { AdminGuarded } from './admin-guarded.decorator';

// Formats are checked by the service (the rules of docs/api.md, Stores); these only fix the JSON types.

export class CreateWebsiteDto {
  @ApiProperty({ example: 'cn', pattern: STORE_CODE_PATTERN.source })
  @IsString()
  @MaxLength(32)
  code: string;

  @ApiProperty({ example: 'China Website' })
  @IsString()
  @MaxLength(200)
  name: string;
}

const NULL_INHERITS = 'null: inherit (the default store view: the environment and settings of a one-store installation).';

export class UpdateStoreViewDto {
  @ApiPropertyOptional({
    nullable: true,
    example: 'My Store China',
    description: `The store's name in its emails and pages. ${NULL_INHERITS}`,
  })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  name?: string | null;

  @ApiPropertyOptional({ nullable: true, example: 'zh-CN', description: `Fallback language of its emails. ${NULL_INHERITS}` })
  @IsOptional()
  @IsString()
  @MaxLength(64)
  locale?: string | null;

  @ApiPropertyOptional({ nullable: true, example: 'Asia/Shanghai', description: `IANA time zone of times in emails. ${NULL_INHERITS}` })
  @IsOptional()
  @IsString()
  @MaxLength(64)
  timezone?: string | null;

  @ApiPropertyOptional({
    nullable: true,
    example: 'https://cn.shop.example.com',
    description: `Base of its customers' links; https: in production, no user name, query or fragment. A change is audited. ${NULL_INHERITS}`,
  })
  @IsOptional()
  @IsString()
  @MaxLength(2048)
  baseUrl?: string | null;

  @ApiPropertyOptional({
    nullable: true,
    example: 'My Store China <shop@cn.example.com>',
    description: `From of its emails. ${NULL_INHERITS}`,
  })
  @IsOptional()
  @IsString()
  @MaxLength(400)
  mailFrom?: string | null;

  @ApiPropertyOptional({
    nullable: true,
    example: 'support@cn.example.com',
    description: `Support address in its emails. ${NULL_INHERITS}`,
  })
  @IsOptional()
  @IsString()
  @MaxLength(254)
  supportEmail?: string | null;

  @ApiPropertyOptional({
    description: 'An inactive store view answers storefront requests with 400 STORE_UNKNOWN; default cannot be deactivated.',
  })
  @IsOptional()
  @IsBoolean()
  isActive?: boolean;
}

export class CreateStoreViewDto extends UpdateStoreViewDto {
  @ApiProperty({ example: 'cn_zh', pattern: STORE_CODE_PATTERN.source })
  @IsString()
  @MaxLength(32)
  code: string;

  @ApiProperty({ example: 'cn' })
  @IsString()
  @MaxLength(32)
  websiteCode: string;
}

export class StoreViewDto {
  @ApiProperty() code: string;
  @ApiProperty() websiteCode: string;
  @ApiProperty() name: string;
  @ApiProperty() locale: string;
  @ApiProperty() timezone: string;
  @ApiProperty() baseUrl: string;
  @ApiProperty() mailFrom: string;
  @ApiProperty() supportEmail: string;
  @ApiProperty() isActive: boolean;
  @ApiProperty({
    enum: STORE_VIEW_BRANDING,
    isArray: true,
    description: 'Fields it does not set itself: their values above are inherited.',
  })
  inherits: string[];
}

export class StoreViewListDto {
  @ApiProperty({ type: [StoreViewDto] }) items: StoreViewDto[];
}

export class WebsiteDto {
  @ApiProperty() code: string;
  @ApiProperty() name: string;
  @ApiProperty({ type: [String] }) storeViewCodes: string[];
}

export class WebsiteListDto {
  @ApiProperty({ type: [WebsiteDto] }) items: WebsiteDto[];
}

/** Stores > All Stores: websites and store views (docs/api.md, Stores). Administrators only. */
@AdminGuarded()
@Controller('admin')
export class AdminStoresController {
  constructor(private readonly stores: StoresAdminService) {}

  @Get('websites')
  @RequirePermission(Permission.StoresManage)
  @ApiOkResponse({ type: WebsiteListDto })
  websites(): { items: WebsiteWithViews[] } {
    return this.stores.websites();
  }

  @Post('websites')
  @HttpCode(201)
  @RequirePermission(Permission.StoresManage)
  @ApiOperation({ summary: 'A new website (audited)' })
  @ApiCreatedResponse({ type: WebsiteDto })
  createWebsite(@Body() dto: CreateWebsiteDto, @CurrentAdmin() admin: AdminActor): Promise<WebsiteWithViews> {
    return this.stores.createWebsite(admin, dto);
  }

  @Get('store-views')
  @RequirePermission(Permission.StoresManage)
  @ApiOkResponse({ type: StoreViewListDto })
  storeViews(): { items: ResolvedStoreView[] } {
    return this.stores.storeViews();
  }

  @Post('store-views')
  @HttpCode(201)
  @RequirePermission(Permission.StoresManage)
  @ApiOperation({ summary: 'A new store view in a website (audited)' })
  @ApiCreatedResponse({ type: StoreViewDto })
  createStoreView(@Body() dto: CreateStoreViewDto, @CurrentAdmin() admin: AdminActor): Promise<ResolvedStoreView> {
    return this.stores.createStoreView(admin, dto);
  }

  @Put('store-views/:code')
  @RequirePermission(Permission.StoresManage)
  @ApiOperation({ summary: 'Change a store view: the fields sent, null to inherit (audited with each old and new value)' })
  @ApiOkResponse({ type: StoreViewDto })
  updateStoreView(
    @Param('code') code: string,
    @Body() dto: UpdateStoreViewDto,
    @CurrentAdmin() admin: AdminActor,
  ): Promise<ResolvedStoreView> {
    return this.stores.updateStoreView(admin, code, dto);
  }
}
