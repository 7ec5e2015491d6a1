export { LogContext, type LogFields, LogScope } from './log-context';
export {
  accessLogLevel,
  accessLineWriter,
  type AccessLineWriter,
  accessLogLine,
  type AccessLogRequest,
  type AppName,
  createRootLogger,
  loggingModule,
  pinoOptions,
  REQUEST_ID_HEADER,
  requestIdFrom,
  ROOT_LOGGER,
} from './logging';
export { announceReady, type ReadyMessage, READY_MESSAGE } from './ready-announcement';
export { metricsScrapeAllowed } from './metrics-auth';
export { MetricsServer } from './metrics-server';
export {
  ApiMetrics,
  BREACHED_CHECK_OUTCOMES,
  type BreachedCheckOutcome,
  type CountableQueue,
  METRIC_PREFIX,
  MetricsRegistry,
  QUEUE_STATES,
  type QueueState,
  registerQueueGauges,
  WorkerMetrics,
} from './metrics';
export { ObservabilityModule } from './observability.module';
export { type OldestRowSource, registerOldestRowGauge, RetentionMetrics } from './retention-metrics';
export { REDACTED, redactSecrets, scrubSecrets, SECRET_KEYS } from './redaction';
export {
  recordWorkerHeartbeat,
  removeWorkerHeartbeat,
  HEARTBEAT_INTERVAL_MS,
  WORKER_STALE_AFTER_MS,
  workerInstanceId,
  workersSeen,
  type WorkersSeen,
} from './worker-heartbeat';
