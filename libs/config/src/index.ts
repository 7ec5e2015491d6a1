export {
  type AppConfig,
  ConfigValidationError,
  loadConfig,
  type RedisNode,
  type RedisTopology,
  type RetentionConfig,
  type WebhooksConfig,
} from './app-config';
export { APP_CONFIG, ConfigModule } from './config.module';
