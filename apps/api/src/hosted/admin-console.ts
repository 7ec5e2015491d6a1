import fastifyStatic from '@fastify/static';
import type { FastifyInstance, FastifyReply } from 'fastify';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CONSOLE_BASE, consolePagePaths } from '@customer-access/admin';
import { projectRoot } from '@customer-access/common';

/**
 * The console is served at CONSOLE_BASE (/admin). Its API stays under /api/v1/admin; the queue
 * dashboard keeps /admin/queues. Each screen of the console's route table answers with the app's
 * page; any other path under /admin stays a 404 instead of a blank app.
 */
const ADMIN_CONSOLE_PAGES = consolePagePaths();

/** The built console (`npm run build` writes it there with Vite). */
export function adminConsoleDir(): string {
  return join(projectRoot(), 'dist', 'admin-console');
}

/**
 * The built app has no inline script or style, so the policy can be strict. The console talks
 * only to this origin; frame-ancestors 'none' keeps it out of frames (clickjacking).
 */
const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

function securityHeaders(reply: FastifyReply): FastifyReply {
  return reply
    .header('Content-Security-Policy', CONTENT_SECURITY_POLICY)
    .header('Referrer-Policy', 'no-referrer')
    .header('X-Content-Type-Options', 'nosniff')
    .header('X-Frame-Options', 'DENY');
}

/**
 * Serves the admin console (HOSTED_PAGES=true): the page for each screen, never cached so that a
 * new release is picked up at once, and its hashed assets, cached for good. Returns false (and
 * serves nothing) when the console has not been built.
 */
export function serveAdminConsole(fastify: FastifyInstance, dir = adminConsoleDir()): boolean {
  const indexFile = join(dir, 'index.html');
  if (!existsSync(indexFile)) return false;
  const page = readFileSync(indexFile);

  void fastify.register(async (scope) => {
    await scope.register(fastifyStatic, {
      root: join(dir, 'assets'),
      prefix: `${CONSOLE_BASE}/assets/`,
      index: false,
      wildcard: true,
      immutable: true,
      maxAge: '365d',
      // The build writes a .br and a .gz beside each text asset (scripts/console-assets.js): sent to
      // clients that accept them, with Vary: Accept-Encoding, and no compression work per request.
      preCompressed: true,
      setHeaders: (reply) => void reply.header('X-Content-Type-Options', 'nosniff'),
    });
    for (const url of ADMIN_CONSOLE_PAGES) {
      scope.get(url, async (_request, reply) =>
        securityHeaders(reply).header('Cache-Control', 'no-store').type('text/html; charset=utf-8').send(page),
      );
    }
  });
  return true;
}
