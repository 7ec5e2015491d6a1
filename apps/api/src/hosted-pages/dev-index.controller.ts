import { resolve } from 'node:path';
import { Controller, Get, Inject, Req, Res, UseFilters, UseGuards } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { APP_CONFIG, AppConfig } from '@customer-access/config';
import { HostedPageErrorFilter } from './hosted-page-error.filter';
import { HostedPagesEnabledGuard, routeNotFound } from './hosted-pages-enabled.guard';
import { PageResponder } from './page-responder';
import { STOREFRONT_PAGES } from '@customer-access/common';

/** `GET /` in development: where things are, for someone who just ran `npm start`. Absent in production. */
@ApiExcludeController()
@Controller()
@UseGuards(HostedPagesEnabledGuard)
@UseFilters(HostedPageErrorFilter)
export class DevIndexController {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly pages: PageResponder,
  ) {}

  @Get('/')
  async index(@Req() request: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    if (this.config.nodeEnv !== 'development') throw routeNotFound(request);
    const page = this.pages.context(request, reply);
    await this.pages.send(
      page,
      200,
      'dev-index',
      { title: 'customer-access' },
      {
        publicUrl: this.config.publicUrl,
        forgotPath: STOREFRONT_PAGES.forgotPassword,
        mailDir: this.config.smtpUrl ? undefined : resolve(this.config.mailDir),
        smtp: !!this.config.smtpUrl,
      },
    );
  }
}
