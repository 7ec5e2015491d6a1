import 'reflect-metadata';
import './http/async-resource-bind'; // performance: lean AsyncResource#bind for Fastify (see the file)
import type { IncomingMessage } from 'node:http';
import { resolve } from 'node:path';
import { Logger } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, NestFastifyApplication } from '@nestjs/platform-fastify';
import { Logger as PinoNestLogger } from 'nestjs-pino';
import { ConfigValidationError, loadConfig } from '@customer-access/config';
import { announceReady, REQUEST_ID_HEADER, requestIdFrom } from '@customer-access/observability';
import { ApiModule } from './api.module';
import { configureApiApp, installApiHooks } from './app-setup';
import { serveAdminConsole } from './hosted/admin-console';
import { registerBrowserPlugins } from './http/browser-plugins';
import { writeClientError } from './http/client-error';
import { setupOpenApi } from './openapi/openapi';

/** Every request body is small; a larger one is refused with 413 before it is parsed. */
const BODY_LIMIT_BYTES = 16 * 1024;

async function createApiApp(): Promise<NestFastifyApplication> {
  const config = loadConfig();
  const adapter = new FastifyAdapter({
    bodyLimit: BODY_LIMIT_BYTES,
    // Only configured proxies may set the client IP (X-Forwarded-For); anyone else's header is ignored.
    trustProxy: config.trustedProxies.length > 0 ? config.trustedProxies : false,
    // X-Request-Id is honoured when well-formed (else a new UUID), echoed, and on every log line.
    requestIdHeader: false,
    genReqId: (req: IncomingMessage) => requestIdFrom(req.headers[REQUEST_ID_HEADER]),
    clientErrorHandler: writeClientError,
  });
  const app = await NestFactory.create<NestFastifyApplication>(ApiModule, adapter, { bufferLogs: true });
  app.useLogger(app.get(PinoNestLogger));
  installApiHooks(app);
  await registerBrowserPlugins(app, config);
  if (config.hostedPages && !serveAdminConsole(app.getHttpAdapter().getInstance())) {
    new Logger('Bootstrap').warn('The admin console is not built (dist/admin-console): run npm run build to serve it at /admin.');
  }

  configureApiApp(app);
  setupOpenApi(app);
  // SIGTERM/SIGINT: stop accepting, finish in-flight requests, close connections, then exit 0.
  // useProcessExit: without it Nest re-raises the signal after cleanup and the exit status says
  // "killed by SIGTERM" (143) even though the shutdown was clean.
  app.enableShutdownHooks([], { useProcessExit: true });
  return app;
}

async function bootstrap(): Promise<void> {
  const app = await createApiApp();
  const config = loadConfig();
  await app.listen(config.port, config.host);
  new Logger('Bootstrap').log(`API listening on port ${config.port}`);
  announceReady({
    app: 'api',
    publicUrl: config.publicUrl,
    hostedPages: config.hostedPages,
    mailDir: config.smtpUrl ? undefined : resolve(config.mailDir),
  });
}

bootstrap().catch((error) => {
  console.error(error instanceof ConfigValidationError ? error.message : error);
  process.exit(1);
});
