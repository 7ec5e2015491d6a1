import { Controller, Get, HttpCode, HttpStatus, Res, ServiceUnavailableException } from '@nestjs/common';
import { ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import { HealthCheck, HealthCheckResult, HealthCheckService, MikroOrmHealthIndicator } from '@nestjs/terminus';
import type { FastifyReply } from 'fastify';
import { ErrorCode } from '@customer-access/common';
import { CHECK_TIMEOUT_MS, MailQueueHealthIndicator, RedisHealthIndicator, WorkerHealthIndicator } from './health.indicators';

const READY_EXAMPLE = {
  status: 'ok',
  info: {
    database: { status: 'up' },
    redis: { status: 'up' },
    mailQueue: { status: 'up', queue: 'mail', waiting: 0, active: 0, delayed: 0, failed: 0 },
    worker: { status: 'up', alive: 1, lastSeenSecondsAgo: 2 },
  },
  error: {},
  details: {},
};

const NOT_READY_EXAMPLE = {
  statusCode: 503,
  code: ErrorCode.ServiceUnavailable,
  message: 'Not ready: worker',
  status: 'error',
  info: { database: { status: 'up' }, redis: { status: 'up' }, mailQueue: { status: 'up' } },
  error: { worker: { status: 'down', alive: 0, lastSeenSecondsAgo: 95, message: 'No worker seen within the last 20 s.' } },
  details: {},
};

/** Probes for orchestrators, served outside /api/v1 (see app-setup.ts). */
@ApiTags('ops')
@Controller('health')
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly database: MikroOrmHealthIndicator,
    private readonly redis: RedisHealthIndicator,
    private readonly mailQueue: MailQueueHealthIndicator,
    private readonly worker: WorkerHealthIndicator,
  ) {}

  /** The process is up and serving HTTP; nothing else is checked (a restart would not help). */
  @Get('live')
  @HttpCode(200)
  @ApiOperation({ summary: 'Liveness: the API process serves HTTP' })
  @ApiResponse({ status: 200, schema: { example: { status: 'ok' } } })
  live(): { status: 'ok' } {
    return { status: 'ok' };
  }

  /** Whether this instance can do its job: take it out of the load balancer while it cannot. */
  @Get('ready')
  @HealthCheck({ swaggerDocumentation: false })
  @ApiOperation({
    summary: 'Readiness: PostgreSQL, Redis, the mail queue, and a worker seen recently',
    description: 'Answers 503 listing the failing checks under `error` while any is down.',
  })
  @ApiResponse({ status: 200, description: 'Every check is up.', schema: { example: READY_EXAMPLE } })
  @ApiResponse({ status: 503, description: 'At least one check is down.', schema: { example: NOT_READY_EXAMPLE } })
  async ready(@Res() reply: FastifyReply): Promise<void> {
    let result: HealthCheckResult;
    try {
      result = await this.health.check([
        () => this.database.pingCheck('database', { timeout: CHECK_TIMEOUT_MS }),
        () => this.redis.check('redis'),
        () => this.mailQueue.check('mailQueue'),
        () => this.worker.check('worker'),
      ]);
    } catch (error) {
      if (!(error instanceof ServiceUnavailableException)) throw error;
      // Terminus' own body (status, info, error, details) plus the service's error fields.
      const failed = error.getResponse() as HealthCheckResult;
      await reply
        .status(HttpStatus.SERVICE_UNAVAILABLE)
        .header('Retry-After', '5')
        .header('Cache-Control', 'no-store')
        .send({
          statusCode: HttpStatus.SERVICE_UNAVAILABLE,
          code: ErrorCode.ServiceUnavailable,
          message: `Not ready: ${Object.keys(failed.error ?? {}).join(', ') || 'unknown'}`,
          ...failed,
        });
      return;
    }
    await reply.status(HttpStatus.OK).header('Cache-Control', 'no-store').send(result);
  }
}
