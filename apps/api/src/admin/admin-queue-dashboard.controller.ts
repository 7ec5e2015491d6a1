import { Controller, HttpCode, Inject, Post, Res } from '@nestjs/common';
import { ApiNoContentResponse, ApiOperation } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { AdminActor, CurrentAdmin, Permission, QueueDashboardSessions, RequirePermission } from '@customer-access/admin';
import { DomainError, ErrorCode } from '@customer-access/common';
import { APP_CONFIG, AppConfig } from '@customer-access/config';
import { publishedOverHttps } from '../http/browser-plugins';
import { QUEUE_DASHBOARD_COOKIE, QUEUE_DASHBOARD_ROUTE } from '../ops/queue-dashboard';
import { AdminGuarded } from './admin-guarded.decorator';

@AdminGuarded()
@Controller('admin/queue-dashboard')
export class AdminQueueDashboardController {
  constructor(
    private readonly sessions: QueueDashboardSessions,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /**
   * Trades the admin JWT for a cookie that lets a plain browser tab open the queue dashboard.
   * HttpOnly (no script reads it), SameSite=Strict (no other site's page or link carries it),
   * Path=/admin/queues (sent nowhere else), Secure when PUBLIC_URL is https, and short-lived. The dashboard
   * re-checks the admin's role on every request.
   */
  @Post('session')
  @HttpCode(204)
  @RequirePermission(Permission.QueuesView)
  @ApiOperation({ summary: `Sets the ${QUEUE_DASHBOARD_COOKIE} cookie that opens ${QUEUE_DASHBOARD_ROUTE} in a browser (10 minutes).` })
  @ApiNoContentResponse({
    description: `Set-Cookie: ${QUEUE_DASHBOARD_COOKIE}=...; Path=${QUEUE_DASHBOARD_ROUTE}; HttpOnly; SameSite=Strict`,
  })
  async open(@CurrentAdmin() admin: AdminActor, @Res({ passthrough: true }) reply: FastifyReply): Promise<void> {
    // A browser session for a person: an API key never opens the dashboard.
    if (admin.credential?.kind === 'api_key') throw new DomainError(ErrorCode.Forbidden, 'The queue dashboard does not accept API keys.');
    const session = await this.sessions.mint(admin);
    void reply
      .setCookie(QUEUE_DASHBOARD_COOKIE, session.token, {
        path: QUEUE_DASHBOARD_ROUTE,
        httpOnly: true,
        sameSite: 'strict',
        secure: publishedOverHttps(this.config),
        maxAge: session.maxAgeSeconds,
      })
      .header('Cache-Control', 'no-store');
  }
}
