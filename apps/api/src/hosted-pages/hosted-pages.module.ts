import { Module } from '@nestjs/common';
import { StorefrontResetModule } from '@customer-access/password-reset';
import { DevIndexController } from './dev-index.controller';
import { HostedPageAssetsController } from './hosted-page-assets.controller';
import { HostedPagesController } from './hosted-pages.controller';
import { PageAssets } from './page-assets';
import { PageRenderer } from './page-renderer';
import { PageResponder } from './page-responder';

/** The hosted storefront pages (HOSTED_PAGES), over the same reset flow as the storefront REST routes. */
@Module({
  imports: [StorefrontResetModule],
  controllers: [HostedPagesController, HostedPageAssetsController, DevIndexController],
  providers: [PageAssets, PageRenderer, PageResponder],
})
export class HostedPagesModule {}
