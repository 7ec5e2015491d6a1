import { Body, Controller, Delete, Get, Header, HttpCode, Param, ParseUUIDPipe, Post } from '@nestjs/common';
import { ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiProperty } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsInt, IsString, Max, MaxLength, Min, MinLength } from 'class-validator';
import { AdminActor, ApiKeysService, ApiKeyView, CurrentAdmin, Permission, RequirePermission } from '@customer-access/admin';
import { AdminGuarded } from './admin-guarded.decorator';

export class CreateApiKeyDto {
  @ApiProperty({ example: 'back office sync' })
  @IsString()
  @MinLength(1)
  @MaxLength(100)
  name: string;

  @ApiProperty({ enum: Permission, isArray: true, example: ['customers.view'] })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(20)
  @IsString({ each: true })
  @MaxLength(64, { each: true })
  permissions: string[];

  @ApiProperty({ minimum: 1, maximum: 365 })
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(365)
  expiresInDays: number;
}

export class CreatedApiKeyDto {
  @ApiProperty()
  id: string;

  @ApiProperty({ description: 'The key (`ca_…`), shown this once: only its hash is stored.' })
  key: string;
}

/**
 * API keys for automation (docs/admin-sign-in.md). Managed by a signed-in admin only: a request
 * made with an API key is refused here, whatever the key's permissions.
 */
@AdminGuarded()
@Controller('admin/api-keys')
export class AdminApiKeysController {
  constructor(private readonly keys: ApiKeysService) {}

  @Post()
  @RequirePermission(Permission.ApiKeysManage)
  @Header('Cache-Control', 'no-store')
  @ApiOperation({
    summary: "A new key with a subset of your permissions (1-365 days). Never more than its creator's at the moment of use.",
  })
  @ApiCreatedResponse({ type: CreatedApiKeyDto })
  create(@CurrentAdmin() admin: AdminActor, @Body() dto: CreateApiKeyDto): Promise<CreatedApiKeyDto> {
    return this.keys.create(admin, dto);
  }

  @Get()
  @RequirePermission(Permission.ApiKeysManage)
  @ApiOkResponse({ description: 'Every key, with its creator and last use; never the key itself.' })
  async list(@CurrentAdmin() admin: AdminActor): Promise<{ items: ApiKeyView[] }> {
    return { items: await this.keys.list(admin) };
  }

  @Delete(':id')
  @HttpCode(204)
  @RequirePermission(Permission.ApiKeysManage)
  @ApiNoContentResponse({ description: 'Revoked: the key stops working on its next request.' })
  revoke(@CurrentAdmin() admin: AdminActor, @Param('id', new ParseUUIDPipe()) id: string): Promise<void> {
    return this.keys.revoke(admin, id);
  }
}
