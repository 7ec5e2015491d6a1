import { MikroOrmModule } from '@mikro-orm/nestjs';
import { Global, Module } from '@nestjs/common';
import { SettingsRow } from './settings.entity';
import { SettingsService } from './settings.service';
import { StoreRegistry } from './stores/store-registry';
import { StoreRepository } from './stores/store.repository';
import { StoreView } from './stores/store-view.entity';
import { Website } from './stores/website.entity';

/** The admin-edited configuration every process holds in memory: the settings, and the websites and store views. */
@Global()
@Module({
  imports: [MikroOrmModule.forFeature([SettingsRow, Website, StoreView])],
  providers: [SettingsService, StoreRepository, StoreRegistry],
  exports: [SettingsService, StoreRepository, StoreRegistry],
})
export class SettingsModule {}
