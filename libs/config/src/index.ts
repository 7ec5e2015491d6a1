export { AppConfig, ConfigValidationError, loadConfig, RedisNode, RedisTopology, RetentionConfig, WebhooksConfig } from './app-config';
export { APP_CONFIG, ConfigModule } from './config.module';
