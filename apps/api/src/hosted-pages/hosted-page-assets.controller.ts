import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Controller, Get, Param, Req, Res, UseGuards } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { HostedPagesEnabledGuard, routeNotFound } from './hosted-pages-enabled.guard';
import { PAGES_DIR } from './page-renderer';

/** URL prefix of the pages' stylesheet and script (outside /customer/account, so no page cookie is sent along). */
export const PAGE_ASSETS_PATH = '/static/pages';

const ASSETS: Record<string, string> = { 'pages.css': 'text/css; charset=utf-8', 'password-rules.js': 'text/javascript; charset=utf-8' };

/** The two static files of the hosted pages, read once at start (the CSP allows only same-origin files). */
@ApiExcludeController()
@Controller()
@UseGuards(HostedPagesEnabledGuard)
export class HostedPageAssetsController {
  private readonly files = new Map(Object.keys(ASSETS).map((name) => [name, readFileSync(join(PAGES_DIR, 'assets', name))]));

  @Get(`${PAGE_ASSETS_PATH}/:file`)
  asset(@Param('file') file: string, @Req() request: FastifyRequest, @Res() reply: FastifyReply): void {
    const content = this.files.get(file);
    if (!content) throw routeNotFound(request);
    void reply
      .headers({ 'content-type': ASSETS[file], 'cache-control': 'public, max-age=300', 'x-content-type-options': 'nosniff' })
      .send(content);
  }
}
