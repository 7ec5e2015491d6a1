import { Inject, Injectable } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import { APP_CONFIG, AppConfig } from '@customer-access/config';
import { AdminPrincipal } from '../accounts/admin-user.entity';
import { AdminUserRepository } from '../accounts/admin-user.repository';
import { ADMIN_JWT, adminUnauthorized } from './admin-auth.service';
import { verifyServiceJwt } from './admin-jwt-claims';

/**
 * Claims of a queue dashboard session. Its own audience and type: an admin bearer JWT put in the
 * cookie is refused, and this token is refused as a bearer token on every admin route.
 */
export const QUEUE_DASHBOARD_SESSION = Object.freeze({
  audience: 'customer-access:queue-dashboard',
  type: 'queue-dashboard',
  /** Short: the dashboard is reopened from the console, which mints a new one each time. */
  maxSeconds: 600,
} as const);

export interface QueueDashboardSession {
  token: string;
  maxAgeSeconds: number;
}

/**
 * A browser cannot send an Authorization header when it opens a page, so the console trades the
 * admin JWT for a short-lived cookie scoped to the dashboard's path (see the controller for its
 * attributes). Like the admin JWT, it carries only the admin's id: the role is read from the
 * database on each request, so a changed role or a deleted admin takes effect at once.
 */
@Injectable()
export class QueueDashboardSessions {
  constructor(
    private readonly jwt: JwtService,
    private readonly admins: AdminUserRepository,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async mint(admin: AdminPrincipal): Promise<QueueDashboardSession> {
    const maxAgeSeconds = Math.min(QUEUE_DASHBOARD_SESSION.maxSeconds, this.config.adminTokenTtlSeconds);
    const token = await this.jwt.signAsync(
      { sub: admin.id, typ: QUEUE_DASHBOARD_SESSION.type },
      {
        secret: this.config.jwtSecret,
        algorithm: ADMIN_JWT.algorithm,
        issuer: ADMIN_JWT.issuer,
        audience: QUEUE_DASHBOARD_SESSION.audience,
        expiresIn: maxAgeSeconds,
      },
    );
    return { token, maxAgeSeconds };
  }

  /** The admin a session cookie stands for, or a 401. */
  async authenticate(token: string): Promise<AdminPrincipal> {
    const claims = await verifyServiceJwt(this.jwt, this.config.jwtSecret, token, {
      audience: QUEUE_DASHBOARD_SESSION.audience,
      type: QUEUE_DASHBOARD_SESSION.type,
      maxAgeSeconds: QUEUE_DASHBOARD_SESSION.maxSeconds,
    });
    if (!claims || typeof claims.exp !== 'number') throw adminUnauthorized();
    const admin = await this.admins.findPrincipal(claims.sub);
    if (!admin) throw adminUnauthorized();
    return admin;
  }
}
