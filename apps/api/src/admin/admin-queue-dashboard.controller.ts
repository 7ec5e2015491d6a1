import { Controller, HttpCode, Post, Req, Res } from '@nestjs/common';
import { ApiNoContentResponse, ApiOperation } from '@nestjs/swagger';
import { serialize } from 'cookie';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { AdminActor, CurrentAdmin, Permission, QueueDashboardSessions, RequirePermission } from '@customer-access/admin';
import { QUEUE_DASHBOARD_COOKIE, QUEUE_DASHBOARD_ROUTE } from '../ops/queue-dashboard';
import { AdminGuarded } from './admin-guarded.decorator';

@AdminGuarded()
@Controller('admin/queue-dashboard')
export class AdminQueueDashboardController {
  constructor(private readonly sessions: QueueDashboardSessions) {}

  /**
   * Trades the admin JWT for a cookie that lets a plain browser tab open the queue dashboard.
   * HttpOnly (no script reads it), SameSite=Strict (no other site's page or link carries it),
   * Path=/admin/queues (sent nowhere else), Secure over HTTPS, and short-lived. The dashboard
   * re-checks the admin's role on every request.
   */
  @Post('session')
  @HttpCode(204)
  @RequirePermission(Permission.QueuesView)
  @ApiOperation({ summary: `Sets the ${QUEUE_DASHBOARD_COOKIE} cookie that opens ${QUEUE_DASHBOARD_ROUTE} in a browser (10 minutes).` })
  @ApiNoContentResponse({
    description: `Set-Cookie: ${QUEUE_DASHBOARD_COOKIE}=...; Path=${QUEUE_DASHBOARD_ROUTE}; HttpOnly; SameSite=Strict`,
  })
  async open(
    @CurrentAdmin() admin: AdminActor,
    @Req() request: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<void> {
    const session = await this.sessions.mint(admin);
    const cookie = serialize(QUEUE_DASHBOARD_COOKIE, session.token, {
      path: QUEUE_DASHBOARD_ROUTE,
      httpOnly: true,
      sameSite: 'strict',
      secure: request.protocol === 'https',
      maxAge: session.maxAgeSeconds,
    });
    void reply.header('Set-Cookie', cookie).header('Cache-Control', 'no-store');
  }
}
