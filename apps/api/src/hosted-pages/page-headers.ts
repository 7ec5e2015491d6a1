import type { FastifyReply, FastifyRequest } from 'fastify';
import helmet from 'helmet';

/**
 * The security headers of every hosted page, built once: a strict Content-Security-Policy (scripts,
 * styles and images from this origin only, no inline script or style, no framing, forms post only
 * here), `Referrer-Policy: no-referrer` (so that no URL of these pages reaches another site), and
 * helmet's other defaults (nosniff, X-Frame-Options: DENY, COOP/CORP same-origin). HSTS and
 * upgrade-insecure-requests only when the service is published over https: on plain http they
 * would break a local start.
 */
export function pageSecurityHeaders(https: boolean): (request: FastifyRequest, reply: FastifyReply) => Promise<void> {
  const middleware = helmet({
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        defaultSrc: ["'none'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'"],
        imgSrc: ["'self'"],
        formAction: ["'self'"],
        frameAncestors: ["'none'"],
        baseUri: ["'none'"],
        ...(https ? { upgradeInsecureRequests: [] } : {}),
      },
    },
    referrerPolicy: { policy: 'no-referrer' },
    frameguard: { action: 'deny' },
    strictTransportSecurity: https ? { maxAge: 31_536_000 } : false,
  });
  return (request, reply) =>
    new Promise<void>((resolve, reject) => middleware(request.raw, reply.raw, (error?: unknown) => (error ? reject(error) : resolve())));
}
