import { Controller, Get, Header, Inject, Req, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiProduces, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { DomainError, ErrorCode } from '@customer-access/common';
import { APP_CONFIG, AppConfig } from '@customer-access/config';
import { MetricsRegistry, metricsScrapeAllowed } from '@customer-access/observability';

@ApiTags('ops')
@Controller('metrics')
export class MetricsController {
  constructor(
    private readonly metrics: MetricsRegistry,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** Served at /metrics (outside /api/v1), for Prometheus. */
  @Get()
  @Header('Cache-Control', 'no-store')
  @ApiOperation({
    summary: 'Prometheus metrics of this API process',
    description:
      'HTTP latency histogram (http_request_duration_seconds), password resets requested/completed/failed, ' +
      'rate-limit rejections, mail queue job counts, and process metrics. With METRICS_TOKEN set, send ' +
      '`Authorization: Bearer <METRICS_TOKEN>`.',
  })
  @ApiProduces('text/plain')
  @ApiBearerAuth()
  @ApiResponse({ status: 200, description: 'Prometheus text exposition format.' })
  @ApiResponse({ status: 401, description: 'METRICS_TOKEN is set and the request did not carry it.' })
  async scrape(@Req() request: FastifyRequest, @Res({ passthrough: true }) reply: FastifyReply): Promise<string> {
    if (!metricsScrapeAllowed(this.config.metricsToken, request.headers.authorization)) {
      throw new DomainError(ErrorCode.Unauthorized, 'A valid metrics token is required.', { realm: 'metrics' });
    }
    void reply.header('Content-Type', this.metrics.contentType);
    return this.metrics.metrics();
  }
}
