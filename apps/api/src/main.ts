import 'reflect-metadata';
import { Logger, RequestMethod } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, NestFastifyApplication } from '@nestjs/platform-fastify';
import { ConfigValidationError, loadConfig } from '@customer-access/config';
import { ApiModule } from './api.module';
import { createValidationPipe } from './http/validation.pipe';

/** Every request body is small; a larger one is refused with 413 before it is parsed. */
const BODY_LIMIT_BYTES = 16 * 1024;

async function createApiApp(): Promise<NestFastifyApplication> {
  const config = loadConfig();
  const adapter = new FastifyAdapter({
    bodyLimit: BODY_LIMIT_BYTES,
    // Only configured proxies may set the client IP (X-Forwarded-For); anyone else's header is ignored.
    trustProxy: config.trustedProxies.length > 0 ? config.trustedProxies : false,
    requestIdHeader: 'x-request-id',
  });
  const app = await NestFactory.create<NestFastifyApplication>(ApiModule, adapter, { bufferLogs: false });

  app.setGlobalPrefix('api/v1', {
    exclude: [
      { path: 'health/live', method: RequestMethod.GET },
      { path: 'health/ready', method: RequestMethod.GET },
    ],
  });
  app.useGlobalPipes(createValidationPipe());
  app.enableShutdownHooks();
  return app;
}

async function bootstrap(): Promise<void> {
  const app = await createApiApp();
  const { port } = loadConfig();
  await app.listen(port, '0.0.0.0');
  new Logger('Bootstrap').log(`API listening on port ${port}`);
}

bootstrap().catch((error) => {
  console.error(error instanceof ConfigValidationError ? error.message : error);
  process.exit(1);
});
