import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { Logger } from 'nestjs-pino';
import { ConfigValidationError, loadConfig } from '@customer-access/config';
import { announceReady } from '@customer-access/observability';
import { WorkerModule } from './worker.module';

/** The worker has no HTTP server: an application context that consumes the mail queue. */
async function bootstrap(): Promise<void> {
  loadConfig();
  // Logs are buffered until the logger (JSON, or pretty in development) is in place, then written through it.
  const app = await NestFactory.createApplicationContext(WorkerModule, { bufferLogs: true });
  app.useLogger(app.get(Logger));
  // SIGTERM: stop taking jobs, let the current ones finish, close connections, exit 0.
  // useProcessExit: otherwise Nest re-raises the signal after cleanup and the process ends as
  // "killed by SIGTERM" instead of exiting 0.
  app.enableShutdownHooks([], { useProcessExit: true });
  // The context is initialised: the mail queue is being consumed (MailProcessor.onApplicationBootstrap).
  announceReady({ app: 'worker' });
}

bootstrap().catch((error) => {
  console.error(error instanceof ConfigValidationError ? error.message : error);
  process.exit(1);
});
