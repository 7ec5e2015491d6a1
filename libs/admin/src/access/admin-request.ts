import { AdminPrincipal } from '../accounts/admin-user.entity';

/** The parts of a Fastify request the admin guards read and write. */
export interface AdminRequest {
  headers: Record<string, string | string[] | undefined>;
  /** Client IP; Fastify takes X-Forwarded-For into account only from TRUSTED_PROXIES. */
  ip: string;
  method: string;
  url: string;
  params?: Record<string, string | undefined>;
  routeOptions?: { url?: string };
  /** Set by AdminJwtGuard. */
  admin?: AdminPrincipal;
}

/** Who did something, and from where: what every audit record needs. */
export interface AdminActor extends AdminPrincipal {
  ip: string;
}
