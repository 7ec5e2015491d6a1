import { Body, Controller, Get, Put } from '@nestjs/common';
import { ApiBody } from '@nestjs/swagger';
import { AdminActor, AdminSettingsService, CurrentAdmin, Permission, RequirePermission } from '@customer-access/admin';
import { CustomerPasswordSettings, CustomerPasswordSettingsPatch } from '@customer-access/settings';
import { AdminGuarded } from './admin-guarded.decorator';
import { SettingsPatchPipe } from './settings-patch.pipe';

@AdminGuarded()
@Controller('admin/config')
export class AdminConfigController {
  constructor(private readonly settings: AdminSettingsService) {}

  @Get('customer-password')
  @RequirePermission(Permission.ConfigManage)
  get(): CustomerPasswordSettings {
    return this.settings.current();
  }

  /**
   * A partial update: the fields sent change, the others keep their values. The body is typed
   * loosely on purpose so that the global pipe leaves it to SettingsPatchPipe (strict JSON types).
   */
  @Put('customer-password')
  @RequirePermission(Permission.ConfigManage)
  @ApiBody({ type: CustomerPasswordSettingsPatch })
  update(
    @Body(SettingsPatchPipe) patch: Partial<CustomerPasswordSettings>,
    @CurrentAdmin() admin: AdminActor,
  ): Promise<CustomerPasswordSettings> {
    return this.settings.update(admin, patch as CustomerPasswordSettingsPatch);
  }
}
