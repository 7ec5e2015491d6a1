import { Controller, Get, Param, Req, Res, UseGuards } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { CONSOLE_BASE } from '@customer-access/admin';
import { HostedPagesEnabledGuard, routeNotFound } from './hosted-pages-enabled.guard';
import { FAVICON_PATH, PAGE_ASSETS_PATH, PageAsset, PageAssets } from './page-assets';

/**
 * What crawlers may read: the console and the JSON API are not for them. The storefront pages stay
 * crawlable so that their `noindex` is seen (a disallowed page can still be listed by its address).
 */
const ROBOTS_TXT = ['User-agent: *', `Disallow: ${CONSOLE_BASE}`, 'Disallow: /api/', ''].join('\n');

/** A year: the longest max-age caches honour; a fingerprinted address never changes its content. */
const IMMUTABLE = 'public, max-age=31536000, immutable';
/** The favicon and robots.txt keep their addresses across releases, so they are cached for a day only. */
const ONE_DAY = 'public, max-age=86400';

/** The hosted pages' static files, the favicon and robots.txt (the CSP allows only same-origin files). */
@ApiExcludeController()
@Controller()
@UseGuards(HostedPagesEnabledGuard)
export class HostedPageAssetsController {
  constructor(private readonly assets: PageAssets) {}

  @Get(`${PAGE_ASSETS_PATH}/:file`)
  asset(@Param('file') file: string, @Req() request: FastifyRequest, @Res() reply: FastifyReply): void {
    const asset = this.assets.find(`${PAGE_ASSETS_PATH}/${file}`);
    if (!asset) throw routeNotFound(request);
    send(reply, asset, IMMUTABLE);
  }

  /** Every browser asks for it, on the pages and the console alike; without it each page logs a 404. */
  @Get(FAVICON_PATH)
  favicon(@Res() reply: FastifyReply): void {
    send(reply, this.assets.favicon, ONE_DAY);
  }

  @Get('/robots.txt')
  robots(@Res() reply: FastifyReply): void {
    void reply
      .headers({ 'content-type': 'text/plain; charset=utf-8', 'cache-control': ONE_DAY, 'x-content-type-options': 'nosniff' })
      .send(ROBOTS_TXT);
  }
}

function send(reply: FastifyReply, asset: PageAsset, cacheControl: string): void {
  void reply
    .headers({ 'content-type': asset.contentType, 'cache-control': cacheControl, 'x-content-type-options': 'nosniff' })
    .send(asset.content);
}
