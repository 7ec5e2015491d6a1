import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import { FastifyAdapter as BullBoardFastifyAdapter } from '@bull-board/fastify';
import { BullBoardModule } from '@bull-board/nestjs';
import { CanActivate, Module } from '@nestjs/common';
import { ExecutionContextHost } from '@nestjs/core/helpers/execution-context-host';
import type { FastifyInstance, FastifyReply, FastifyRequest, RouteOptions } from 'fastify';
import { AdminPrincipal, AdminRequest, Permission, RequirePermission } from '@customer-access/admin';
import { QueueName } from '@customer-access/notification';
import { LogContext } from '@customer-access/observability';
import { ErrorResponse } from '../http/error-response';

/** Where the dashboard is served (outside /api/v1, see app-setup.ts). */
export const QUEUE_DASHBOARD_ROUTE = '/admin/queues';

/** The session cookie a browser tab opens the dashboard with (POST /api/v1/admin/queue-dashboard/session). */
export const QUEUE_DASHBOARD_COOKIE = 'ca_queue_dashboard';

/**
 * The bull-board dashboard of the mail queue, read-only: it shows waiting, active, delayed,
 * completed and failed jobs with their data (an email address or a customer id, never a token)
 * and failure reasons; retrying or deleting jobs stays with the worker's own policy.
 */
@Module({
  imports: [
    BullBoardModule.forRoot({
      route: QUEUE_DASHBOARD_ROUTE,
      adapter: BullBoardFastifyAdapter,
      boardOptions: { uiConfig: { boardTitle: 'customer-access queues' } },
    }),
    BullBoardModule.forFeature({ name: QueueName.Mail, adapter: BullMQAdapter, options: { readOnlyMode: true } }),
  ],
})
export class QueueDashboardModule {}

/** Stands for the dashboard's routes in the permission guard: it reads the permission from here. */
export class QueueDashboardRoutes {
  @RequirePermission(Permission.QueuesView)
  view(): void {}
}

export interface DashboardGuards {
  /** AdminJwtGuard: a valid admin JWT (401 otherwise). */
  authenticate: CanActivate;
  /** QueueDashboardSessions: the admin a session cookie stands for (401 otherwise). */
  sessions: { authenticate(token: string): Promise<AdminPrincipal> };
  /** PermissionsGuard: the admin's role has queues.view (403 otherwise, recorded in the audit log). */
  authorize: CanActivate;
  toErrorResponse(error: unknown): { body: ErrorResponse; headers: Record<string, string> };
  logContext?: LogContext;
}

/**
 * Puts the admin guards in front of every route registered under /admin/queues (the dashboard's
 * page, its JSON API and its static files), as a route-level onRequest hook added when the route
 * is registered. Matching on registration rather than on the request URL means no spelling of a
 * URL can reach a dashboard route around the check. Must be installed before the dashboard's
 * plugin registers its routes, i.e. before app.init().
 */
export function guardQueueDashboard(fastify: FastifyInstance, guards: DashboardGuards): void {
  const check = async (request: FastifyRequest, reply: FastifyReply): Promise<FastifyReply | void> => {
    const context = new ExecutionContextHost([request, reply], QueueDashboardRoutes, QueueDashboardRoutes.prototype.view);
    context.setType('http');
    try {
      // A bearer token (API clients) wins; a browser tab has only the session cookie.
      // (@fastify/cookie, registered for the whole app, has parsed the cookies by now.)
      const session = request.headers.authorization ? undefined : request.cookies?.[QUEUE_DASHBOARD_COOKIE];
      if (session) (request as unknown as AdminRequest).admin = await guards.sessions.authenticate(session);
      else await guards.authenticate.canActivate(context);
      await guards.authorize.canActivate(context);
      const admin = (request as unknown as AdminRequest).admin;
      guards.logContext?.assign({ adminId: admin?.id });
    } catch (error) {
      const { body, headers } = guards.toErrorResponse(error);
      // Answered here: Fastify stops the request once a hook has sent the reply.
      return reply.code(body.statusCode).headers(headers).send(body);
    }
  };

  fastify.addHook('onRoute', (route: RouteOptions) => {
    const url = route.url ?? '';
    if (url !== QUEUE_DASHBOARD_ROUTE && !url.startsWith(`${QUEUE_DASHBOARD_ROUTE}/`)) return;
    const existing = route.onRequest ? [route.onRequest].flat() : [];
    route.onRequest = [check, ...existing] as RouteOptions['onRequest'];
  });
}
