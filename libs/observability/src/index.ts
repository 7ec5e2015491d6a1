export { LogContext, LogFields, LogScope } from './log-context';
export {
  accessLogLevel,
  accessLineWriter,
  AccessLineWriter,
  accessLogLine,
  AccessLogRequest,
  AppName,
  createRootLogger,
  loggingModule,
  pinoOptions,
  REQUEST_ID_HEADER,
  requestIdFrom,
  ROOT_LOGGER,
} from './logging';
export { announceReady, ReadyMessage, READY_MESSAGE } from './ready-announcement';
export { metricsScrapeAllowed } from './metrics-auth';
export { MetricsServer } from './metrics-server';
export {
  ApiMetrics,
  BREACHED_CHECK_OUTCOMES,
  BreachedCheckOutcome,
  CountableQueue,
  METRIC_PREFIX,
  MetricsRegistry,
  QUEUE_STATES,
  QueueState,
  registerQueueGauges,
  WorkerMetrics,
} from './metrics';
export { ObservabilityModule } from './observability.module';
export { OldestRowSource, registerOldestRowGauge, RetentionMetrics } from './retention-metrics';
export { REDACTED, redactSecrets, scrubSecrets, SECRET_KEYS } from './redaction';
export {
  recordWorkerHeartbeat,
  removeWorkerHeartbeat,
  HEARTBEAT_INTERVAL_MS,
  WORKER_STALE_AFTER_MS,
  workerInstanceId,
  workersSeen,
  WorkersSeen,
} from './worker-heartbeat';
