import { DynamicModule, Global, Module, Provider } from '@nestjs/common';
import { LogContext } from './log-context';
import { AppName, loggingModule } from './logging';
import { ApiMetrics, MetricsRegistry, WorkerMetrics } from './metrics';

/**
 * Logging (nestjs-pino) and the metrics registry of an app, available everywhere:
 * inject LogContext, MetricsRegistry, and ApiMetrics (API) or WorkerMetrics (worker).
 */
@Global()
@Module({})
export class ObservabilityModule {
  static forRoot(
    app: AppName,
    options: {
      workerJobNames?: readonly string[];
      /** API: route templates behind a rate limiter, so their 429 series exist (at 0) from the start. */
      rateLimitedRoutes?: readonly string[];
    } = {},
  ): DynamicModule {
    const registry: Provider = { provide: MetricsRegistry, useFactory: () => new MetricsRegistry(app) };
    const appMetrics: Provider =
      app === 'api'
        ? {
            provide: ApiMetrics,
            inject: [MetricsRegistry],
            useFactory: (m: MetricsRegistry) => new ApiMetrics(m, options.rateLimitedRoutes),
          }
        : {
            provide: WorkerMetrics,
            inject: [MetricsRegistry],
            useFactory: (m: MetricsRegistry) => new WorkerMetrics(m, options.workerJobNames),
          };
    return {
      module: ObservabilityModule,
      imports: [loggingModule(app)],
      providers: [registry, appMetrics, LogContext],
      exports: [registry, appMetrics, LogContext],
    };
  }
}
