import { MikroOrmModule } from '@mikro-orm/nestjs';
import { Global, Module } from '@nestjs/common';
import { SettingsRow } from './settings.entity';
import { SettingsService } from './settings.service';

@Global()
@Module({
  imports: [MikroOrmModule.forFeature([SettingsRow])],
  providers: [SettingsService],
  exports: [SettingsService],
})
export class SettingsModule {}
