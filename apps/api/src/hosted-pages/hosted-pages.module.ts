import { Module } from '@nestjs/common';
import { PasswordResetModule } from '@customer-access/password-reset';
import { StorefrontModule } from '../storefront/storefront.module';
import { ThrottlingModule } from '../throttling/throttling.module';
import { DevIndexController } from './dev-index.controller';
import { HostedPageAssetsController } from './hosted-page-assets.controller';
import { HostedPagesController } from './hosted-pages.controller';
import { PageRenderer } from './page-renderer';
import { PageResponder } from './page-responder';

/** The hosted storefront pages (HOSTED_PAGES), on the same services as the storefront REST routes. */
@Module({
  imports: [StorefrontModule, ThrottlingModule, PasswordResetModule],
  controllers: [HostedPagesController, HostedPageAssetsController, DevIndexController],
  providers: [PageRenderer, PageResponder],
})
export class HostedPagesModule {}
