import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { ConfigValidationError, loadConfig } from '@customer-access/config';
import { WorkerModule } from './worker.module';

/** The worker has no HTTP server: an application context that consumes the mail queue. */
async function bootstrap(): Promise<void> {
  loadConfig();
  const app = await NestFactory.createApplicationContext(WorkerModule);
  // SIGTERM: stop taking jobs, let the current ones finish, close connections, exit 0.
  app.enableShutdownHooks();
}

bootstrap().catch((error) => {
  console.error(error instanceof ConfigValidationError ? error.message : error);
  process.exit(1);
});
